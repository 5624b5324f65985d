import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { harnessPath } from '../../src/sandbox/harness/harness-path.js';
import { encodeJob } from '../../src/sandbox/harness/protocol.js';
import { resolvePython } from '../../src/sandbox/local/python.js';

/*
 * A supervisor that is not root cannot give cases a uid of their own: they share its uid (and that
 * of baton), so Landlock is what keeps them out of the judge's and baton's memory and environment,
 * out of files beyond the system's, and from signalling their runner. Run as `nobody` through
 * util-linux's setpriv, which needs root: the same run baton does on a laptop without Docker.
 */
const asRoot = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;

const secret = 'sk-baton-confinement-8d2f61';
const dir = mkdtempSync(join(tmpdir(), 'baton-confinement-'));
chmodSync(dir, 0o755);
const harness = join(dir, 'harness.py');
copyFileSync(harnessPath(), harness);
chmodSync(harness, 0o644);
const answers = join(dir, 'answers.jsonl'); // stands for a suite file with expected outputs
writeFileSync(answers, `${secret}\n`, { mode: 0o644 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Processes of uid 65534 running a copy of this test's harness. */
function harnessProcessesOfNobody(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return (
          statSync(`/proc/${pid}`).uid === 65534 &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(harness)
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

const probe = `
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
found = []
pid = os.getpid()
while pid > 1:
    pid = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
    for what in ("environ", "mem"):
        try:
            open("/proc/%d/%s" % (pid, what), "rb").read(4096)
            found.append("%s of %d" % (what, pid))
        except OSError:
            pass
try:
    found.append(open(${JSON.stringify(answers)}).read().strip())
except OSError:
    pass
if libc.kill(os.getppid(), 0) == 0:
    found.append("signalled the runner")
import socket
try:
    socket.socket(socket.AF_UNIX).connect("/var/run/docker.sock")
    found.append("reached a unix socket")
except OSError:
    pass
print(found)`;

describe.skipIf(!asRoot || !setpriv)('a supervisor that is not root confines its cases with Landlock', () => {
  it('no ancestor environ or memory, no file beyond the system, no signal to the runner', async () => {
    const child = spawn(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        `OPENAI_API_KEY=${secret}`,
        resolvePython(),
        '-I',
        harness,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'], cwd: dir },
    );
    const job = {
      code: probe,
      tests: { style: 'stdin' as const, cases: [{ input: '', output: '[]' }] },
      timeoutMs: 4000,
      memoryMb: 256,
      outputLimitBytes: 1 << 20,
    };
    let out = '';
    const answer = new Promise<string>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out);
      });
    });
    child.stdin.write(encodeJob(job, 'n1'));
    const line = JSON.parse(await answer) as {
      passed: boolean;
      verdicts: { status: string; got?: string }[];
    };
    expect(line.verdicts[0]?.status, JSON.stringify(line.verdicts[0])).toBe('passed');
    expect(out).not.toContain(secret);

    // A daemon in a session of its own (the same uid as its supervisor) must not outlive its job.
    const daemon = {
      ...job,
      code: 'import os, posix, time\nif posix.fork() == 0:\n    os.setsid()\n    while True:\n        pass\ntime.sleep(0.3)\nprint("[]")',
    };
    const answered = () => out.split('\n').length - 1;
    child.stdin.write(encodeJob(daemon, 'n2'));
    while (answered() < 2) await sleep(20);
    const second = JSON.parse(out.split('\n')[1] as string) as { dirty: boolean };
    expect(second.dirty).toBe(true); // it tried: the supervisor is reported for replacement
    child.stdin.end();
    await new Promise((resolve) => child.once('close', resolve));
    await sleep(200);
    expect(harnessProcessesOfNobody()).toEqual([]);
  });
});
