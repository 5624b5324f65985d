import { endpointOrchestrator } from './endpoint/index.js';
import { fusionOrchestrator } from './fusion/index.js';
import { moaOrchestrator } from './moa/index.js';
import { planOrchestrator } from './plan/index.js';
import { promptedRouterOrchestrator } from './prompted-router/index.js';
import { singleOrchestrator } from './single/index.js';
import { trinityOrchestrator } from './trinity/index.js';
import { voteOrchestrator } from './vote/index.js';

/** Every orchestrator family baton knows. Adding a family: one folder and one line here. */
export const orchestratorFamilies = [
  singleOrchestrator,
  fusionOrchestrator,
  planOrchestrator,
  trinityOrchestrator,
  promptedRouterOrchestrator,
  moaOrchestrator,
  voteOrchestrator,
  endpointOrchestrator,
] as const;
