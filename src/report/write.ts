import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../config/errors.js';
import { STORE_FILE } from '../runner/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { buildReport } from './build.js';
import { writeHtml } from './html/render.js';
import { renderMarkdown } from './markdown.js';
import { writePngCharts } from './png.js';
import { traces } from './traces.js';
import type { Report } from './types.js';

export interface WriteReportOptions {
  /** Dotted path into task meta naming each task's cluster. */
  clusterField?: string | null;
  /** Skip the PNG charts (they take ~1 s). */
  png?: boolean;
}

/** Rebuilds report.json, report.md, report.html and charts/*.png of a run folder from its store. */
export async function writeReport(
  runDir: string,
  options: WriteReportOptions = {},
): Promise<{ report: Report; files: string[] }> {
  const file = join(runDir, STORE_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run folder (no ${STORE_FILE})`);
  const store = new RunStore(file);
  try {
    const run = store.getRun();
    if (!run) throw new Error(`${runDir} holds no run`);
    const report = buildReport({
      run,
      samples: () => store.iterateSampleSummaries(),
      events: () => store.iterateEventFacts(),
      clusterField: options.clusterField ?? null,
    });
    const files: string[] = [];
    const write = (name: string, text: string) => {
      const path = join(runDir, name);
      writeFileSync(path, text);
      files.push(path);
    };
    write('report.json', `${JSON.stringify(report, null, 2)}\n`);
    // The PNGs are encoded and written while the Markdown and HTML are.
    const { charts, written } =
      options.png === false
        ? { charts: [], written: Promise.resolve() }
        : writePngCharts(report, join(runDir, 'charts'));
    write('report.md', renderMarkdown(report, charts));
    const html = join(runDir, 'report.html');
    writeHtml(html, report, traces(store, report));
    files.push(html);
    await written;
    files.push(...charts.map((c) => join(runDir, c.file)));
    return { report, files };
  } finally {
    store.close();
  }
}
