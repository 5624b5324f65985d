// npm run bench [-- smoke]: every bench:* script of package.json, one after another, at full size
// (or the size given), then one summary table (what, figure, target, met?) headed by the machine,
// the Node version and the date. The summary is also written as JSON (bench/results/summary.json, or
// BENCH_SUMMARY), from which `npm run readme:bench` regenerates the README's performance section.
// A bench that fails is listed as failed and the others still run; the exit code is then 1.
// Figures are printed, never asserted.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { benchScripts, root } from './scripts.mjs';
import { benchSize } from './size.mjs';

const size = benchSize();
const summaryFile =
  process.env.BENCH_SUMMARY ??
  (size === 'full'
    ? join(root, 'bench', 'results', 'summary.json')
    : join(tmpdir(), `baton-bench-summary-${size}.json`));
const work = mkdtempSync(join(tmpdir(), 'baton-bench-all-'));

function run(command, env) {
  return new Promise((resolve) => {
    const child = spawn(command, {
      cwd: root,
      shell: true,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      output += d.toString();
      stderr += d.toString();
      process.stderr.write(d);
    });
    child.on('close', (code, signal) => resolve({ code, signal, output, stderr }));
  });
}

const machine = {
  cpu: cpus()[0]?.model?.trim() ?? 'unknown CPU',
  cores: cpus().length,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  os: `${type()} ${release()}`,
};
const started = new Date();
// The machine may be shared: its 1-minute load average at the start says how busy others kept it.
const loadAtStart = loadavg()[0];
const benches = [];
for (const { name, command } of benchScripts()) {
  process.stdout.write(`\n== ${name} (${size}): ${command}\n`);
  const resultFile = join(work, `${name.replace(/\W/g, '_')}.json`);
  const t0 = performance.now();
  const { code, signal, output, stderr } = await run(command, { BENCH_SIZE: size, BENCH_RESULT: resultFile });
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  let figures = [];
  // The first error line it printed (a stack's message), else its last line.
  const lines = stderr.trim().split('\n');
  const why = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.at(-1) ?? '';
  let error = code === 0 ? null : `exited ${code ?? signal}: ${why.trim()}`;
  if (!error) {
    try {
      figures = JSON.parse(readFileSync(resultFile, 'utf8')).figures;
    } catch (e) {
      error = `wrote no figures (${e.message})`;
    }
  }
  benches.push({ script: name, command, seconds, ok: !error, error, figures, output });
}
rmSync(work, { recursive: true, force: true });

const summary = {
  date: started.toISOString(),
  size,
  machine,
  loadAtStart,
  node: process.version,
  benches,
};
mkdirSync(dirname(summaryFile), { recursive: true });
writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);

const { summaryMarkdown } = await import('./summary.mjs');
process.stdout.write(
  `\n${summaryMarkdown(summary)}\nsummary written to ${relative(process.cwd(), summaryFile)}\n`,
);
process.exitCode = benches.every((b) => b.ok) ? 0 : 1;
