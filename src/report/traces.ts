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
  // Stored JSON text is spliced, not parsed and re-serialised (a large report would do both per trace).
  for (const { sampleId, sample, events } of store.iterateTracesByItem(MAX_TRACES)) {
    bytes += sample.length + events.length;
    if (bytes > MAX_TRACE_BYTES) return;
    const set = report.egress.sampleVendors[sampleId];
    const vendors = set === undefined ? [] : (report.egress.vendorSets[set] ?? []);
    yield `{"sample":${sample},"events":[${events}],"vendors":${JSON.stringify(vendors)}}`;
  }
}
