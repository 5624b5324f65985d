import { lazySandbox } from '../sandbox/lazy.js';
import { type SandboxChoice, selectSandbox } from '../sandbox/select.js';
import type { Sandbox } from '../sandbox/types.js';
import { createScorer } from './index.js';
import type { Scorer } from './types.js';

/** The `scoring:` section of a config. */
export interface ScoringOptions {
  sandbox: SandboxChoice;
  poolSize?: number | undefined;
  timeoutMs?: number | undefined;
  memoryMb: number;
}

/**
 * The sandbox a config asks for, announced on stderr, and the scorer that grades with it. `auto` and
 * `local` open when the first code answer needs them; `docker` is required, so it is checked now.
 */
export async function openScoring(options: ScoringOptions): Promise<{ sandbox: Sandbox; scorer: Scorer }> {
  const open = async () => {
    const { sandbox: opened, notice } = await selectSandbox(options.sandbox, options.poolSize);
    process.stderr.write(`${notice}\n`);
    return opened;
  };
  const sandbox = options.sandbox === 'docker' ? await open() : lazySandbox(open);
  const scorer = createScorer({
    sandbox,
    limits: { timeoutMs: options.timeoutMs, memoryMb: options.memoryMb },
  });
  return { sandbox, scorer };
}
