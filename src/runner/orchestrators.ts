import { orchestratorFamilies } from '../orchestrators/registry.js';
import type { CreateContext, Orchestrator, OrchestratorOptions } from '../orchestrators/types.js';

export interface ConfiguredOrchestrator {
  id: string;
  family: string;
  orchestrator: Orchestrator;
}

/** Builds every configured orchestrator (some load files: TRINITY heads, backbones). */
export function createOrchestrators(
  options: OrchestratorOptions[],
  context: CreateContext,
): Promise<ConfiguredOrchestrator[]> {
  return Promise.all(
    options.map(async (o) => {
      const family = orchestratorFamilies.find((f) => f.family === o.family);
      if (!family) throw new Error(`unknown orchestrator family '${o.family}'`);
      return { id: o.id, family: o.family, orchestrator: await family.create(o as never, context) };
    }),
  );
}
