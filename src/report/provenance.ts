import type { Report } from './types.js';

/** The label of a run whose every answer came from the simulated pool. */
export const SIMULATED_LABEL =
  "SIMULATED: every answer comes from baton's simulated pool (synthetic agents with configured skills); these figures say nothing about real models.";

/** How much of a report is simulated: nothing, some agents, or every agent. */
export type SimulationScope = 'none' | 'partly' | 'all';

export function simulationScope(p: Report['provenance']): SimulationScope {
  if (p.simulated.length === 0) return 'none';
  return p.live.length === 0 && p.replayed.length === 0 ? 'all' : 'partly';
}

/** The marker put after a simulated row's orchestrator name in tables and chart legends. */
export const SIM_MARK = ' (sim)';

/** An orchestrator name, marked when its row used a simulated agent. */
export const marked = (name: string, simulated: boolean): string => (simulated ? `${name}${SIM_MARK}` : name);

/**
 * The sentence at the top of every output: which agents answered from where, by name. A run whose
 * agents are all simulated keeps the one-line SIMULATED label; a mixed pool names its simulated
 * members (and only then says SIMULATED); a run with no simulated agent never does.
 */
export function provenanceLabel(p: Report['provenance']): string {
  const total = p.agents.length;
  if (total === 0) return 'No model call was recorded: nothing here is measured or simulated.';
  const scope = simulationScope(p);
  if (scope === 'all' && p.inferred)
    return `SIMULATED: this run was recorded before baton kept provenance per agent; it had simulated members and did not record which agents answered, so all ${total} count as simulated (${p.simulated.join(', ')}): these figures say nothing about real models.`;
  if (scope === 'all') return SIMULATED_LABEL;
  const parts: string[] = [];
  const group = (ids: string[], what: string) => {
    if (ids.length === 0) return;
    parts.push(`${ids.length}${parts.length === 0 ? ` of ${total} agents` : ''} ${what}: ${ids.join(', ')}`);
  };
  group(p.simulated, 'simulated');
  group(p.live, 'live');
  group(p.replayed, 'replayed from a cassette of real calls');
  if (scope === 'partly')
    return `SIMULATED IN PART: ${parts.join('; ')}. Figures that involve a simulated agent are synthetic and say nothing about real models; rows marked (sim) used one.`;
  if (p.live.length === 0)
    return `Replayed from a cassette of real provider calls: ${total} of ${total} agents replayed: ${p.replayed.join(', ')}.`;
  return `Measured on real providers: ${parts.join('; ')}.`;
}
