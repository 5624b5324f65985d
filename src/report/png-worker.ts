import { parentPort } from 'node:worker_threads';
import type { ChartSpec } from './charts.js';
import { drawPngCharts } from './png-draw.js';

// The PNG worker thread: draws the charts it is sent, then answers with nothing or an error message.

parentPort?.on('message', async ({ specs, dir }: { specs: ChartSpec[]; dir: string }) => {
  try {
    await drawPngCharts(specs, dir);
    parentPort?.postMessage({});
  } catch (err) {
    parentPort?.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
