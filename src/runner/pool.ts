import type { PoolMember } from '../config/load.js';
import { providerKinds } from '../providers/registry.js';
import type { Provider, ProviderInstance } from '../providers/types.js';
import type { Task } from '../suites/types.js';

export interface StartedPool {
  clients: Map<string, Provider>;
  simulatedAgents: Set<string>;
  /** True when any pool member is simulated: every output of the run then says so. */
  simulated: boolean;
  close(): Promise<void>;
}

/** Starts each provider kind the pool uses, once, and maps every pool member to its client. */
export async function startPool(
  pool: readonly PoolMember[],
  tasks: Task[],
  env: NodeJS.ProcessEnv,
  seed: number,
): Promise<StartedPool> {
  const instances: ProviderInstance[] = [];
  const clients = new Map<string, Provider>();
  try {
    for (const kind of providerKinds) {
      const agents = pool.filter((a) => a.provider === kind.kind);
      if (agents.length === 0) continue;
      const instance = await kind.start({ agents: agents as never, tasks, env, seed });
      instances.push(instance);
      for (const agent of agents) clients.set(agent.id, instance.clientFor(agent.id));
    }
  } catch (err) {
    await Promise.all(instances.map((i) => i.close()));
    throw err;
  }
  const simulatedAgents = new Set([...clients].filter(([, c]) => c.simulated).map(([id]) => id));
  return {
    clients,
    simulatedAgents,
    simulated: simulatedAgents.size > 0,
    close: async () => {
      await Promise.all(instances.map((i) => i.close()));
    },
  };
}
