import { dirname } from 'node:path';
import type Docker from 'dockerode';
import { SandboxError } from '../../util/errors.js';
import { harnessPath } from '../harness/harness-path.js';
import { WarmHarnesses } from '../harness/warm-harnesses.js';
import type { CodeJob, CodeResult, Sandbox } from '../types.js';
import { type ContainerLimits, startSandboxContainer } from './container.js';

export interface DockerSandboxOptions {
  docker: Docker;
  image: string;
  /** Warm containers, i.e. jobs running at once. */
  warmContainers: number;
  limits?: Partial<ContainerLimits>;
}

const DEFAULT_LIMITS: ContainerLimits = { memoryMb: 1024, cpus: 1, pids: 128, tmpfsMb: 64 };

/**
 * Runs code in a set of warm, locked-down containers, each with a long-lived harness supervisor:
 * a job costs a line over the attached stream and a fork inside the container, not a container
 * start. A container whose job hit a limit or left anything behind is replaced, not reused.
 */
export async function createDockerSandbox(opts: DockerSandboxOptions): Promise<Sandbox> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const harnessDir = dirname(harnessPath());
  const harnesses = new WarmHarnesses(
    () => startSandboxContainer(opts.docker, opts.image, harnessDir, limits),
    opts.warmContainers,
  );
  try {
    await harnesses.warm();
  } catch (error) {
    await harnesses.close();
    if (error instanceof SandboxError) throw error;
    // The engine's own refusal (image, limits, daemon) says why; the class says whose fault it is.
    throw new SandboxError(
      `the Docker sandbox did not start: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    isolation: 'docker',
    async run(job: CodeJob): Promise<CodeResult> {
      const response = await harnesses.run(job);
      return { ...response, isolation: 'docker' };
    },
    close: () => harnesses.close(),
  };
}
