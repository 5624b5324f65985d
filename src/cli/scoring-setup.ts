import type { LoadedConfig } from '../config/load.js';
import { lazySandbox } from '../sandbox/lazy.js';
import { selectSandbox } from '../sandbox/select.js';
import type { Sandbox } from '../sandbox/types.js';
import { createScorer } from '../scoring/index.js';
import type { Scorer } from '../scoring/types.js';

/**
 * The sandbox a config asks for, announced on stderr, and the scorer that grades with it. `auto` and
 * `local` open when the first code answer needs them; `docker` is required, so it is checked now.
 */
export async function openScoring(config: LoadedConfig): Promise<{ sandbox: Sandbox; scorer: Scorer }> {
  const open = async () => {
    const { sandbox: opened, notice } = await selectSandbox(config.scoring.sandbox, config.scoring.poolSize);
    process.stderr.write(`${notice}\n`);
    return opened;
  };
  const sandbox = config.scoring.sandbox === 'docker' ? await open() : lazySandbox(open);
  const scorer = createScorer({
    sandbox,
    limits: { timeoutMs: config.scoring.timeoutMs, memoryMb: config.scoring.memoryMb },
  });
  return { sandbox, scorer };
}
