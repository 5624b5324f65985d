import { parentPort } from 'node:worker_threads';
import type { ChartSpec } from './charts.js';
import { drawPngCharts, renderPng, WARM_UP_CHARTS, WARM_UP_SIZE } from './png-draw.js';

// The PNG worker thread: draws the charts it is sent, then answers with nothing or an error message.

// Before any message is handled (they queue meanwhile): see WARM_UP_CHARTS.
for (const chart of WARM_UP_CHARTS) renderPng(chart, WARM_UP_SIZE);

parentPort?.on('message', ({ specs, dir }: { specs: ChartSpec[]; dir: string }) => {
  try {
    drawPngCharts(specs, dir);
    parentPort?.postMessage({});
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
