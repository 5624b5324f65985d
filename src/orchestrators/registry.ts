import { endpointOrchestrator } from './endpoint/index.js';
import { fusionOrchestrator } from './fusion/index.js';
import { moaOrchestrator } from './moa/index.js';
import { planOrchestrator } from './plan/index.js';
import { promptedRouterOrchestrator } from './prompted-router/index.js';
import { singleOrchestrator } from './single/index.js';
import { trinityOrchestrator } from './trinity/index.js';
import type { OrchestratorDefinition } from './types.js';
import { voteOrchestrator } from './vote/index.js';

/** The families shipped with baton. Adding one: one folder and one line here. */
const families: OrchestratorDefinition[] = [
  singleOrchestrator,
  fusionOrchestrator,
  planOrchestrator,
  trinityOrchestrator,
  promptedRouterOrchestrator,
  moaOrchestrator,
  voteOrchestrator,
  endpointOrchestrator,
];

/** Every orchestrator family of this process: the built-ins, then those added by a config's plugins. */
export const orchestratorFamilies: readonly OrchestratorDefinition[] = families;

/**
 * Adds a plugin's family. The same definition twice is a no-op (a module is imported once per process,
 * so two configs naming one plugin share it); another definition under a known name is refused.
 */
export function addOrchestratorFamily(definition: OrchestratorDefinition): void {
  const known = families.find((f) => f.family === definition.family);
  if (known === definition) return;
  if (known) throw new Error(`orchestrator family '${definition.family}' is already defined`);
  families.push(definition);
}
