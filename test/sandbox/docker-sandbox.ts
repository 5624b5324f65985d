import { checkDocker } from '../../src/sandbox/docker/engine.js';
import { sandboxImage } from '../../src/sandbox/docker/image.js';

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
