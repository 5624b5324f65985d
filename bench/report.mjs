// npm run bench:report [-- smoke | samples]: time and peak RSS of writing the full report (JSON,
// Markdown, HTML, PNG) in a fresh process over a synthetic store of 100 000 samples (smoke: 2 000),
// generated once into $TMPDIR and reused. Targets: <= 10 s, <= 500 MB (for 100 000 samples).
// Figures are printed, never asserted: the machine is shared.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchArgs, benchSize, figure, reportFigures } from './size.mjs';

const size = benchSize();
const [samplesArg] = benchArgs();
const samples = Number(samplesArg ?? (size === 'smoke' ? 2_000 : 100_000));
if (!Number.isInteger(samples) || samples <= 0)
  throw new Error(`samples must be a positive integer: ${samplesArg}`);
const here = import.meta.dirname;
// Reused while the generator is unchanged (a store written by an older generator is not).
const generator = createHash('sha256')
  .update(readFileSync(join(here, 'report-synthetic.mjs')))
  .digest('hex')
  .slice(0, 8);
const runDir = join(tmpdir(), `baton-bench-report-${samples}-${generator}`);
if (!existsSync(join(runDir, 'run.sqlite'))) {
  // Written aside and renamed when complete, so an interrupted generation is never reused.
  const partial = `${runDir}.partial-${process.pid}`;
  try {
    execFileSync(process.execPath, [join(here, 'report-synthetic.mjs'), partial, String(samples)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    rmSync(runDir, { recursive: true, force: true });
    renameSync(partial, runDir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
}
const out = execFileSync(process.execPath, [join(here, 'report-measure.mjs'), runDir], { encoding: 'utf8' });
const r = JSON.parse(out);
const full = samples === 100_000;
process.stdout.write(
  `bench:report ${r.samples} samples: ${r.seconds} s (target <= 10 s for 100 000), peak RSS ${r.peakRssMb} MB (target <= 500 MB for 100 000), ${r.files} files in ${runDir}\n`,
);
const label = `report over ${r.samples.toLocaleString('en-US').replace(/,/g, ' ')} synthetic samples`;
reportFigures('bench:report', [
  figure({
    what: `${label}: wall time`,
    value: r.seconds,
    unit: 's',
    target: full ? { op: '<=', value: 10 } : null,
  }),
  figure({
    what: `${label}: peak RSS`,
    value: r.peakRssMb,
    unit: 'MB',
    digits: 0,
    target: full ? { op: '<=', value: 500 } : null,
  }),
]);
