import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORE_FILE } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { UsageError } from '../util/errors.js';
import { buildReport } from './build.js';
import { writeHtml } from './html/render.js';
import { renderMarkdown } from './markdown.js';
import { PngWriter } from './png.js';
import { traces } from './traces.js';
import type { Report } from './types.js';

export interface WriteReportOptions {
  /** Dotted path into task meta naming each task's cluster. */
  clusterField?: string | null;
  /** Draws the PNG charts; one is started (and stopped) for this report when absent. */
  png?: PngWriter;
}

/** A TRINITY head trained on the simulated pool driving live agents (head files load only when a run has one). */
async function headWarnings(configJson: string): Promise<string[]> {
  if (!configJson.includes('"trinity"')) return [];
  const { storedConfigHeadWarnings } = await import('../orchestrators/trinity/sim-trained.js');
  return storedConfigHeadWarnings(configJson);
}

/** Rebuilds report.json, report.md, report.html and charts/*.png of a run folder from its store. */
export async function writeReport(
  runDir: string,
  options: WriteReportOptions = {},
): Promise<{ report: Report; files: string[] }> {
  const file = join(runDir, STORE_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run folder (no ${STORE_FILE})`);
  // Started first: the worker loads chart.js and Skia while the report is computed.
  const png = options.png ?? new PngWriter();
  const store = new RunStore(file);
  try {
    const run = store.getRun();
    if (!run) throw new UsageError(`${runDir} holds no run`);
    const report = buildReport({
      run,
      samples: () => store.iterateSampleSummaries(),
      calls: () => store.iterateCallFacts(),
      clusterField: options.clusterField ?? null,
      errorMessage: (sampleId) => store.errorMessage(sampleId),
      warnings: await headWarnings(run.configJson),
    });
    const files: string[] = [];
    const write = (name: string, text: string) => {
      const path = join(runDir, name);
      writeFileSync(path, text);
      files.push(path);
    };
    write('report.json', `${JSON.stringify(report, null, 2)}\n`);
    // The PNGs are drawn in the worker while the Markdown and HTML are written here.
    const { charts, written } = png.render(report, join(runDir, 'charts'));
    try {
      write('report.md', renderMarkdown(report, charts));
      const html = join(runDir, 'report.html');
      writeHtml(html, report, traces(store, report));
      files.push(html);
    } finally {
      await written;
    }
    files.push(...charts.map((c) => join(runDir, c.file)));
    return { report, files };
  } finally {
    store.close();
    if (!options.png) await png.close();
  }
}
