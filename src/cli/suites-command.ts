import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadRunConfig } from '../config/load.js';
import { cutoffNotes, formatWindow, suiteWindow } from '../suites/contamination.js';
import { type LoadedSuite, loadSuiteDetailed } from '../suites/load.js';
import { type SuiteOptions, suiteRefSchema } from '../suites/ref-schema.js';
import { suiteFormats } from '../suites/registry.js';
import { formatFieldPath, UsageError } from '../util/errors.js';

interface Entry {
  path: string;
  options: SuiteOptions;
}

interface Target {
  entries: Entry[];
  /** Models of the config's pool (for the contamination lines); empty for a bare suite file. */
  models: string[];
}

interface FileFlags {
  format?: string;
  name?: string;
  release?: string;
  startDate?: string;
  endDate?: string;
  platform?: string;
  variant?: string;
  split?: string;
  strict?: boolean;
}

/** `baton suites list|show|verify`: what a config's (or one file's) suites load to, before a run. */
export function addSuitesCommands(program: Command): void {
  const suites = program
    .command('suites')
    .description('Inspect benchmark suites: formats, tasks, hashes, bad rows');
  suites
    .command('list')
    .description('List the suite formats baton reads, or the suites of a run config with their task counts')
    .argument('[target]', 'run config (YAML) or suite file/folder')
    .action(async (target: string | undefined) => {
      if (!target) {
        for (const f of suiteFormats)
          process.stdout.write(
            `${f.id.padEnd(14)} ${f.kind.padEnd(5)} ${f.title}\n${' '.repeat(21)}get: ${f.source}\n`,
          );
        return;
      }
      for (const suite of loadAll((await resolveTarget(target, {})).entries))
        process.stdout.write(
          `${suite.name}: ${suite.tasks.length} tasks (${suite.format.id}; ${suite.problems.length} rows skipped)\n`,
        );
    });
  addFileFlags(
    suites
      .command('show')
      .description('List the tasks a target loads to, or print one task in full')
      .argument('<target>', 'run config (YAML) or suite file/folder')
      .option('--id <task-id>', 'print this task in full (prompt, answer key, tests)'),
  ).action(async (target: string, opts: FileFlags & { id?: string }) => {
    for (const suite of loadAll((await resolveTarget(target, opts)).entries)) {
      if (opts.id) {
        const task = suite.tasks.find((t) => t.id === opts.id);
        if (task) process.stdout.write(`${JSON.stringify(task, null, 2)}\n`);
        continue;
      }
      process.stdout.write(`# ${suite.name} (${suite.format.id}): ${suite.tasks.length} tasks\n`);
      for (const t of suite.tasks) {
        const tests = t.tests ? ` ${t.tests.style}×${t.tests.cases.length}` : '';
        const firstLine = t.prompt.split('\n').find((l) => l.trim() !== '' && !l.startsWith('You are')) ?? '';
        process.stdout.write(`${t.id}\t${t.kind}/${t.category}${tests}\t${firstLine.slice(0, 80)}\n`);
      }
    }
  });
  addFileFlags(
    suites
      .command('verify')
      .description(
        'Load every suite: counts, file and content hashes, skipped rows, contamination window; exit 2 if any row was skipped',
      )
      .argument('<target>', 'run config (YAML) or suite file/folder')
      .option('--json', 'print the result as JSON'),
  ).action(async (target: string, opts: FileFlags & { json?: boolean }) => {
    const { entries, models } = await resolveTarget(target, opts);
    const results = entries.map((entry) => {
      const suite = loadSuiteDetailed(entry.path, entry.options);
      const window = suiteWindow(entry.options);
      return { suite, window, cutoffs: cutoffNotes(models, window) };
    });
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(
          results.map(({ suite, window, cutoffs }) => ({
            name: suite.name,
            format: suite.format.id,
            tasks: suite.tasks.length,
            contentHash: suite.contentHash,
            files: suite.files,
            skipped: suite.problems,
            window: window ?? null,
            cutoffs,
          })),
          null,
          2,
        )}\n`,
      );
    } else {
      for (const { suite, window, cutoffs } of results)
        process.stdout.write(verifyText(suite, window, cutoffs));
    }
    const skipped = results.reduce((n, r) => n + r.suite.problems.length, 0);
    if (skipped > 0) process.exitCode = 2;
  });
}

function verifyText(
  suite: LoadedSuite,
  window: ReturnType<typeof suiteWindow>,
  cutoffs: ReturnType<typeof cutoffNotes>,
): string {
  const lines = [
    `${suite.name} (${suite.format.id}): ${suite.tasks.length} tasks, content sha256 ${suite.contentHash}`,
  ];
  for (const f of suite.files) lines.push(`  file ${f.path}  sha256 ${f.sha256}`);
  lines.push(`  window: ${formatWindow(window)}`);
  for (const c of cutoffs) {
    const overlap =
      c.overlaps === null
        ? ''
        : c.overlaps
          ? '  ← cut-off on/after window start: may have seen items'
          : '  (before the window)';
    lines.push(
      `  ${c.model}: knowledge cut-off ${c.cutoff ?? 'not stated'}${c.source ? ` [${c.source}]` : ''}${overlap}`,
    );
  }
  lines.push(`  skipped rows: ${suite.problems.length}`);
  for (const p of suite.problems)
    lines.push(`    ${p.file}:${p.line}:${p.col}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
  return `${lines.join('\n')}\n`;
}

function addFileFlags(cmd: Command): Command {
  return cmd
    .option('--format <id>', `format of a bare suite file: ${suiteFormats.map((f) => f.id).join(', ')}`)
    .option('--name <suite>', 'suite id')
    .option('--release <tag>', 'LiveCodeBench: release_vN, vN or vX_vY')
    .option('--start-date <YYYY-MM-DD>', 'LiveCodeBench: first contest day')
    .option('--end-date <YYYY-MM-DD>', 'LiveCodeBench: last contest day')
    .option('--platform <list>', 'LiveCodeBench: comma-separated leetcode,codeforces,atcoder')
    .option('--variant <base|plus>', 'EvalPlus inputs')
    .option('--split <split>', 'MBPP split')
    .option('--strict', 'a malformed row is fatal');
}

function loadAll(entries: Entry[]): LoadedSuite[] {
  return entries.map((e) => loadSuiteDetailed(e.path, e.options));
}

/** A YAML file with a top-level `suites:` list is a run config; anything else is one suite file. */
async function resolveTarget(target: string, flags: FileFlags): Promise<Target> {
  if (/\.ya?ml$/i.test(target) && isRunConfig(target)) {
    const config = await loadRunConfig(target);
    return {
      entries: config.suites.map((options, i) => ({ path: config.suitePaths[i] as string, options })),
      models: config.pool.map((a) => a.model),
    };
  }
  const ref = suiteRefSchema.safeParse({
    path: target,
    format: flags.format,
    name: flags.name,
    release: flags.release,
    startDate: flags.startDate,
    endDate: flags.endDate,
    platform: flags.platform?.split(','),
    variant: flags.variant,
    split: flags.split,
    strict: flags.strict,
  });
  if (!ref.success) {
    const issue = ref.error.issues[0];
    throw new UsageError(`${formatFieldPath(issue?.path ?? [])}: ${issue?.message ?? 'bad option'}`);
  }
  const { path, ...options } = ref.data;
  return { entries: [{ path: resolve(path), options }], models: [] };
}

function isRunConfig(file: string): boolean {
  try {
    const value = parseYaml(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && 'suites' in value;
  } catch {
    return false;
  }
}
