import { readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalSandbox } from '../../src/sandbox/local/index.js';
import { harnessEnvironment } from '../../src/sandbox/local/transport.js';
import type { CodeJob, CodeResult, Sandbox, TestStatus } from '../../src/sandbox/types.js';
import type { CodeTests } from '../../src/suites/types.js';
import { dockerDriver, localDriver } from './docker-sandbox.js';

/*
 * Attacks on the verdict, written as a hostile answer would: each runs through the same
 * `sandbox.run` path graders use, on a pool of one supervisor, and is followed by three honest jobs
 * on that same slot (a pass, a wrong answer, and a program that looks for anything the attack
 * left), which must get their own correct verdicts: a forged line would shift them by one.
 */

const limits = { timeoutMs: 4000, memoryMb: 256, outputLimitBytes: 1 << 20 };
const stdin = (output: string, input = ''): CodeTests => ({ style: 'stdin', cases: [{ input, output }] });
// An expected value no program can guess; attacks that find it would return it.
const SECRET = [918273645, 'expected-sentinel-5e1f'];
// HumanEval-style: the expected values live in the benchmark's own asserts.
const checkTest: CodeTests = {
  style: 'check',
  cases: [{ test: 'def check(candidate):\n    assert candidate(2, 3) == 5\n', entryPoint: 'add' }],
};
const call: CodeTests = { style: 'call', functionName: 'solve', cases: [{ args: [1], expected: SECRET }] };

/** The judge: PID 1 in a container; locally the runner's parent (case → runner → judge). */
const FIND_JUDGES = `
import os
def parent(pid):
    try:
        return int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
    except Exception:
        return 0
runner = os.getppid()
judges = sorted({1, runner, parent(runner)} - {0})
`;

/** A protocol line that would pass the job in flight, and a job line that would pass anything. */
const FORGE_LINES = `
import json
fake_answer = json.dumps({"nonce": None, "passed": True, "verdicts": [{"index": 0, "status": "passed", "timeMs": 1}], "dirty": False})
fake_job = json.dumps({"nonce": "x", "code": "print(1)", "tests": {"style": "stdin", "cases": [{"input": "", "output": "1"}]}, "timeoutMs": 1000, "memoryMb": 64, "outputLimitBytes": 1024})
`;

const LEFTOVER_PLACES = `
import os
here = os.readlink("/proc/self/cwd")  # os.getcwd is disabled, as in LiveCodeBench
places = ["/tmp", "/var/tmp", "/dev/shm", "/dev/mqueue", os.path.dirname(here), os.environ.get("HOME", here), here]
`;

interface Attack {
  name: string;
  code: string;
  tests: CodeTests;
  /** Verdicts a correct harness may give the attacked job (never passed). */
  verdicts: TestStatus[];
  /** Only where the attack means something (e.g. filling /dev/shm of the host is not a test). */
  drivers?: ('docker' | 'local')[];
}

