import { availableParallelism } from 'node:os';
import { SandboxError } from '../util/errors.js';
import { createLocalSandbox } from './local/index.js';
import type { Sandbox } from './types.js';

export type SandboxChoice = 'auto' | 'docker' | 'local';

export interface SelectedSandbox {
  sandbox: Sandbox;
  /** Why this driver: printed once per run. */
  notice: string;
}

/**
 * Docker when asked, or when `auto` and an engine answers with the image present; otherwise the
 * local driver, with a warning that it is not isolation. Asking for Docker without one is an error.
 */
export async function selectSandbox(
  choice: SandboxChoice,
  warmSandboxes = availableParallelism(),
): Promise<SelectedSandbox> {
  if (choice !== 'local') {
    // dockerode and its SSH stack load only when Docker is an option.
    const { checkDocker } = await import('./docker/engine.js');
    const { sandboxImage } = await import('./docker/image.js');
    const { createDockerSandbox } = await import('./docker/index.js');
    const image = sandboxImage();
    const check = await checkDocker(image);
    if (check.ok) {
      const sandbox = await createDockerSandbox({
        docker: check.docker,
        image,
        warmContainers: warmSandboxes,
      });
      return {
        sandbox,
        notice: `code answers run in Docker (${image}, ${warmSandboxes} warm containers, no network)`,
      };
    }
    if (choice === 'docker') throw new SandboxError(`scoring.sandbox is docker, but ${check.reason}`);
    return {
      sandbox: createLocalSandbox({ concurrency: warmSandboxes }),
      notice: `warning: ${check.reason}; code answers run in the local driver: a subprocess with rlimits, NOT an isolation boundary`,
    };
  }
  return {
    sandbox: createLocalSandbox({ concurrency: warmSandboxes }),
    notice:
      'warning: code answers run in the local driver: a subprocess with rlimits, NOT an isolation boundary',
  };
}
