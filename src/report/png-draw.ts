import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, registerables } from 'chart.js';
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

/** One chart as PNG bytes. */
function renderPng(spec: Pick<ChartSpec, 'config'>): Buffer {
  const canvas = createCanvas(960, 540);
  const plugins = (spec.config.options.plugins ?? {}) as Record<string, Record<string, unknown>>;
  const legend = {
    ...plugins.legend,
    labels: {
      filter: (item: { datasetIndex?: number }) =>
        !spec.config.data.datasets[item.datasetIndex ?? -1]?.hideFromLegend,
    },
  };
  const config = {
    ...spec.config,
    options: { ...spec.config.options, devicePixelRatio: 1, plugins: { ...plugins, legend } },
    plugins: [whiteBackground],
  } as unknown as ChartConfiguration;
  // chart.js only needs the 2D context API, which @napi-rs/canvas implements.
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/**
 * Draws each chart with chart.js on @napi-rs/canvas (a prebuilt Skia binding) and writes it to
 * `<dir>/<id>.png`. chartjs-node-canvas is not used: it needs the `canvas` package, whose native build
 * fails here. Runs in the PNG worker thread (see png.ts).
 */
export function drawPngCharts(specs: readonly ChartSpec[], dir: string): void {
  for (const spec of specs) writeFileSync(join(dir, `${spec.id}.png`), renderPng(spec));
}