const attacks: Attack[] = [
  {
    name: 'fake result lines written to the judge through /proc/<judge>/fd/0 and /proc/<judge>/fd/1',
    code: `${FIND_JUDGES}${FORGE_LINES}
opened = []
for pid in judges:
    for fd, line in ((1, fake_answer), (0, fake_job), (1, fake_answer)):
        try:
            with open("/proc/%d/fd/%d" % (pid, fd), "w") as f:
                f.write(line + "\\n")
            opened.append("%d/%d" % (pid, fd))
        except OSError as e:
            pass
print("wrong answer; wrote to", opened)`,
    tests: stdin('ok'),
    verdicts: ['wrong_answer', 'runner_error'],
  },
  {
    name: "reading expected from the caller's frames and the process's objects (call style)",
    code: `
import sys, gc
def solve(x):
    found = []
    frame = sys._getframe()
    while frame is not None:
        for scope in (frame.f_locals, frame.f_globals):
            for value in list(scope.values()):
                if isinstance(value, dict) and "expected" in value:
                    found.append(value["expected"])
        frame = frame.f_back
    for obj in gc.get_objects():
        if isinstance(obj, dict) and "expected" in obj:
            found.append(obj["expected"])
    return found[0] if found else "nothing found"`,
    tests: call,
    verdicts: ['wrong_answer'],
  },
  {
    name: 'reading the expected value from the memory and files of its ancestors',
    code: `${FIND_JUDGES}
def solve(x):
    for pid in judges:
        for what in ("mem", "environ", "cmdline", "fd/0"):
            try:
                data = open("/proc/%d/%s" % (pid, what), "rb").read(1 << 16)
                if b"expected-sentinel" in data:
                    return [918273645, "expected-sentinel-5e1f"]
            except (OSError, ValueError):
                pass
    return "nothing found"`,
    tests: call,
    verdicts: ['wrong_answer'],
  },
  {
    name: 'forging the result message on every fd, and result files, then os._exit (call style)',
    code: `
import json, os
def solve(x):
    forged = json.dumps({"status": "ok", "equal": True, "passed": True, "value": "forged"}).encode()
    for fd in range(3, 64):
        try:
            os.write(fd, forged)
        except OSError:
            pass
    for name in ("result.json", "../result.json", "/tmp/result.json"):
        try:
            open(name, "wb").write(forged)
        except OSError:
            pass
    os._exit(0)`,
    tests: call,
    verdicts: ['wrong_answer', 'runtime_error'],
  },
  {
    name: 'forging the result message then os._exit (stdin style, nothing printed)',
    code: `
import os
for fd in range(3, 64):
    try:
        os.write(fd, b'{"status": "ok"}')
    except OSError:
        pass
os._exit(0)`,
    tests: stdin('ok'),
    verdicts: ['wrong_answer', 'runtime_error'],
  },
  {
    name: 'leaving files in /tmp, /var/tmp, /dev/shm, /dev/mqueue, the harness root, $HOME and the work dir',
    code: `${LEFTOVER_PLACES}
for place in places:
    try:
        open(os.path.join(place, "baton-leftover"), "w").write("for the next job")
    except OSError:
        pass
print("done")`,
    tests: stdin('not this'),
    verdicts: ['wrong_answer'],
  },
  {
    name: 'filling /dev/shm and /tmp',
    code: `
import os
for place in ("/dev/shm", "/tmp"):
    i = 0
    try:
        while True:
            with open("%s/baton-leftover-fill-%d" % (place, i), "wb") as f:
                f.write(b"x" * 900000)
            i += 1
    except OSError:
        pass
print("filled")`,
    tests: stdin('not this'),
    verdicts: ['wrong_answer'],
    drivers: ['docker'],
  },
  {
    name: 'a process left running to tamper with the next jobs',
    code: `
import ctypes, os, time
libc = ctypes.CDLL(None)
if libc.fork() == 0:
    libc.setsid()
    if libc.fork() == 0:
        time.sleep(0.3)
        for _ in range(200):
            for place in ("/tmp", "/dev/shm"):
                try:
                    open(place + "/baton-leftover-daemon", "w").write("x")
                except OSError:
                    pass
            time.sleep(0.05)
    os._exit(0)
print("forked")`,
    tests: stdin('not this'),
    verdicts: ['wrong_answer'],
  },
  {
    // A thread-group leader that exits alone shows as a zombie while its threads run on; out of
    // the case's process group, it would outlive the job and kill later cases.
    name: 'a zombie group leader whose thread lives on to kill later cases',
    code: `
import ctypes, os, time, _thread
libc = ctypes.CDLL(None, use_errno=True)
if libc.fork() == 0:
    libc.setsid()
    for fd in range(0, 64):
        try:
            os.close(fd)
        except OSError:
            pass
    def work():
        uid = os.getuid()
        seen = set(int(p) for p in os.listdir("/proc") if p.isdigit())
        while True:
            for p in os.listdir("/proc"):
                if p.isdigit() and int(p) not in seen:
                    try:
                        if os.stat("/proc/" + p).st_uid == uid:
                            libc.kill(int(p), 9)
                            seen.add(int(p))
                    except OSError:
                        pass
            time.sleep(0.002)
    _thread.start_new_thread(work, ())
    time.sleep(0.05)
    libc.syscall(60, 0)
time.sleep(0.3)
print("wrong")`,
    tests: stdin('not this'),
    verdicts: ['wrong_answer'],
  },
  {
    // Decimal('sNaN') raises on comparison: the judge must call it unequal, not fail the job.
    name: 'a signalling NaN where a number is expected (an error instead of a wrong answer)',
    code: 'print("sNaN")',
    tests: stdin('1'),
    verdicts: ['wrong_answer'],
  },
  {
    name: 'a result message nested past the recursion limit (an error instead of a wrong answer)',
    code: 'import os\ndef solve(x):\n    os.write(4, b"[" * 60000)\n    os._exit(0)',
    tests: call,
    verdicts: ['runtime_error', 'wrong_answer'],
  },
  {
    name: 'a name in /tmp shaped like a dead supervisor root that no int() can read',
    code: 'open("/tmp/baton-harness-\\u00b2-a-b", "w").write("x")\nprint("done")',
    tests: stdin('not this'),
    verdicts: ['wrong_answer', 'runtime_error'],
  },
  {
    name: 'check style: an object whose __eq__ always says True',
    code: 'class Any:\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Any()',
    tests: checkTest,
    verdicts: ['wrong_answer'],
  },
  {
    name: 'check style: forging "ok" on every fd then os._exit',
    code: 'import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b\'{"status": "ok"}\\n{"value": 5}\\n\')\n    except OSError:\n        pass\nos._exit(0)',
    tests: checkTest,
    verdicts: ['runtime_error', 'wrong_answer'],
  },
  {
    name: "check style: reading the test's asserts from memory and frames",
    code: `
import gc, sys
def add(a, b):
    for obj in gc.get_objects():
        if isinstance(obj, str) and "candidate(2, 3) ==" in obj:
            return int(obj.split("candidate(2, 3) ==")[1].split()[0])
    frame = sys._getframe()
    while frame is not None:
        if "check" in frame.f_globals:
            return 5
        frame = frame.f_back
    return -1`,
    tests: checkTest,
    verdicts: ['wrong_answer'],
  },
  {
    // HumanEval shares one namespace, so there a program's `abs` is check()'s; here check() keeps
    // the builtins, and only names the test reads that nothing in its process defines are proxied.
    name: 'check style: shadowing a builtin check() uses (abs)',
    code: 'def add(a, b):\n    return 0\ndef abs(x):\n    return 0',
    tests: {
      style: 'check',
      cases: [
        { test: 'def check(candidate):\n    assert abs(candidate(2, 3) - 5) < 1e-6\n', entryPoint: 'add' },
      ],
    },
    verdicts: ['wrong_answer'],
  },
  {
    name: "check style: shadowing zip so that EvalPlus's loop checks nothing",
    code: 'def add(a, b):\n    return "wrong"\ndef zip(*a):\n    return []',
    tests: {
      style: 'check',
      cases: [
        {
          test: 'def check(candidate):\n    for inp, exp in zip([[2, 3]], [5]):\n        assert candidate(*inp) == exp\n',
          entryPoint: 'add',
        },
      ],
    },
    verdicts: ['wrong_answer'],
  },
  {
    name: 'check style: shadowing set in an MBPP assert',
    code: 'def similar(a, b):\n    return "wrong"\ndef set(*a):\n    return 0',
    tests: {
      style: 'check',
      cases: [
        {
          test: 'def check(candidate):\n    assert set(similar((1, 2), (2, 3))) == set((2,))\n',
          entryPoint: 'similar',
        },
      ],
    },
    verdicts: ['wrong_answer'],
  },
  {
    // Ints that all hash alike make a set quadratic to build: the judge gives up after a bound.
    name: 'a result set the judge would take minutes to build (all keys hash alike)',
    code: 'import os\ndef solve(x):\n    body = ",".join(str(k * (2**61 - 1)) for k in range(1, 250000))\n    os.write(4, (\'{"status": "ok", "value": {"set": [\' + body + "]}}").encode())\n    os._exit(0)',
    tests: call,
    verdicts: ['wrong_answer'],
  },
];

