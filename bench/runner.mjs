// npm run bench:runner: harness overhead against the ideal. For each latency L, side by side in one
// run: (a) a bare openai-SDK loop on the SDK's default transport (the global fetch), (a') the same
// loop on the transport baton hands the SDK, and (b) `baton run` (trace, store and cache on) over N
// samples at concurrency C against the same fake server in its own process; then (c) the same run
// recorded to a cassette and replayed from it (no SDK, no network). baton / (a) is what a run costs
// against the SDK used as it comes; baton / (a') is baton's own work per call, transport aside.
// Figures are printed, never asserted. Size (argument or BENCH_SIZE): full (N = 4 000, 3 repeats) or
// smoke (N = 200, 1 repeat); BENCH_N, BENCH_REPEAT and BENCH_C override either.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSize, figure, reportFigures } from './size.mjs';

const size = benchSize();
const N = Number(process.env.BENCH_N ?? (size === 'smoke' ? 200 : 4000));
if (!Number.isInteger(N / 40) || N <= 0) throw new Error(`BENCH_N must be a positive multiple of 40: ${N}`);
// Runs of each kind, interleaved (bare, baton, replay, bare, …); medians are printed, with the range,
// because on a 2-core machine one run's CPU time varies by ±15–25% (GC helper threads, the server
// sharing the cores): the CPU ratio is also given between each kind's least-CPU run.
const R = Number(process.env.BENCH_REPEAT ?? (size === 'smoke' ? 1 : 3));
const C = Number(process.env.BENCH_C ?? 64);
const here = import.meta.dirname;
const root = join(here, '..');
const work = mkdtempSync(join(tmpdir(), 'baton-bench-runner-'));

function startServer(latency) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, 'fake-openai.mjs'), String(latency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', (d) => resolve({ child, port: Number(/port (\d+)/.exec(d.toString())[1]) }));
  });
}

/**
 * Runs a node script in its own process; returns wall ms, the process's own CPU ms and peak RSS, and
 * for `baton run` the samples/s of its run phase (start-up and report writing excluded).
 */
function measure(args) {
  const rusage = join(work, `rusage-${Math.random().toString(36).slice(2)}.json`);
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['--import', join(here, 'rusage-at-exit.mjs'), ...args], {
    env: { ...process.env, BATON_BENCH_RUSAGE: rusage },
    encoding: 'utf8',
  });
  const wallMs = performance.now() - t0;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  const r = JSON.parse(readFileSync(rusage, 'utf8'));
  const rate = /ran \d+ (?:samples|calls) in [\d.]+ s \((\d+) (?:samples|calls)\/s\)/.exec(child.stderr)?.[1];
  return { wallMs, cpuMs: r.cpuMs, rssMb: r.maxRssKb / 1024, samplesPerSecond: rate ? Number(rate) : null };
}

/** Each figure's median over the runs, and its range as [min, max]. */
function medians(runs) {
  const out = {};
  for (const key of Object.keys(runs[0])) {
    const values = runs
      .map((r) => r[key])
      .filter((v) => v !== null)
      .sort((a, b) => a - b);
    out[key] = values.length ? values[Math.floor((values.length - 1) / 2)] : null;
    out[`${key}Range`] = values.length ? [values[0], values[values.length - 1]] : null;
  }
  return out;
}

function writeConfig(port, name) {
  const tasks = Array.from(
    { length: 40 },
    (_, i) => `  - id: t${i}\n    prompt: "What is 2 + 2? (variant ${i})"\n    answer: "4"\n`,
  ).join('');
  writeFileSync(join(work, 'suite.yaml'), `suite: bench\nversion: 1\nkind: math\ntasks:\n${tasks}`);
  const config = [
    `name: ${name}`,
    'seed: 1',
    `repeats: ${N / 40}`,
    `concurrency: ${C}`,
    `providerConcurrency: { initial: ${C}, max: ${C} }`,
    'suites: [{ path: suite.yaml }]',
    'pool:',
    '  - id: bench',
    '    provider: openai-compatible',
    `    baseUrl: http://127.0.0.1:${port}/v1`,
    '    model: bench',
    '    price: { input: 1, output: 2 }',
    'orchestrators: [{ id: single, family: single, agent: bench }]',
  ].join('\n');
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${config}\n`);
  return file;
}

const rows = [];
for (const latency of [200, 50]) {
  const { child, port } = await startServer(latency);
  try {
    const ideal = (N * latency) / C;
    const config = writeConfig(port, `bench-l${latency}`);
    const cassette = join(work, `l${latency}.cassette.jsonl`);
    const batonRun = (runId, ...extra) =>
      measure([
        join(root, 'bin/baton.js'),
        'run',
        config,
        '--output',
        work,
        '--run-id',
        runId,
        '--quiet',
        // Each run buys its calls (the path under measure): the shared cache would answer the repeats.
        '--no-cache',
        ...extra,
      ]);
    // The cache-hit path: record the same run to a cassette once (not reported), then replay it.
    batonRun(`l${latency}-record`, '--record', cassette);
    const bareLoop = (transport) =>
      measure([join(here, 'bare-sdk.mjs'), `http://127.0.0.1:${port}/v1`, String(N), String(C), transport]);
    const runs = { bare: [], bareBaton: [], baton: [], replay: [] };
    for (let r = 0; r < R; r++) {
      runs.bare.push(bareLoop('default'));
      runs.baton.push(batonRun(`l${latency}-${r}`));
      runs.bareBaton.push(bareLoop('baton'));
      runs.replay.push(batonRun(`l${latency}-replay-${r}`, '--replay', cassette));
    }
    const [bare, bareBaton, baton, replay] = [runs.bare, runs.bareBaton, runs.baton, runs.replay].map(
      medians,
    );
    // Run i of each kind ran back to back, under the same load on the VM: their ratio is a third view.
    const pairs = medians(
      runs.bare.map((b, i) => ({
        cpu: runs.baton[i].cpuMs / b.cpuMs,
        cpuSameTransport: runs.baton[i].cpuMs / runs.bareBaton[i].cpuMs,
      })),
    );
    rows.push({ latency, ideal, bare, bareBaton, baton, replay, pairs });
  } finally {
    child.kill();
  }
}
rmSync(work, { recursive: true, force: true });

