import { spawn } from 'node:child_process';
import type { HarnessTransport } from '../harness/harness-process.js';

/** harness.py as a plain subprocess of this machine. */
export function spawnLocalHarness(python: string, script: string): HarnessTransport {
  const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
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
