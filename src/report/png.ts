import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, registerables } from 'chart.js';
import { buildCharts } from './charts.js';
import type { Report } from './types.js';

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

export interface PngChart {
  /** Relative to the run folder. */
  file: string;
  title: string;
  caption: string;
}

/**
 * Renders the report's charts to PNG with chart.js on @napi-rs/canvas (a prebuilt Skia binding).
 * chartjs-node-canvas is not used: it needs the `canvas` package, whose native build fails here.
 * Charts are drawn here; PNG encoding and the file writes run off the main thread, and `written`
 * settles when every file is on disk.
 */
export function writePngCharts(report: Report, dir: string): { charts: PngChart[]; written: Promise<void> } {
  mkdirSync(dir, { recursive: true });
  const out: PngChart[] = [];
  const files: Promise<void>[] = [];
  for (const spec of buildCharts(report)) {
    const canvas = createCanvas(960, 540);
    const plugins = spec.config.options.plugins as Record<string, Record<string, unknown>>;
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
    // destroy() clears the canvas: only once the encoding is done.
    files.push(
      canvas
        .encode('png')
        .finally(() => chart.destroy())
        .then((png) => writeFile(join(dir, `${spec.id}.png`), png)),
    );
    out.push({ file: `charts/${spec.id}.png`, title: spec.title, caption: spec.caption });
  }
  return { charts: out, written: Promise.all(files).then(() => undefined) };
}
