// Builds and writes the full report (JSON, Markdown, HTML, PNG) of one run folder in this fresh
// process and prints wall time and peak RSS. Usage: node bench/report-measure.mjs <run-dir>
import { writeReport } from '../dist/report/write.js';

const [runDir] = process.argv.slice(2);
const t0 = performance.now();
const { report, files } = await writeReport(runDir);
const seconds = (performance.now() - t0) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ samples: report.samples.recorded, seconds: Number(seconds.toFixed(2)), peakRssMb: Math.round(peakMb), files: files.length })}\n`,
);
