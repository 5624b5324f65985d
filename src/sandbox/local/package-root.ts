import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding baton's package.json, found by walking up from this module, so paths to
 * shipped files work both from `src/` (vitest) and from compiled `dist/src/`.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`baton: no package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}

/** The test-runner script spawned by the local driver (and copied into Docker images). */
export function harnessPath(): string {
  return join(packageRoot(), 'sandboxes', 'runner', 'harness.py');
}
