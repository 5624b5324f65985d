import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeMarkup } from '../../util/markup.js';
import { drawPointLabels } from '../chart-style.js';
import { buildCharts, provenance } from '../charts.js';
import { decisionHtml } from '../decision-render.js';
import { errorCausesHtml } from '../error-causes.js';
import { simulationScope } from '../provenance.js';
import { sequentialHtml } from '../sequential.js';
import { gradingSummary } from '../task-info.js';
import type { Report } from '../types.js';
import { CLIENT_SCRIPT } from './client.js';
import { STYLE } from './style.js';

/** chart.js's UMD build, read from node_modules at report time: the page must work offline. */
function chartJsSource(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('chart.js');
  return readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
}

/** JSON text made safe inside a <script> element: no "</script>" or "<!--" can close it early. */
function scriptSafe(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const scriptJson = (value: unknown): string => scriptSafe(JSON.stringify(value));

/**
 * Writes one self-contained HTML file: report data, chart definitions, inlined chart.js and the
 * traces of the trace explorer (JSON text each, see `traces`). It opens from file:// with the network
 * off. Traces are written as they come, so a run's traces are never all in memory (or in one string)
 * at once.
 */
export function writeHtml(file: string, report: Report, traces: Iterable<string>): void {
  const scope = simulationScope(report.provenance);
  const title = `${scope === 'all' ? 'SIMULATED — ' : scope === 'partly' ? 'PARTLY SIMULATED — ' : ''}baton report: ${report.run.name}`;
  const charts = buildCharts(report);
  const fd = openSync(file, 'w');
  try {
    const write = (text: string) => writeSync(fd, text);
    write(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(title)}</title>
<style>${STYLE}</style>
</head>
<body class="${report.simulated ? 'simulated' : ''}">
<header>
<h1>${escapeMarkup(title)}</h1>
<p class="banner" id="banner">${escapeMarkup(report.label)}</p>
${report.warnings.map((w) => `<p class="banner warning" data-testid="warning">Warning: ${escapeMarkup(w)}</p>`).join('\n')}
${report.smallSample.message ? `<p class="banner small-sample" data-testid="small-sample">${escapeMarkup(report.smallSample.message)}</p>` : ''}
${decisionHtml(report)}
<p class="provenance">${escapeMarkup(provenance(report))}</p>
<p class="grading" data-testid="grading">Grading: ${escapeMarkup(gradingSummary(report.grading))}</p>
${errorCausesHtml(report)}
${sequentialHtml(report.sequential, escapeMarkup)}
</header>
<nav id="toc"></nav>
<main id="app"></main>
<script type="application/json" id="report-data">${scriptJson(report)}</script>
<script type="application/json" id="chart-data">${scriptJson(charts)}</script>
<script type="application/json" id="trace-data">{"traces":[`);
    // Traces go out in chunks of about a megabyte: one write per trace costs a system call each.
    let chunk = '';
    let separator = '';
    for (const trace of traces) {
      chunk += separator + scriptSafe(trace);
      separator = ',';
      if (chunk.length > 2 ** 20) {
        write(chunk);
        chunk = '';
      }
    }
    write(`${chunk}],"total":${report.samples.recorded}}</script>
<script>${chartJsSource()}</script>
<script>${drawPointLabels.toString()}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`);
  } finally {
    closeSync(fd);
  }
}
