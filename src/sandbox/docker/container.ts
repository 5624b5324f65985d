import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { HarnessTransport } from '../harness/harness-process.js';

export const SANDBOX_LABEL = 'baton.sandbox';

/** What the supervisor needs: chown a case's work dir, remove what a case wrote, run cases as their own uid, kill strays. */
export const SUPERVISOR_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL'];

export interface ContainerLimits {
  /** Container memory (the supervisor plus one test case under its own RLIMIT_AS). */
  memoryMb: number;
  cpus: number;
  pids: number;
  tmpfsMb: number;
}

/**
 * Starts one warm sandbox container running harness.py as its long-lived supervisor and attaches
 * to its stdin/stdout. No network, read-only root, a small tmpfs, no-new-privileges, memory/CPU/pids
 * limits. The supervisor is root with six capabilities only (to give each test case its own work
 * dir and run it as a uid of its own, clean up after it and kill what it leaves); test cases run
 * as that uid with none, so they can neither open the supervisor's /proc entries nor signal it. It
 * removes itself when it stops, and it
 * stops when its stdin closes — also when this process dies — so a crash leaves nothing behind.
 */
export async function startSandboxContainer(
  docker: Docker,
  image: string,
  harnessDir: string,
  limits: ContainerLimits,
): Promise<HarnessTransport> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['/usr/bin/python3', '-I', '/opt/baton/harness.py'],
    User: '0:0',
    WorkingDir: '/tmp',
    // Every container's supervisor is pid 1: each gets its own case uid, so that RLIMIT_NPROC (counted
    // per uid across the host) of one container's cases never starves another's.
    Env: ['TMPDIR=/tmp', 'LANG=C.UTF-8', 'PYTHONDONTWRITEBYTECODE=1', `BATON_CASE_UID=${caseUid()}`],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: true,
    Labels: { [SANDBOX_LABEL]: '1', 'baton.owner': `${hostname()}:${process.pid}` },
    HostConfig: {
      AutoRemove: true,
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${limits.tmpfsMb}m,mode=1777` },
      Binds: [`${harnessDir}:/opt/baton:ro`],
      Memory: limits.memoryMb * 2 ** 20,
      MemorySwap: limits.memoryMb * 2 ** 20,
      NanoCpus: Math.round(limits.cpus * 1e9),
      PidsLimit: limits.pids,
      CapDrop: ['ALL'],
      CapAdd: SUPERVISOR_CAPABILITIES,
      SecurityOpt: ['no-new-privileges'],
    },
  });
  const stream = await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  container.modem.demuxStream(stream, stdout, stderr);
  const drained = new Promise<void>((resolve) => {
    const done = () => {
      stdout.end();
      stderr.end();
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  const exited = container.wait({ condition: 'next-exit' }).then(
    (r: { StatusCode?: number }) => `container exit ${r.StatusCode ?? '?'}`,
    (error: unknown) => `container gone (${error instanceof Error ? error.message : String(error)})`,
  );
  try {
    await container.start();
  } catch (error) {
    await container.remove({ force: true }).catch(() => {});
    throw error;
  }
  const signal = (name: string) => {
    container.kill({ signal: name }).catch(() => {}); // already gone: nothing to stop
  };
  return {
    stdin: stream,
    stdout,
    stderr,
    ended: Promise.all([exited, drained]).then(([why]) => why),
    terminate: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
  };
}

/** A uid no host user has (10 000 000 and up) and no local supervisor uses (3 000 000 + pid). */
function caseUid(): number {
  return 10_000_000 + randomInt(2_000_000_000);
}

/** Removes every baton sandbox container on the engine (leftovers of crashed runs). */
export async function pruneSandboxContainers(docker: Docker): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [SANDBOX_LABEL] } });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {}),
    ),
  );
  return containers.length;
}
