import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, registerables } from 'chart.js';
import { drawPointLabels } from './chart-style.js';
import type { ChartSpec } from './charts.js';

Chart.register(...registerables);

/** chart.js draws on a transparent canvas; Markdown viewers with dark themes need a background. */
const whiteBackground = {
  id: 'white-background',
  beforeDraw(chart: Chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** One chart as PNG bytes; the encoding runs on libuv's thread pool, so several charts encode at once. */
async function renderPng(spec: Pick<ChartSpec, 'config'>): Promise<Buffer> {
  const canvas = createCanvas(960, 540);
  const plugins = (spec.config.options.plugins ?? {}) as Record<string, Record<string, unknown>>;
  const legend = {
    ...plugins.legend,
    labels: {
      ...(plugins.legend?.labels as Record<string, unknown> | undefined),
      filter: (item: { datasetIndex?: number }) =>
        !spec.config.data.datasets[item.datasetIndex ?? -1]?.hideFromLegend,
    },
  };
  const config = {
    ...spec.config,
    options: { ...spec.config.options, devicePixelRatio: 1, plugins: { ...plugins, legend } },
    plugins: [whiteBackground, { id: 'baton-point-labels', afterDatasetsDraw: drawPointLabels }],
  } as unknown as ChartConfiguration;
  // chart.js only needs the 2D context API, which @napi-rs/canvas implements.
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  try {
    return await canvas.encode('png');
  } finally {
    // Only once encoded: destroying a chart clears its canvas.
    chart.destroy();
  }
}

/**
 * Draws each chart with chart.js on @napi-rs/canvas (a prebuilt Skia binding) and writes it to
 * `<dir>/<id>.png`. chartjs-node-canvas is not used: it needs the `canvas` package, whose native build
 * fails here. Runs in the PNG worker thread (see png.ts). The charts are drawn one after the other and
 * encoded side by side (measured for a run's five charts: ~90 ms instead of ~160 ms one by one).
 */
export async function drawPngCharts(specs: readonly ChartSpec[], dir: string): Promise<void> {
  const encoded = specs.map(async (spec) => ({ spec, png: await renderPng(spec) }));
  for (const { spec, png } of await Promise.all(encoded)) writeFileSync(join(dir, `${spec.id}.png`), png);
}
