/**
 * Where a call's answer came from:
 * - `live`: a real API answered it (in this session, or in an earlier one and served from the cache);
 * - `simulated`: baton's simulated pool wrote it (also when replayed from a cassette of simulated calls:
 *   a synthetic answer stays synthetic however it is delivered);
 * - `replayed`: read back from a cassette that recorded real API calls.
 */
export type Provenance = 'live' | 'simulated' | 'replayed';

export const PROVENANCES: readonly Provenance[] = ['live', 'simulated', 'replayed'];

/** Calls (or samples) per provenance. */
export type ProvenanceCounts = Record<Provenance, number>;

export const noProvenance = (): ProvenanceCounts => ({ live: 0, simulated: 0, replayed: 0 });

/** The provenance of what a client answers: synthetic first (a replayed simulation is still simulated). */
export function provenanceOf(client: { simulated: boolean; recorded?: boolean | undefined }): Provenance {
  return client.simulated ? 'simulated' : client.recorded ? 'replayed' : 'live';
}

/** Counts per provenance of a list of calls. */
export function countProvenance(calls: Iterable<{ provenance: Provenance }>): ProvenanceCounts {
  const counts = noProvenance();
  for (const c of calls) counts[c.provenance]++;
  return counts;
}

/**
 * One provenance standing for several (a call to an orchestrator member sums its nested calls): any
 * simulated answer makes it simulated, else any replayed one replayed, else live.
 */
export function dominantProvenance(counts: ProvenanceCounts): Provenance {
  return counts.simulated > 0 ? 'simulated' : counts.replayed > 0 ? 'replayed' : 'live';
}
