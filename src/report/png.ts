import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../util/package-root.js';
import { buildCharts } from './charts.js';
import type { Report } from './types.js';

export interface PngChart {
  /** Relative to the run folder. */
  file: string;
  title: string;
  caption: string;
}

/**
 * Draws a report's charts to PNG in a worker thread, while the main thread writes the Markdown and
 * HTML. The worker loads chart.js and Skia as soon as it is started: a run starts it while it is still
 * waiting on the models, so the report at the end only pays for drawing. The worker is compiled code
 * (dist/), also when tests run from source.
 */
export class PngWriter {
  private readonly worker = new Worker(join(packageRoot(), 'dist', 'report', 'png-worker.js'));
  /** Rejects when the worker dies (it failed to load, or crashed). */
  private readonly died: Promise<never>;

  constructor() {
    // Never keeps the process alive by itself: whoever awaits `written` does.
    this.worker.unref();
    this.died = new Promise<never>((_, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`PNG worker exited (code ${code})`)));
    });
    this.died.catch(() => {});
  }

  /** Chart files named at once; `written` settles when every PNG is on disk. One render at a time. */
  render(report: Report, dir: string): { charts: PngChart[]; written: Promise<void> } {
    mkdirSync(dir, { recursive: true });
    const specs = buildCharts(report);
    const answered = new Promise<void>((resolve, reject) => {
      this.worker.once('message', (answer: { error?: string }) =>
        answer.error === undefined ? resolve() : reject(new Error(`PNG charts: ${answer.error}`)),
      );
    });
    this.worker.ref();
    this.worker.postMessage({ specs, dir });
    return {
      charts: specs.map((s) => ({ file: `charts/${s.id}.png`, title: s.title, caption: s.caption })),
      written: Promise.race([answered, this.died]).finally(() => this.worker.unref()),
    };
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
