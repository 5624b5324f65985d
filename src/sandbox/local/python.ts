import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SandboxError } from '../../util/errors.js';

const SYSTEM_PYTHON = '/usr/bin/python3';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of `command`: as given if it contains a slash, else looked up on PATH. */
function locate(command: string, path: string): string | null {
  if (command.includes('/')) return isExecutable(command) ? command : null;
  for (const dir of path.split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return null;
}

/**
 * Picks the interpreter: explicit option, then BATON_PYTHON, then the system python (preferred
 * over PATH because version managers' shims add ~100 ms per spawn), then `python3` on PATH.
 */
export function resolvePython(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const candidates = explicit
    ? [explicit]
    : env.BATON_PYTHON
      ? [env.BATON_PYTHON]
      : [SYSTEM_PYTHON, 'python3'];
  for (const candidate of candidates) {
    const found = locate(candidate, env.PATH ?? '');
    if (found) return found;
  }
  const source = explicit ? 'the python option' : env.BATON_PYTHON ? 'BATON_PYTHON' : 'the defaults';
  throw new SandboxError(
    `baton local sandbox: no Python interpreter found (tried ${candidates.join(', ')} from ${source}). ` +
      'Install python3 or set BATON_PYTHON to its path.',
  );
}
