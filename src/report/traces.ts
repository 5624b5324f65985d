import type { RunStore } from '../store/run-store.js';
import type { Report } from './types.js';

/** The HTML file must stay openable: stop inlining traces past this many bytes of JSON. */
const MAX_TRACE_BYTES = 24 * 2 ** 20;
const MAX_TRACES = 5000;

/**
 * Traces for the HTML trace explorer as JSON text, `{"sample":…,"events":[…],"vendors":[…]}`, one at
 * a time (a report never holds them all): every sample of a normal run; for very large runs the first
 * items in task order (all orchestrators of a task together) up to a size cap, and the page says so.
 */
export function* traces(store: RunStore, report: Report): Generator<string> {
  let bytes = 0;
  for (const id of store.sampleIdsByItem(MAX_TRACES)) {
    // Stored JSON text is spliced, not parsed and re-serialised (a large report would do both per trace).
    const sample = store.sampleJson(id);
    if (sample === undefined) continue;
    const events = store.eventsJson(id);
    bytes += events.reduce((n, e) => n + e.length, sample.length);
    if (bytes > MAX_TRACE_BYTES) return;
    const set = report.egress.sampleVendors[id];
    const vendors = set === undefined ? [] : (report.egress.vendorSets[set] ?? []);
    yield `{"sample":${sample},"events":[${events.join(',')}],"vendors":${JSON.stringify(vendors)}}`;
  }
}
