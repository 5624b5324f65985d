import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

/** The sandbox image tag; `sandboxes/build-image.sh` reads the same file. */
export function sandboxImage(): string {
  return readFileSync(join(packageRoot(), 'sandboxes', 'IMAGE'), 'utf8').trim();
}
