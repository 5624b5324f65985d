// npm run bench:report [-- samples]: time and peak RSS of `baton report` over a synthetic store of
// 100 000 samples (generated once into $TMPDIR and reused). Targets: <= 10 s, <= 500 MB.
// Figures are printed, never asserted: the machine is shared.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const samples = Number(process.argv[2] ?? 100_000);
const runDir = join(tmpdir(), `baton-bench-report-${samples}`);
const here = import.meta.dirname;
if (!existsSync(join(runDir, 'run.sqlite')))
  execFileSync(process.execPath, [join(here, 'report-synthetic.mjs'), runDir, String(samples)], {
    stdio: 'inherit',
  });
const out = execFileSync(process.execPath, [join(here, 'report-measure.mjs'), runDir], { encoding: 'utf8' });
const r = JSON.parse(out);
process.stdout.write(
  `bench:report ${r.samples} samples: ${r.seconds} s (target <= 10 s), peak RSS ${r.peakRssMb} MB (target <= 500 MB), ${r.files} files in ${runDir}\n`,
);
