import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../config/errors.js';
import { STORE_FILE } from '../runner/run-dir.js';
import { RunStore } from '../store/run-store.js';
import { buildReport } from './build.js';
import { renderMarkdown } from './markdown.js';
import type { Report } from './types.js';

/** Rebuilds report.json and report.md of a run folder from its store. */
export function writeReport(runDir: string): { report: Report; files: string[] } {
  const file = join(runDir, STORE_FILE);
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run folder (no ${STORE_FILE})`);
  const store = new RunStore(file);
  try {
    const run = store.getRun();
    if (!run) throw new Error(`${runDir} holds no run`);
    const report = buildReport(run, store.samples(), store.events());
    const files = [join(runDir, 'report.json'), join(runDir, 'report.md')];
    writeFileSync(files[0] as string, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(files[1] as string, renderMarkdown(report));
    return { report, files };
  } finally {
    store.close();
  }
}
