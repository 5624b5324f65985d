import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../util/errors.js';
import type { SuiteFormat } from './format.js';
import { ProblemLog, type RowProblem } from './records/problems.js';
import type { SuiteOptions } from './ref-schema.js';
import { suiteFormats } from './registry.js';
import type { Task } from './types.js';

export interface LoadedSuite {
  name: string;
  format: SuiteFormat;
  /** Files read, with the SHA-256 of their bytes. */
  files: { path: string; sha256: string }[];
  tasks: Task[];
  /** Rows skipped (file:line, field, why). */
  problems: RowProblem[];
  /** SHA-256 of the selected tasks as baton sees them (prompt, answer key, tests, choices). */
  contentHash: string;
}

export function formatFor(path: string, options: SuiteOptions): SuiteFormat {
  if (options.format) {
    const format = suiteFormats.find((f) => f.id === options.format);
    if (!format) throw new UsageError(`no suite loader for format '${options.format}'`);
    return format;
  }
  const guessed = suiteFormats.find((f) => f.matches(path));
  if (!guessed) {
    throw new UsageError(
      `${path}: cannot tell the suite format from the file name; set format: ${suiteFormats.map((f) => f.id).join(' | ')}`,
    );
  }
  return guessed;
}

/** Loads a suite entry with everything `baton suites verify` reports. */
export function loadSuiteDetailed(path: string, options: SuiteOptions = {}): LoadedSuite {
  const format = formatFor(path, options);
  assertSuiteFilesPresent([{ path, options }]);
  const log = new ProblemLog(options.strict ?? format.strictByDefault ?? false);
  const declared = options.name ?? format.defaultName(options);
  const all = withGrading(
    dropDuplicateIds(format.load(path, options, { suite: declared, log }), log, path),
    format,
    options,
    path,
  );
  const name = declared || (all[0]?.suite ?? basename(path));
  log.problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  log.throwIfStrict();
  const tasks = select(all, options, path);
  return {
    name,
    format,
    files: format.files(path, options).map((f) => ({ path: f, sha256: sha256(readFileSync(f)) })),
    tasks,
    problems: log.problems,
    contentHash: contentHashOf(tasks),
  };
}

const announced = new Set<string>();

/**
 * Loads a suite entry and applies the config's selection. Skipped rows are announced once per
 * file on stderr (and listed in full by `baton suites verify`); `strict: true` makes them fatal.
 */
export function loadSuite(path: string, options: SuiteOptions = {}): Task[] {
  return loadSuiteAnnounced(path, options).tasks;
}

/** `loadSuite` with the suite's details (its content hash, which a trained head records). */
export function loadSuiteAnnounced(path: string, options: SuiteOptions = {}): LoadedSuite {
  const loaded = loadSuiteDetailed(path, options);
  const key = `${path}\0${loaded.contentHash}`;
  if (loaded.problems.length > 0 && !announced.has(key)) {
    announced.add(key);
    const first = loaded.problems[0] as RowProblem;
    process.stderr.write(
      `warning: ${loaded.name}: ${loaded.problems.length} row(s) skipped, first: ${first.file}:${first.line}:${first.col}: ${first.field ? `${first.field}: ` : ''}${first.message} (baton suites verify lists all; strict: true makes them fatal)\n`,
    );
  }
  return loaded;
}

/**
 * Every maths task carries its grading mode, and every task its suite's scorer when one is named, so
 * scores, votes and content hashes all see them.
 */
function withGrading(tasks: Task[], format: SuiteFormat, options: SuiteOptions, path: string): Task[] {
  const grader = options.grader ?? format.defaultGrader ?? 'equivalent';
  if (options.grader && tasks.length > 0 && !tasks.some((t) => t.kind === 'math'))
    throw new UsageError(
      `${path}: grader: ${options.grader} applies to maths tasks, and this suite has none`,
    );
  const scorer = options.scorer ? { scorer: options.scorer } : {};
  return tasks.map((t) => (t.kind === 'math' ? { ...t, grader, ...scorer } : { ...t, ...scorer }));
}

function select(tasks: Task[], options: SuiteOptions, path: string): Task[] {
  let selected = tasks;
  if (options.ids) {
    const known = new Set(tasks.map((t) => t.id));
    const missing = options.ids.filter((id) => !known.has(id));
    if (missing.length > 0) throw new UsageError(`${path}: no task with id ${missing.join(', ')}`);
    const wanted = new Set(options.ids);
    selected = selected.filter((t) => wanted.has(t.id));
  }
  return options.limit ? selected.slice(0, options.limit) : selected;
}

function dropDuplicateIds(tasks: Task[], log: ProblemLog, path: string): Task[] {
  const seen = new Set<string>();
  return tasks.filter((task) => {
    if (!seen.has(task.id)) {
      seen.add(task.id);
      return true;
    }
    const line = typeof task.meta.line === 'number' ? task.meta.line : 1;
    const file = typeof task.meta.file === 'string' ? task.meta.file : path;
    log.add({ file, line, col: 1, field: 'id', message: `duplicate task id '${task.id}' (first one kept)` });
    return false;
  });
}

/** SHA-256 of tasks as baton grades them (a suite's `contentHash`, a run's record of what it ran). */
export function contentHashOf(tasks: readonly Task[]): string {
  return sha256(JSON.stringify(tasks.map(gradedContent)));
}

/** What grading depends on; metadata such as file lines is left out so moving a file keeps the hash. */
function gradedContent(task: Task): unknown {
  return [
    task.id,
    task.kind,
    task.prompt,
    task.reference,
    task.tests ?? null,
    task.choices ?? null,
    task.grader ?? null,
    // Only when named, so suites graded by their kinds keep the hashes older runs recorded.
    ...(task.scorer ? [task.scorer] : []),
  ];
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface MissingFiles {
  files: string[];
  source: string;
}

export function missingFilesMessage(groups: MissingFiles[]): string {
  const count = groups.reduce((n, g) => n + g.files.length, 0);
  const lines = [`${count} suite file${count === 1 ? '' : 's'} missing (nothing was run or spent):`];
  for (const group of groups) {
    for (const file of group.files) lines.push(`  ${file}`);
    lines.push(`    get it: ${group.source}`);
  }
  return lines.join('\n');
}

/** Every file of every entry that is absent, grouped by entry, with where to get it. */
export function missingSuiteFiles(entries: { path: string; options: SuiteOptions }[]): MissingFiles[] {
  const groups: MissingFiles[] = [];
  for (const { path, options } of entries) {
    const format = formatFor(path, options);
    const files = format.files(path, options).filter((f) => !isReadableFile(f));
    if (files.length > 0) groups.push({ files, source: options.source ?? format.source });
  }
  return groups;
}

/**
 * Fails fast, before any provider is started or any money spent, listing every missing suite
 * file of a run config (not just the first) and where to get each.
 */
export function assertSuiteFilesPresent(entries: { path: string; options: SuiteOptions }[]): void {
  const missing = missingSuiteFiles(entries);
  if (missing.length > 0) throw new UsageError(missingFilesMessage(missing));
}

function isReadableFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
