import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_LABEL } from '../../src/sandbox/docker/container.js';
import { sandboxImage } from '../../src/sandbox/docker/image.js';
import { createDockerSandbox } from '../../src/sandbox/docker/index.js';
import type { CodeJob, Sandbox, TestStatus } from '../../src/sandbox/types.js';
import { dockerCheck, skipDocker } from './docker-sandbox.js';

const stdinJob = (code: string, output = 'ok'): CodeJob => ({
  code,
  tests: { style: 'stdin', cases: [{ input: '', output }] },
  timeoutMs: 1500,
  memoryMb: 256,
  outputLimitBytes: 1 << 20,
});

// A secret on the host that no sandboxed program may read.
const hostDir = mkdtempSync(join(tmpdir(), 'baton-host-'));
const hostSecret = join(hostDir, 'secret.txt');
writeFileSync(hostSecret, 'host secret');

const hostile: [string, string, (status: TestStatus) => boolean, string?][] = [
  ['infinite loop', 'while True:\n    pass', (s) => s === 'timeout'],
  ['sleeping past the timeout', 'import time\ntime.sleep(30)\nprint("ok")', (s) => s === 'timeout'],
  ['memory bomb', 'x = bytearray(4 * 1024 ** 3)\nprint("ok")', (s) => s === 'memory_limit'],
  [
    // A stdin program's sys.stdout is captured in its memory, as LiveCodeBench's runner does: a flood
    // ends as memory_limit when it cannot fit, output_limit when it can (or with `stdin: real`).
    '1 GB of stdout',
    'import sys\nchunk = "x" * 2 ** 20\nfor _ in range(1024):\n    sys.stdout.write(chunk)',
    (s) => s === 'output_limit' || s === 'memory_limit',
  ],
  [
    'fork bomb through libc',
    'import ctypes\nlibc = ctypes.CDLL(None)\nwhile True:\n    libc.fork()',
    (s) => s !== 'passed',
  ],
  [
    'disk fill of the tmpfs',
    'i = 0\nwhile True:\n    with open("/tmp/fill%d" % i, "wb") as f:\n        f.write(b"x" * 900000)\n    i += 1',
    (s) => s === 'runtime_error',
  ],
  [
    // The supervisor is PID 1 of its container, which ignores SIGKILL from inside: the program
    // either loses its runner (runner_error) or survives to print a wrong answer.
    'killing its own runner',
    'import ctypes, os\nctypes.CDLL(None).kill(os.getppid(), 9)\nprint("runner survived")',
    (s) => s === 'runner_error' || s === 'wrong_answer',
  ],
  [
    'network access attempt',
    'import socket\ntry:\n    socket.create_connection(("1.1.1.1", 53), timeout=1)\n    print("connected")\nexcept OSError:\n    print("blocked")',
    (s) => s === 'passed',
    'blocked',
  ],
  [
    'reading host files',
    `try:\n    print(open(${JSON.stringify(hostSecret)}).read())\nexcept OSError:\n    print("unreadable")`,
    (s) => s === 'passed',
    'unreadable',
  ],
  [
    'writing outside the work dir',
    'out = []\nfor p in ("/etc/pwned", "/usr/lib/pwned", "/opt/baton/pwned"):\n    try:\n        open(p, "w").write("x")\n        out.append("wrote")\n    except OSError:\n        out.append("denied")\nprint(" ".join(out))',
    (s) => s === 'passed',
    'denied denied denied',
  ],
];

/** This process's sandbox containers (other test files run their own pools at the same time). */
async function sandboxContainers(docker: Docker): Promise<number> {
  const mine = `baton.owner=${hostname()}:${process.pid}`;
  return (await docker.listContainers({ filters: { label: [SANDBOX_LABEL, mine] } })).length;
}

describe.skipIf(skipDocker)('Docker sandbox against hostile programs (real Docker)', () => {
  let sandbox: Sandbox;
  const docker = dockerCheck.ok ? dockerCheck.docker : (undefined as unknown as Docker);

  beforeAll(async () => {
    // One warm container: every hostile job and the next honest job share the same pool slot.
    sandbox = await createDockerSandbox({ docker, image: sandboxImage(), warmContainers: 1 });
  });
  afterAll(() => sandbox?.close());

  it.each(hostile)(
    '%s: right verdict, then the same slot grades an honest program',
    async (_name, code, verdictOk, output) => {
      const result = await sandbox.run(stdinJob(code, output));
      const status = result.verdicts[0]?.status ?? 'missing';
      expect(verdictOk(status as TestStatus), `status ${status}: ${JSON.stringify(result.verdicts[0])}`).toBe(
        true,
      );
      expect(result.isolation).toBe('docker');
      const honest = await sandbox.run(stdinJob('print(sum(range(5)))', '10'));
      expect(honest.passed, JSON.stringify(honest.verdicts)).toBe(true);
      expect(await sandboxContainers(docker)).toBeLessThanOrEqual(1);
    },
  );

  it('leaves no container behind after close', async () => {
    const extra = await createDockerSandbox({ docker, image: sandboxImage(), warmContainers: 2 });
    expect((await extra.run(stdinJob('print("ok")'))).passed).toBe(true);
    await extra.close();
    await sandbox.close();
    for (let i = 0; i < 50 && (await sandboxContainers(docker)) > 0; i++) await sleep(100);
    expect(await sandboxContainers(docker)).toBe(0);
  });
});