const f = (x, d = 1) => x.toFixed(d);
const lines = [
  `bench:runner — ${new Date().toISOString()} — ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}; N = ${N} calls, C = ${C}; fake server in its own process`,
  '',
  `Medians of ${R} interleaved runs each, (min–max) beside them.`,
  '',
  '| L | what | wall s | ideal N·L/C s | wall / ideal | CPU ms per call | peak RSS MB | calls/s, loop only |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of rows) {
  for (const [what, m] of [
    ['bare openai SDK loop (default transport)', r.bare],
    ["bare openai SDK loop on baton's transport", r.bareBaton],
    ['baton run (trace + store + cache)', r.baton],
  ]) {
    const range = (key, scale, d) =>
      `${f(m[key] / scale, d)} (${m[`${key}Range`].map((v) => f(v / scale, d)).join('–')})`;
    lines.push(
      `| ${r.latency} ms | ${what} | ${range('wallMs', 1000, 2)} | ${f(r.ideal / 1000, 2)} | ${f(m.wallMs / r.ideal, 3)} | ${range('cpuMs', N, 2)} | ${range('rssMb', 1, 0)} | ${m.samplesPerSecond ?? '–'} |`,
    );
  }
}
lines.push('');
for (const r of rows) {
  lines.push(
    `L = ${r.latency} ms: baton throughput / bare (default transport) = ${f(r.bare.wallMs / r.baton.wallMs, 3)} for the whole process (start-up and report included), ${f(r.baton.samplesPerSecond / r.bare.samplesPerSecond, 3)} for the loop alone; ` +
      `CPU per call baton / bare (default transport) = ${f(r.baton.cpuMs / r.bare.cpuMs, 2)} (medians; ${f(r.baton.cpuMsRange[0] / r.bare.cpuMsRange[0], 2)} between the two kinds' least-CPU runs; ${f(r.pairs.cpu, 2)} median of the ${R} back-to-back pairs, ${r.pairs.cpuRange.map((v) => f(v, 2)).join('–')}); ` +
      `baton / bare on baton's transport (baton's own work, transport aside) = ${f(r.baton.cpuMs / r.bareBaton.cpuMs, 2)} (medians; ${f(r.baton.cpuMsRange[0] / r.bareBaton.cpuMsRange[0], 2)} least-CPU; ${f(r.pairs.cpuSameTransport, 2)} pairs, ${r.pairs.cpuSameTransportRange.map((v) => f(v, 2)).join('–')}); ` +
      `replayed from the cassette (no SDK, no network): ${r.replay.samplesPerSecond} samples/s in the run phase, ${f(N / (r.replay.wallMs / 1000), 0)} samples/s for the whole process (start-up and report included), peak RSS ${f(r.replay.rssMb, 0)} MB`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

// For `npm run bench`: issue 10's targets, all against the bare SDK loop as it comes (default
// transport), held at both latencies; baton's own work (against the loop on its transport) has none.
const figures = [];
for (const r of rows) {
  const at = `L = ${r.latency} ms, N = ${N}, C = ${C}`;
  figures.push(
    figure({
      what: `baton run / bare SDK loop, throughput, whole process (${at})`,
      value: r.bare.wallMs / r.baton.wallMs,
      unit: '',
      digits: 3,
      target: { op: '>=', value: 0.95 },
    }),
    figure({
      what: `baton run / bare SDK loop, throughput, loop only (${at})`,
      value: r.baton.samplesPerSecond / r.bare.samplesPerSecond,
      unit: '',
      digits: 3,
      target: { op: '>=', value: 0.95 },
    }),
    figure({
      what: `baton run / bare SDK loop, CPU per call, medians of ${R} (${at})`,
      value: r.baton.cpuMs / r.bare.cpuMs,
      unit: '×',
      target: { op: '<=', value: 1.5 },
    }),
    figure({
      what: `baton run / bare loop on baton's transport, CPU per call, medians of ${R} (${at})`,
      value: r.baton.cpuMs / r.bareBaton.cpuMs,
      unit: '×',
    }),
    figure({
      what: `baton run peak RSS, median of ${R} (${at})`,
      value: r.baton.rssMb,
      unit: 'MB',
      digits: 0,
      target: { op: '<=', value: 300 },
    }),
    figure({
      what: `cassette replay, samples/s, run phase (${at})`,
      value: r.replay.samplesPerSecond,
      unit: 'samples/s',
      digits: 0,
      target: { op: '>=', value: 2000 },
    }),
    figure({
      what: `cassette replay, samples/s, whole process (${at})`,
      value: N / (r.replay.wallMs / 1000),
      unit: 'samples/s',
      digits: 0,
      target: { op: '>=', value: 2000 },
    }),
  );
}
reportFigures('bench:runner', figures);
