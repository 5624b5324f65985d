import type { LoadedConfig } from '../config/load.js';
import { selectSandbox } from '../sandbox/select.js';
import type { Sandbox } from '../sandbox/types.js';
import { createScorer } from '../scoring/index.js';
import type { Scorer } from '../scoring/types.js';

/** The sandbox a config asks for (announced on stderr) and the scorer that grades with it. */
export async function openScoring(config: LoadedConfig): Promise<{ sandbox: Sandbox; scorer: Scorer }> {
  const { sandbox, notice } = await selectSandbox(config.scoring.sandbox, config.scoring.poolSize);
  process.stderr.write(`${notice}\n`);
  const scorer = createScorer({
    sandbox,
    limits: { timeoutMs: config.scoring.timeoutMs, memoryMb: config.scoring.memoryMb },
  });
  return { sandbox, scorer };
}
