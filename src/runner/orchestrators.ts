import type { OrchestratorOptions } from '../config/load.js';
import { orchestratorFamilies } from '../orchestrators/registry.js';
import type { Orchestrator } from '../orchestrators/types.js';

export interface ConfiguredOrchestrator {
  id: string;
  family: string;
  orchestrator: Orchestrator;
}

export function createOrchestrators(options: OrchestratorOptions[]): ConfiguredOrchestrator[] {
  return options.map((o) => {
    const family = orchestratorFamilies.find((f) => f.family === o.family);
    if (!family) throw new Error(`unknown orchestrator family '${o.family}'`);
    return { id: o.id, family: o.family, orchestrator: family.create(o as never) };
  });
}
