import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';

/** The test-runner script spawned by the local driver (and copied into Docker images). */
export function harnessPath(): string {
  return join(packageRoot(), 'sandboxes', 'runner', 'harness.py');
}
