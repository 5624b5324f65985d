import type { Command } from 'commander';
import { SandboxError } from '../util/errors.js';

/** The Docker side loads only when a sandbox command runs (dockerode is heavy for every other command). */
const docker = async () => ({
  ...(await import('../sandbox/docker/engine.js')),
  ...(await import('../sandbox/docker/image.js')),
  ...(await import('../sandbox/docker/container.js')),
});

/** `baton sandbox status|prune`: what the code sandbox would use, and cleanup after crashes. */
export function addSandboxCommands(program: Command): void {
  const sandbox = program.command('sandbox').description('Inspect or clean up the code sandbox');
  sandbox
    .command('status')
    .description('Say whether a Docker engine answers and the sandbox image exists')
    .action(async () => {
      const { checkDocker, sandboxImage } = await docker();
      const check = await checkDocker(sandboxImage());
      process.stdout.write(
        check.ok
          ? `docker: ready (image ${sandboxImage()})\n`
          : `docker: not available: ${check.reason}\nruns fall back to the local driver (NOT isolation)\n`,
      );
    });
  sandbox
    .command('bench')
    .description('Time the sandbox against a bare host interpreter and docker run --rm (needs Docker)')
    .option('--iterations <n>', 'timed runs per way (default 40; 3 with BENCH_SIZE=smoke)')
    .action(async (opts: { iterations?: string }) => {
      const { benchSandbox } = await import('../sandbox/bench.js');
      await benchSandbox(Number(opts.iterations ?? (process.env.BENCH_SIZE === 'smoke' ? 3 : 40)));
    });
  sandbox
    .command('prune')
    .description('Remove every baton sandbox container left on the Docker engine')
    .action(async () => {
      const { checkDocker, sandboxImage, pruneSandboxContainers } = await docker();
      const check = await checkDocker(sandboxImage());
      if (!check.ok) throw new SandboxError(check.reason);
      const removed = await pruneSandboxContainers(check.docker);
      process.stdout.write(`removed ${removed} sandbox container${removed === 1 ? '' : 's'}\n`);
    });
}
