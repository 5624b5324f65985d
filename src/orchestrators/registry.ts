import { fusionOrchestrator } from './fusion/index.js';
import { planOrchestrator } from './plan/index.js';
import { singleOrchestrator } from './single/index.js';

/** Every orchestrator family baton knows. Adding a family: one folder and one line here. */
export const orchestratorFamilies = [singleOrchestrator, fusionOrchestrator, planOrchestrator] as const;
