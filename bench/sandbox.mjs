// npm run bench:sandbox [-- smoke]: runs `baton sandbox bench` (src/sandbox/bench.ts: a bare host
// interpreter, the local driver, the Docker warm pool and `docker run --rm`, one execution at a time,
// side by side) at the size given as argument or by BENCH_SIZE, passes its output through, and reads
// its p50 figures back for `npm run bench`. Needs the built CLI and, for Docker, the sandbox image.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchSize, figure, reportFigures } from './size.mjs';

const size = benchSize();
const root = join(import.meta.dirname, '..');
const child = spawn(process.execPath, [join(root, 'bin/baton.js'), 'sandbox', 'bench'], {
  env: { ...process.env, BENCH_SIZE: size },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout.on('data', (d) => {
  out += d.toString();
  process.stdout.write(d);
});
const code = await new Promise((resolve) => child.on('close', resolve));
if (code !== 0) {
  process.stderr.write(`bench:sandbox: baton sandbox bench exited ${code}\n`);
  process.exit(typeof code === 'number' && code > 0 ? code : 1);
}

const runs = (row) => `${row.runs} run${row.runs === 1 ? '' : 's'}`;
// Its table: | task | way | runs | executions/s | p50 | p95 |
const rows = [];
for (const line of out.split('\n')) {
  const cells = line.split('|').map((c) => c.trim());
  if (cells.length < 8 || !/^\d+$/.test(cells[3] ?? '')) continue;
  rows.push({ task: cells[1], way: cells[2], runs: Number(cells[3]), p50: Number(cells[5]) });
}
const tasks = [...new Set(rows.map((r) => r.task))];
const find = (task, prefix) => {
  const row = rows.find((r) => r.task === task && r.way.startsWith(prefix));
  if (!row || !Number.isFinite(row.p50))
    throw new Error(`bench:sandbox: no "${prefix}" row for "${task}" in the output of baton sandbox bench`);
  return row;
};
if (tasks.length === 0)
  throw new Error('bench:sandbox: no result table in the output of baton sandbox bench');
const figures = [];
for (const task of tasks) {
  const [bare, warm, fresh] = [find(task, 'bare host'), find(task, 'docker warm'), find(task, 'docker run')];
  figures.push(
    figure({
      what: `${task}: p50, bare host python3 (${runs(bare)})`,
      value: bare.p50,
      unit: 'ms',
      digits: 1,
    }),
    figure({
      what: `${task}: p50, Docker warm pool (${runs(warm)})`,
      value: warm.p50,
      unit: 'ms',
      digits: 1,
    }),
    figure({
      what: `${task}: p50, docker run --rm (${runs(fresh)})`,
      value: fresh.p50,
      unit: 'ms',
      digits: 1,
    }),
    // The README's claim: forked from a warmed-up supervisor, the pool beats a bare interpreter.
    figure({
      what: `${task}: warm pool / bare host (p50)`,
      value: warm.p50 / bare.p50,
      unit: '×',
      target: { op: '<', value: 1 },
    }),
    figure({
      what: `${task}: docker run --rm / warm pool (p50)`,
      value: fresh.p50 / warm.p50,
      unit: '×',
      digits: 1,
    }),
  );
}
reportFigures('bench:sandbox', figures, size);
