import { dirname, resolve } from 'node:path';
import { readHeadMeta, trainedOnSimulatedPool } from './head-file.js';
import { agentSlots, type TrinityOptions } from './index.js';

/** What the warning needs of a run config (a loaded one, or the one a run store keeps). */
export interface HeadWarningConfig {
  /** The config file: head paths are relative to its folder. */
  file?: string | undefined;
  pool: readonly { id: string; provider?: unknown; model?: unknown }[];
  orchestrators: readonly ({ id: string; family: string } & Record<string, unknown>)[];
}

/**
 * One warning per trinity orchestrator whose head was trained on baton's simulated pool and here
 * drives live (non-simulated) pool members: its choices encode the simulated agents' configured
 * skills, not those models'. Heads that cannot be read or do not say how they were trained are left
 * out (preflight reports unreadable heads on its own).
 */
export function simTrainedHeadWarnings(config: HeadWarningConfig): string[] {
  const warnings: string[] = [];
  const dir = config.file ? dirname(config.file) : process.cwd();
  for (const o of config.orchestrators) {
    if (o.family !== 'trinity' || typeof o.head !== 'string' || o.agents === undefined) continue;
    const file = resolve(dir, o.head);
    let simulated: boolean | undefined;
    try {
      simulated = trainedOnSimulatedPool(readHeadMeta(file));
    } catch {
      continue;
    }
    if (simulated !== true) continue;
    const live = agentSlots(o.agents as TrinityOptions['agents']).flatMap(({ slot, agentId }) => {
      const member = config.pool.find((a) => a.id === agentId);
      if (!member || member.provider === 'sim' || member.provider === 'orchestrator') return [];
      const model = `${String(member.provider)} ${String(member.model)}`;
      return [slot === agentId ? `${agentId} (${model})` : `${slot} → ${agentId} (${model})`];
    });
    if (live.length === 0) continue;
    warnings.push(
      `${o.id}: head ${o.head} was trained on the SIMULATED pool and here drives live agents (${live.join(', ')}): its choices follow the simulated agents' configured skills, not these models'; retrain it on this pool (baton train) before trusting its figures`,
    );
  }
  return warnings;
}

/** The same warnings from the config a run store keeps (JSON); none when it cannot be read. */
export function storedConfigHeadWarnings(configJson: string): string[] {
  let config: unknown;
  try {
    config = JSON.parse(configJson);
  } catch {
    return [];
  }
  const c = config as Partial<HeadWarningConfig>;
  if (!Array.isArray(c.pool) || !Array.isArray(c.orchestrators)) return [];
  return simTrainedHeadWarnings({ file: c.file, pool: c.pool, orchestrators: c.orchestrators });
}
