import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SandboxError } from '../../util/errors.js';
import { harnessPath } from '../harness/harness-path.js';
import { WarmHarnesses } from '../harness/warm-harnesses.js';
import type { CodeJob, CodeResult, Sandbox } from '../types.js';
import { resolvePython } from './python.js';
import { spawnLocalHarness } from './transport.js';

export interface LocalSandboxOptions {
  /** Interpreter; default BATON_PYTHON, then /usr/bin/python3, then python3 on PATH. */
  python?: string;
  /** Warm harness processes, i.e. jobs running at once; default: available CPUs. */
  concurrency?: number;
}

/**
 * Runs code in plain subprocesses with rlimits on this machine. NOT isolation: the code can read
 * files and use the network. It sees none of this process's environment (an allow-list reaches the
 * harness), and when baton runs as root its test cases run as a uid of their own. For machines without Docker
 * only; every result says `isolation: 'none'` and callers (CLI, report) must say so loudly.
 */
export function createLocalSandbox(opts: LocalSandboxOptions = {}): Sandbox {
  const python = resolvePython(opts.python);
  const script = harnessPath();
  if (!existsSync(script)) throw new SandboxError(`baton local sandbox: harness not found at ${script}`);
  const harnesses = new WarmHarnesses(
    async () => spawnLocalHarness(python, script),
    Math.max(1, opts.concurrency ?? availableParallelism()),
  );
  return {
    isolation: 'none',
    async run(job: CodeJob): Promise<CodeResult> {
      const response = await harnesses.run(job);
      return { ...response, isolation: 'none' };
    },
    close: () => harnesses.close(),
  };
}