/** After each attack: two honest programs and a check that nothing the attack left is visible. */
const followUps: [string, CodeJob, TestStatus][] = [
  ['an honest pass', { code: 'print(sum(range(5)))', tests: stdin('10'), ...limits }, 'passed'],
  ['an honest wrong answer', { code: 'print(11)', tests: stdin('10'), ...limits }, 'wrong_answer'],
  [
    'a look for leftovers',
    {
      code: `${LEFTOVER_PLACES}
import time
time.sleep(0.5)
left = []
for place in places:
    try:
        left += [os.path.join(place, n) for n in os.listdir(place) if n.startswith("baton-leftover")]
    except OSError:
        pass
free = os.statvfs("/dev/shm")
if free.f_bavail * free.f_frsize < 8 << 20:
    left.append("/dev/shm is full")
open("scratch", "wb").write(b"x" * (1 << 20))
print("clean" if not left else left)`,
      tests: stdin('clean'),
      ...limits,
    },
    'passed',
  ],
];

function removeMarkers(): void {
  for (const place of ['/tmp', '/var/tmp', '/dev/shm', '/dev/mqueue', homedir()]) {
    let names: string[] = [];
    try {
      names = readdirSync(place);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.startsWith('baton-leftover')))
      rmSync(join(place, name), { recursive: true, force: true });
  }
}

