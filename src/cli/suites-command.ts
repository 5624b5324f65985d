import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { loadRunConfig } from '../config/load.js';
import type { SandboxChoice } from '../sandbox/select.js';
import type { Isolation } from '../sandbox/types.js';
import { checkAnswerKeys, type KeyCheck } from '../scoring/answer-key.js';
import { DEFAULT_CODE_LIMITS } from '../scoring/code.js';
import { openScoring, type ScoringOptions } from '../scoring/open.js';
import { cutoffNotes, formatWindow, suiteWindow } from '../suites/contamination.js';
import { type LoadedSuite, loadSuiteDetailed } from '../suites/load.js';
import { type SuiteOptions, suiteRefSchema } from '../suites/ref-schema.js';
import { suiteFormats } from '../suites/registry.js';
import { formatFieldPath, UsageError } from '../util/errors.js';
import { printable } from '../util/printable.js';

interface Entry {
  path: string;
  options: SuiteOptions;
}

interface Target {
  entries: Entry[];
  /** Models of the config's pool (for the contamination lines); empty for a bare suite file. */
  models: string[];
  /** The config's `scoring:` (where `verify` runs reference solutions); defaults for a bare file. */
  scoring: ScoringOptions;
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
        "Load every suite (counts, file and content hashes, skipped rows, contamination window) and check its answer keys: each code reference must pass its tests and each wrong solution fail them, in the config's sandbox; maths and MCQ keys must grade correct under the suite's grading. Exit 2 on any problem",
      )
      .argument('<target>', 'run config (YAML) or suite file/folder')
      .option('--json', 'print the result as JSON')
      .option(
        '--no-run',
        'do not execute code: skip reference and wrong solutions (maths and MCQ keys are still checked)',
      )
      .addOption(
        new Option(
          '--sandbox <driver>',
          "where code runs: overrides the config's scoring.sandbox (default auto)",
        ).choices(['auto', 'docker', 'local']),
      ),
  ).action(async (target: string, opts: FileFlags & VerifyFlags) => {
    const { entries, models, scoring } = await resolveTarget(target, opts);
    // Every bad row of every file is listed, even where a run would stop at the first (`strict:`).
    const suites = entries.map((entry) => ({
      suite: loadSuiteDetailed(entry.path, { ...entry.options, strict: opts.strict ?? false }),
      window: suiteWindow(entry.options),
    }));
    const runCode = opts.run !== false;
    const choice = opts.sandbox ?? scoring.sandbox;
    const needsSandbox =
      runCode &&
      suites.some(({ suite }) => suite.tasks.some((t) => t.kind === 'code' && t.reference.trim() !== ''));
    // Without code to run the sandbox is never opened (a lazy local one), so --no-run needs no engine.
    const { sandbox, scorer } = await openScoring({ ...scoring, sandbox: needsSandbox ? choice : 'local' });
    const results = [];
    try {
      for (const { suite, window } of suites) {
        const keys = await checkAnswerKeys(suite.tasks, scorer, {
          runCode,
          concurrency: scoring.poolSize ?? availableParallelism(),
          onProgress: progressLine(suite.name),
        });
        results.push({ suite, window, cutoffs: cutoffNotes(models, window), keys });
      }
    } finally {
      await sandbox.close();
    }
    const isolation = needsSandbox ? sandbox.isolation : null;
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(
          results.map(({ suite, window, cutoffs, keys }) => ({
            name: suite.name,
            format: suite.format.id,
            tasks: suite.tasks.length,
            contentHash: suite.contentHash,
            files: suite.files,
            skipped: suite.problems,
            window: window ?? null,
            cutoffs,
            answerKeys: { ...keys, isolation, codeRun: runCode },
          })),
          null,
          2,
        )}\n`,
      );
    } else {
      // Suite text and program output are untrusted: no terminal control sequences reach the screen.
      for (const { suite, window, cutoffs, keys } of results)
        process.stdout.write(
          printable(verifyText(suite, window, cutoffs) + keysText(keys, runCode, isolation)),
        );
    }
    const bad = results.reduce((n, r) => n + r.suite.problems.length + r.keys.findings.length, 0);
    if (bad > 0) process.exitCode = 2;
  });
}

interface VerifyFlags {
  json?: boolean;
  /** commander's `--no-run`: false when given. */
  run?: boolean;
  sandbox?: SandboxChoice;
}

/** A progress line on stderr at every tenth of a suite's code runs (a long suite takes minutes). */
function progressLine(suite: string): (done: number, total: number) => void {
  return (done, total) => {
    const step = Math.max(1, Math.ceil(total / 10));
    if (done % step === 0 || done === total)
      process.stderr.write(`${suite}: ${done}/${total} reference and wrong solutions run\n`);
  };
}

function keysText(keys: KeyCheck, runCode: boolean, isolation: Isolation | null): string {
  const where = isolation === 'docker' ? 'in Docker' : 'in the local driver (no isolation)';
  const parts = [
    keys.keysChecked > 0 ? `${keys.keysChecked} maths/MCQ keys graded` : '',
    keys.codeRuns > 0 ? `${keys.codeRuns} reference and wrong solutions run ${where}` : '',
    keys.unchecked === 0
      ? ''
      : runCode
        ? `${keys.unchecked} code task(s) without a reference solution`
        : `${keys.unchecked} code task(s) not run (--no-run)`,
    keys.customScorer > 0 ? `${keys.customScorer} task(s) graded by a plugin's scorer, not checked` : '',
  ].filter((p) => p !== '');
  const lines = [
    `  answer keys: ${keys.findings.length} problem(s)${parts.length > 0 ? `; ${parts.join(', ')}` : ''}`,
  ];
  for (const f of keys.findings) {
    lines.push(`    ${f.taskId}: ${f.what}: ${f.verdict}`);
    for (const d of f.detail) lines.push(`      ${d}`);
  }
  return `${lines.join('\n')}\n`;
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
      scoring: config.scoring,
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
  return {
    entries: [{ path: resolve(path), options }],
    models: [],
    scoring: { sandbox: 'auto', memoryMb: DEFAULT_CODE_LIMITS.memoryMb },
  };
}

function isRunConfig(file: string): boolean {
  try {
    const value = parseYaml(readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && 'suites' in value;
  } catch {
    return false;
  }
}
