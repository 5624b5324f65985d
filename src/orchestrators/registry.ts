import { openRegistry } from '../util/registry.js';
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
const builtInFamilies: readonly OrchestratorDefinition[] = [
  singleOrchestrator,
  fusionOrchestrator,
  planOrchestrator,
  trinityOrchestrator,
  promptedRouterOrchestrator,
  moaOrchestrator,
  voteOrchestrator,
  endpointOrchestrator,
];

const registry = openRegistry(builtInFamilies, (f) => f.family, 'orchestrator family');

/** Every orchestrator family of this process: the built-ins, then those added by a config's plugins. */
export const orchestratorFamilies = registry.all;

/**
 * Adds a plugin's family. The same definition twice is a no-op (a module is imported once per process,
 * so two configs naming one plugin share it); another definition under a known name is refused.
 */
export const addOrchestratorFamily = registry.add;
