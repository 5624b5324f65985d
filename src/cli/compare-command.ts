import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { COMPARE_DEFAULTS } from '../report/compare/defaults.js';
import { EXIT, UsageError } from '../util/errors.js';

const MODES = ['non-inferiority', 'superiority', 'equivalence'] as const;
type Mode = (typeof MODES)[number];

/** Default accuracy margin (percentage points) per mode; equivalence has none: it must be said. */
const DEFAULT_MARGIN: Record<Mode, number | null> = {
  'non-inferiority': COMPARE_DEFAULTS.marginPoints,
  superiority: 0,
  equivalence: null,
};

/** `2`, `2pp` or `2 pp`: accuracy margins are percentage points, never a relative `%`. */
export function parsePoints(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(pp)?\s*$/i.exec(value);
  if (!m) {
    const hint = /%\s*$/.test(value)
      ? ` (the margin is in accuracy percentage points, not a relative percent: write ${value.replace(/%\s*$/, '')} or ${value.replace(/%\s*$/, '')}pp)`
      : '';
    throw new UsageError(
      `${name} must be a number of percentage points ≥ 0 such as 2 or 2pp, got '${value}'${hint}`,
    );
  }
  return Number(m[1]);
}

/** `10%` or `10` (relative percent), or `none` (not gated). */
export function parsePercent(name: string, value: string): number | null {
  if (/^\s*(none|off)\s*$/i.test(value)) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  if (!m) {
    const hint = /pp\s*$/i.test(value) ? ' (a relative increase in percent, not points)' : '';
    throw new UsageError(`${name} must be a relative increase such as 10% (or none), got '${value}'${hint}`);
  }
  return Number(m[1]);
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `baton compare <runA> <runB>`: A is the baseline (current weights), B the candidate; gates on B − A.
 * Exit 0 every gate passes, 1 a gate fails, 2 the runs are not comparable or an option is wrong.
 */
export function addCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'Gate a candidate run B against a baseline run A on shared items: comparability check, then accuracy (by mode), cost and latency gates; exit 0 pass, 1 a gate failed, 2 not comparable',
    )
    .argument('<runA>', 'run folder of the baseline (the current weights)')
    .argument('<runB>', 'run folder of the candidate (the new weights)')
    .option('--a <orchestrator>', 'orchestrator in run A (when it has several)')
    .option('--b <orchestrator>', 'orchestrator in run B (when it has several)')
    .addOption(
      new Option(
        '--mode <mode>',
        'accuracy question: non-inferiority (pass when the CI lower bound of B−A > −margin), superiority (lower bound > margin), equivalence (CI inside ±margin)',
      )
        .choices(MODES)
        .default(COMPARE_DEFAULTS.mode),
    )
    .option(
      '--margin <pp>',
      'accuracy margin in percentage points (default 2 for non-inferiority, 0 for superiority; required for equivalence)',
    )
    .option(
      '--confidence <percent>',
      'two-sided confidence level of every interval, percent',
      String(100 * COMPARE_DEFAULTS.level),
    )
    .option(
      '--max-cost-increase <percent>',
      'fail unless the CI upper bound of the relative rise in mean cost per item is at most this (or none)',
      `${COMPARE_DEFAULTS.maxCostIncreasePercent}%`,
    )
    .option(
      '--max-latency-increase <percent>',
      'fail unless the CI upper bounds of the relative rises in p50 and p95 latency are at most this (default none: reported, not gated)',
      'none',
    )
    .option(
      '--allow-different <field>',
      'compare even though this differs (repeatable or comma list): suites, tasks, repeats, seeds, prices, pool, grading',
      collect,
      [] as string[],
    )
    .option('--junit <file>', 'also write JUnit XML for CI (one test case per gate)')
    .option('--json <file>', 'also write the comparison as JSON')
    // Replaced options: say what replaced them instead of commander's bare "unknown option".
    .addOption(new Option('--max-drop <points>').hideHelp())
    .addOption(new Option('--alpha <p>').hideHelp())
    .action(
      async (
        runA: string,
        runB: string,
        o: {
          a?: string;
          b?: string;
          mode: Mode;
          margin?: string;
          confidence: string;
          maxCostIncrease: string;
          maxLatencyIncrease: string;
          allowDifferent: string[];
          junit?: string;
          json?: string;
          maxDrop?: string;
          alpha?: string;
        },
      ) => {
        if (o.maxDrop !== undefined || o.alpha !== undefined)
          throw new UsageError(
            `${o.maxDrop !== undefined ? '--max-drop' : '--alpha'} is gone: a drop is now judged by its confidence interval, not by significance; use --mode non-inferiority --margin <pp> (the default, margin 2) and --confidence <percent>`,
          );
        const margin = o.margin === undefined ? DEFAULT_MARGIN[o.mode] : parsePoints('--margin', o.margin);
        if (margin === null || (o.mode === 'equivalence' && margin === 0))
          throw new UsageError(
            '--mode equivalence needs --margin <pp> above 0 (the half-width of the equivalence zone)',
          );
        const confidence = Number(o.confidence);
        if (!(confidence > 50 && confidence < 100))
          throw new UsageError(`--confidence must be a percent between 50 and 100, got '${o.confidence}'`);
        // The statistics load with the command that uses them, not with every `baton` start.
        const [{ compareRuns }, { junitXml }, { compareText }, { parseAllowed }] = await Promise.all([
          import('../report/compare/gate.js'),
          import('../report/compare/junit.js'),
          import('../report/compare/text.js'),
          import('../report/compare/comparability.js'),
        ]);
        const c = compareRuns(
          { runDir: resolve(runA), orchestrator: o.a },
          { runDir: resolve(runB), orchestrator: o.b },
          {
            mode: o.mode,
            marginPoints: margin,
            level: confidence / 100,
            maxCostIncreasePercent: parsePercent('--max-cost-increase', o.maxCostIncrease),
            maxLatencyIncreasePercent: parsePercent('--max-latency-increase', o.maxLatencyIncrease),
            allowDifferent: parseAllowed(o.allowDifferent),
          },
        );
        process.stdout.write(compareText(c));
        if (o.junit) writeFileSync(o.junit, junitXml(c));
        if (o.json) writeFileSync(o.json, `${JSON.stringify(c, null, 2)}\n`);
        if (c.verdict === 'not comparable') {
          const fields = [...new Set(c.differences.filter((d) => !d.allowed).map((d) => d.field))];
          process.stderr.write(
            `error: the runs are not comparable: ${fields.join(', ')} differ (listed above); --allow-different ${fields.join(',')} compares them anyway\n`,
          );
          process.exitCode = EXIT.badInputOrFault;
          return;
        }
        process.exitCode = c.verdict === 'pass' ? EXIT.ok : EXIT.regressionOrInternal;
      },
    );
}
