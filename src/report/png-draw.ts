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

/** Size of the report's charts, in pixels. */
const CHART_SIZE = { width: 960, height: 540 };

/** One chart as PNG bytes. */
export function renderPng(spec: Pick<ChartSpec, 'config'>, size = CHART_SIZE): Buffer {
  const canvas = createCanvas(size.width, size.height);
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

export const WARM_UP_SIZE = { width: 160, height: 90 };

const axes = { x: { title: { display: true, text: 'x' } }, y: { title: { display: true, text: 'y' } } };
const options = { plugins: { title: { display: true, text: 'warm-up' }, legend: {} }, scales: axes };

/**
 * One throwaway chart of each type the report draws. The first chart a thread draws costs about twice
 * a later one (chart.js, fonts, number formats and the PNG encoder warming up); the worker draws these
 * while the run still waits on the models, so the report at the end draws warm. They are drawn at
 * WARM_UP_SIZE: the code warms as well on a small canvas, for about half the pixel work (filling and
 * PNG-encoding 960 × 540 pixels is most of a chart's cost).
 */
export const WARM_UP_CHARTS: Pick<ChartSpec, 'config'>[] = [
  {
    config: { type: 'scatter', data: { datasets: [{ label: 'a', data: [{ x: 0.0012, y: 0.5 }] }] }, options },
  },
  { config: { type: 'bar', data: { labels: ['a'], datasets: [{ label: 'a', data: [1250] }] }, options } },
  { config: { type: 'line', data: { labels: ['0–10'], datasets: [{ label: 'a', data: [3] }] }, options } },
];
