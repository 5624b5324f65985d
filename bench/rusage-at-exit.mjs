// Preloaded with `node --import` into a measured process: writes its CPU time and peak RSS to the file
// named by BATON_BENCH_RUSAGE when it exits, so the whole real process is measured from inside.
import { writeFileSync } from 'node:fs';

const file = process.env.BATON_BENCH_RUSAGE;
if (file) {
  process.on('exit', () => {
    const r = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, maxRssKb: r.maxRSS }),
    );
  });
}
