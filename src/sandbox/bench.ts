import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { SandboxError } from '../util/errors.js';
import { quantile } from '../util/stats/proportion.js';
import { SUPERVISOR_CAPABILITIES } from './docker/container.js';
import { checkDocker } from './docker/engine.js';
import { sandboxImage } from './docker/image.js';
import { createDockerSandbox } from './docker/index.js';
import { harnessPath } from './harness/harness-path.js';
import { encodeJob, newNonce } from './harness/protocol.js';
import { createLocalSandbox } from './local/index.js';
import { resolvePython } from './local/python.js';
import type { CodeJob } from './types.js';

/*
 * `npm run bench:sandbox`: one sandbox execution at a time, each way side by side in one run, so
 * the ratios compare like with like on the same machine at the same moment.
 */

const TRIVIAL: CodeJob = {
  code: 'print(1)',
  tests: { style: 'stdin', cases: [{ input: '', output: '1' }] },
  timeoutMs: 6000,
  memoryMb: 512,
  outputLimitBytes: 1 << 20,
};

const TWENTY_TESTS: CodeJob = {
  code: 'n = int(input())\nprint(sum(i * i for i in range(n)))',
  tests: {
    style: 'stdin',
    cases: Array.from({ length: 20 }, (_, i) => {
      const n = 100 * (i + 1);
      return { input: `${n}\n`, output: `${((n - 1) * n * (2 * n - 1)) / 6}` };
    }),
  },
  timeoutMs: 6000,
  memoryMb: 512,
  outputLimitBytes: 1 << 20,
};

interface Timing {
  way: string;
  task: string;
  samples: number[];
}

/**
 * Runs a command with `input` on stdin and returns its stdout. With `untilLine`, stdin stays open
 * until the first line of output, as a driver does: the harness reads EOF during a job as its driver
 * being gone.
 */
function run(command: string, args: string[], input: string, untilLine = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (untilLine && out.includes('\n')) child.stdin.end();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`))));
    if (untilLine) child.stdin.write(input);
    else child.stdin.end(input);
  });
}

/** The naive host runner: one bare interpreter per test case, output compared here. */
async function bareHost(python: string, job: CodeJob): Promise<void> {
  if (job.tests.style !== 'stdin') throw new Error('bench jobs are stdin jobs');
  for (const c of job.tests.cases) {
    const out = await run(python, ['-c', job.code], c.input);
    if (out.trim() !== c.output.trim()) throw new Error(`bare host: wrong output ${out}`);
  }
}

/** A fresh container per task: `docker run --rm` with the same harness, settings and job. */
async function dockerRun(image: string, job: CodeJob): Promise<void> {
  const out = await run(
    'docker',
    [
      'run',
      '--rm',
      '-i',
      '--network',
      'none',
      '--read-only',
      '--tmpfs',
      '/tmp:rw,nosuid,nodev,size=64m,mode=1777',
      '--user',
      '0:0',
      '--cap-drop',
      'ALL',
      ...SUPERVISOR_CAPABILITIES.flatMap((cap) => ['--cap-add', cap]),
      '--security-opt',
      'no-new-privileges',
      '-v',
      `${dirname(harnessPath())}:/opt/baton:ro`,
      image,
      '/usr/bin/python3',
      '-I',
      '/opt/baton/harness.py',
    ],
    encodeJob(job, newNonce()),
    true,
  );
  if (!(JSON.parse(out) as { passed: boolean }).passed) throw new Error(`docker run: job failed: ${out}`);
}

async function time(
  way: string,
  task: string,
  iterations: number,
  once: () => Promise<void>,
): Promise<Timing> {
  await once(); // warm-up, not counted
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await once();
    samples.push(performance.now() - t0);
  }
  return { way, task, samples };
}

function row(t: Timing): string {
  const p50 = quantile(t.samples, 0.5) ?? Number.NaN;
  const p95 = quantile(t.samples, 0.95) ?? Number.NaN;
  const mean = t.samples.reduce((a, b) => a + b, 0) / t.samples.length;
  return `| ${t.task} | ${t.way} | ${t.samples.length} | ${(1000 / mean).toFixed(1)} | ${p50.toFixed(1)} | ${p95.toFixed(1)} |`;
}

const p50 = (t: Timing) => quantile(t.samples, 0.5) ?? Number.NaN;

export async function benchSandbox(iterations = 40): Promise<void> {
  const python = resolvePython();
  const image = sandboxImage();
  const check = await checkDocker(image);
  if (!check.ok) throw new SandboxError(`bench:sandbox needs Docker: ${check.reason}`);
  const warm = await createDockerSandbox({ docker: check.docker, image, warmContainers: 1 });
  const local = createLocalSandbox({ concurrency: 1 });
  const timings: Timing[] = [];
  try {
    for (const [task, job] of [
      ['trivial', TRIVIAL],
      ['20 stdin tests', TWENTY_TESTS],
    ] as const) {
      timings.push(await time(`bare host ${python}`, task, iterations, () => bareHost(python, job)));
      timings.push(
        await time('local driver (warm, no isolation)', task, iterations, async () => {
          if (!(await local.run(job)).passed) throw new Error('local: job failed');
        }),
      );
      timings.push(
        await time('docker warm pool', task, iterations, async () => {
          if (!(await warm.run(job)).passed) throw new Error('warm pool: job failed');
        }),
      );
      timings.push(
        await time('docker run --rm', task, Math.ceil(iterations / 4), () => dockerRun(image, job)),
      );
    }
  } finally {
    await warm.close();
    await local.close();
  }
  const out = [
    `bench:sandbox — ${new Date().toISOString()} — ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`,
    'One execution at a time; each way warmed up once; latency in ms.',
    '',
    '| task | way | runs | executions/s | p50 | p95 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...timings.map(row),
    '',
  ];
  for (const task of ['trivial', '20 stdin tests']) {
    const of = (prefix: string) => timings.find((t) => t.task === task && t.way.startsWith(prefix)) as Timing;
    out.push(
      `${task}: warm pool / bare host = ${(p50(of('docker warm')) / p50(of('bare host'))).toFixed(2)}×; ` +
        `docker run / warm pool = ${(p50(of('docker run')) / p50(of('docker warm'))).toFixed(1)}× (p50)`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
