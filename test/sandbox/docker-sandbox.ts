import { checkDocker } from '../../src/sandbox/docker/engine.js';
import { sandboxImage } from '../../src/sandbox/docker/image.js';
import { createDockerSandbox } from '../../src/sandbox/docker/index.js';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import type { Sandbox } from '../../src/sandbox/types.js';

/**
 * Docker tests run when an engine answers and the sandbox image exists; with BATON_REQUIRE_DOCKER=1
 * (set by .ci/run) a missing engine fails them instead of skipping.
 */
export const dockerCheck = await checkDocker(sandboxImage());
export const requireDocker = process.env.BATON_REQUIRE_DOCKER === '1';
export const skipDocker = !dockerCheck.ok && !requireDocker;
if (!dockerCheck.ok && requireDocker) {
  throw new Error(`BATON_REQUIRE_DOCKER=1 but ${dockerCheck.reason}`);
}

/** A sandbox driver for table tests run in each: name, constructor, and whether to skip it here. */
export type SandboxDriver = ['docker' | 'local', () => Promise<Sandbox>, boolean];

export function localDriver(concurrency: number): SandboxDriver {
  return ['local', async () => createLocalSandbox({ concurrency }), false];
}

export function dockerDriver(warmContainers: number): SandboxDriver {
  return [
    'docker',
    async () => {
      if (!dockerCheck.ok) throw new Error(dockerCheck.reason);
      return createDockerSandbox({ docker: dockerCheck.docker, image: sandboxImage(), warmContainers });
    },
    skipDocker,
  ];
}
