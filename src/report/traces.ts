import type { SampleResult, TraceEvent } from '../runner/types.js';
import type { RunStore } from '../store/run-store.js';
import type { Report } from './types.js';

export interface SampleTrace {
  sample: SampleResult;
  events: TraceEvent[];
  vendors: string[];
}

export interface TraceBundle {
  traces: SampleTrace[];
  /** Samples in the run; traces holds fewer when the run is too large to inline. */
  total: number;
}

/** The HTML file must stay openable: stop inlining traces past this many bytes of JSON. */
const MAX_TRACE_BYTES = 24 * 2 ** 20;
const MAX_TRACES = 5000;

/**
 * Traces for the HTML trace explorer: every sample of a normal run; for very large runs the first
 * items in task order (all orchestrators of a task together) up to a size cap, and the page says so.
 */
export function collectTraces(store: RunStore, report: Report): TraceBundle {
  const traces: SampleTrace[] = [];
  let bytes = 0;
  for (const id of store.sampleIdsByItem(MAX_TRACES)) {
    const trace = store.trace(id);
    if (!trace) continue;
    const { sample, events } = trace;
    bytes += trace.jsonBytes;
    if (bytes > MAX_TRACE_BYTES) break;
    const set = report.egress.sampleVendors[id];
    traces.push({ sample, events, vendors: set === undefined ? [] : (report.egress.vendorSets[set] ?? []) });
  }
  return { traces, total: report.samples.recorded };
}
