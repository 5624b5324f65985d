import { spawn } from 'node:child_process';
import type { HarnessTransport } from '../harness/harness-process.js';

/** Variables the harness may see: nothing else of this process's environment (keys, tokens) reaches it. */
const ALLOWED_ENV = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

/** The harness's environment: the allow-list only, whatever this process holds. */
export function harnessEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const allowed: Record<string, string> = { PYTHONDONTWRITEBYTECODE: '1' };
  for (const name of ALLOWED_ENV) {
    const value = env[name];
    if (value !== undefined) allowed[name] = value;
  }
  return allowed;
}

/** harness.py as a plain subprocess of this machine, isolated from Python's environment variables (-I). */
export function spawnLocalHarness(python: string, script: string): HarnessTransport {
  const child = spawn(python, ['-I', script], { stdio: ['pipe', 'pipe', 'pipe'], env: harnessEnvironment() });
  const ended = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(`cannot start ${python}: ${error.message}`));
    // 'close' rather than 'exit': it fires after stdout is drained, so no answer is lost.
    child.on('close', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    ended,
    terminate: () => child.kill('SIGTERM'),
    kill: () => child.kill('SIGKILL'),
  };
}