const status = (result: CodeResult) => result.verdicts[0]?.status ?? 'missing';

const drivers = [dockerDriver(1), localDriver(1)];

for (const [driver, create, skip] of drivers) {
  describe.skipIf(skip)(`attacks on the verdict in the ${driver} driver`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      // The local driver shares this machine's /tmp: start from no marker files of an earlier run.
      if (driver === 'local') removeMarkers();
      sandbox = await create();
    });
    afterAll(() => sandbox?.close());

    for (const attack of attacks.filter((a) => !a.drivers || a.drivers.includes(driver))) {
      it(`${attack.name}: never a pass, and the next three jobs get their own verdicts`, async () => {
        const attacked = await sandbox.run({ code: attack.code, tests: attack.tests, ...limits });
        expect(attack.verdicts, JSON.stringify(attacked.verdicts)).toContain(status(attacked));
        expect(attacked.passed).toBe(false);
        for (const [what, job, expected] of followUps) {
          const result = await sandbox.run(job);
          expect(status(result), `${what}: ${JSON.stringify(result.verdicts)}`).toBe(expected);
        }
      });
    }
  });
}

describe('the local driver keeps secrets from the code it runs', () => {
  const key = 'sk-baton-test-4f9e2c71d8a3b6e0';
  let sandbox: Sandbox;
  beforeAll(() => {
    process.env.OPENAI_API_KEY = key;
    process.env.BATON_TEST_TOKEN = key;
    sandbox = createLocalSandbox({ concurrency: 1 });
  });
  afterAll(async () => {
    await sandbox?.close();
    delete process.env.OPENAI_API_KEY;
    delete process.env.BATON_TEST_TOKEN;
  });

  it('finds no key in os.environ nor in /proc/<ancestor>/environ of any ancestor', async () => {
    const code = `
import os
leaks, unreadable = [], []
def look(where, data):
    for needle in (${JSON.stringify(key.slice(0, 12))}, "OPENAI_API_KEY", "BATON_TEST_TOKEN"):
        if needle in data:
            leaks.append(where)
look("os.environ", repr(dict(os.environ)))
pid = os.getpid()
while pid > 1:
    try:
        look("/proc/%d/environ" % pid, open("/proc/%d/environ" % pid, "rb").read().decode("latin-1"))
    except OSError:
        unreadable.append(pid)
    pid = int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[1])
print("leaks", leaks, "unreadable", len(unreadable) > 0)`;
    const result = await sandbox.run({ code, tests: stdin('leaks [] unreadable True'), ...limits });
    expect(result.verdicts[0]?.status, result.verdicts[0]?.got).toBe('passed');
  });

  it('hands the harness only allow-listed variables', () => {
    const env = harnessEnvironment({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      OPENAI_API_KEY: key,
      GITHUB_TOKEN: key,
      AWS_SECRET_ACCESS_KEY: key,
      NODE_OPTIONS: '--require x',
      PYTHONPATH: '/attacker',
    });
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' });
  });
});
