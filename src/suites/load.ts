import { extname } from 'node:path';
import { UsageError } from '../config/errors.js';
import { loadBatonYamlSuite } from './baton-yaml/index.js';
import type { Task } from './types.js';

export interface SuiteSelection {
  limit?: number | undefined;
  ids?: string[] | undefined;
}

/** Loads a suite file by its format, then applies the config's selection. */
export function loadSuite(file: string, selection: SuiteSelection = {}): Task[] {
  const ext = extname(file).toLowerCase();
  if (ext !== '.yaml' && ext !== '.yml') throw new UsageError(`${file}: no suite loader for '${ext}' files`);
  let tasks = loadBatonYamlSuite(file);
  if (selection.ids) {
    const wanted = new Set(selection.ids);
    const missing = selection.ids.filter((id) => !tasks.some((t) => t.id === id));
    if (missing.length > 0) throw new UsageError(`${file}: no task with id ${missing.join(', ')}`);
    tasks = tasks.filter((t) => wanted.has(t.id));
  }
  return selection.limit ? tasks.slice(0, selection.limit) : tasks;
}
