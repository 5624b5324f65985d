import { z } from 'zod';
import { loadSuite } from '../suites/load.js';
import type { DecisionMode } from '../util/stats/confidence-sequence.js';
import {
  type ComparisonState,
  inSeededOrder,
  SEQUENTIAL_ALPHA,
  SequentialDecisions,
  stoppingRuleText,
} from '../util/stats/sequential.js';

/** What the section reads of the report's sample pass (sample-pass.ts): task ids, scored outcomes. */
interface Outcomes {
  /** Suite → task ids with a recorded sample. */
  taskIds: Record<string, string[]>;
  /** Suite → orchestrator → `taskId#repeat` → 1 right / 0 wrong (scored samples only). */
  outcomes: ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, number>>>;
}

/**
 * The report's "Sequential decision" section, for a config with `decide:`: the confidence sequence of
 * each named comparison replayed over the stored samples in the run's seeded task order (the same
 * sequence `baton run --until-decided` watched while it ran), the verdicts, and how many of the
 * suite's tasks it took.
 */
export interface SequentialReport {
  /** The stopping rule, in words (method and citation included). */
  rule: string;
  method: string;
  /** Overall miscoverage (all comparisons together). */
  alpha: number;
  /** Why the intervals may be read at the stopping point. */
  validity: string;
  /** Tasks in the run's suites (null when the suite files cannot be read and the run did not record them). */
  itemsAvailable: number | null;
  /** Tasks with at least one recorded sample. */
  itemsRun: number;
  /** Tasks taken in the seeded order when every comparison was first decided; null if never. */
  decidedAtItem: number | null;
  /** Decided, and fewer tasks run than the suites hold (an `--until-decided` stop). */
  stoppedEarly: boolean;
  comparisons: ComparisonState[];
  /** One line: how many tasks, and each verdict. */
  summary: string;
}

const storedDecideSchema = z.looseObject({
  seed: z.number().default(1),
  repeats: z.number().int().min(1).default(1),
  decide: z
    .array(
      z.looseObject({
        a: z.string(),
        b: z.string(),
        margin: z.number().min(0),
        mode: z.enum(['non-inferiority', 'superiority', 'equivalence']).default('non-inferiority'),
      }),
    )
    .default([]),
  suitePaths: z.array(z.string()).default([]),
  suites: z.array(z.looseObject({})).default([]),
  suiteRecords: z.array(z.looseObject({ tasks: z.number() })).optional(),
});

export const SEQUENTIAL_METHOD =
  'Anytime-valid confidence sequence by betting: the hedged capital process with predictable plug-in bets of I. Waudby-Smith and A. Ramdas, "Estimating means of bounded random variables by betting", J. R. Stat. Soc. B 86(1), 2024 (arXiv:2010.09686); per-task differences in [−1, 1]; running intersection.';

export const SEQUENTIAL_VALIDITY =
  'The intervals hold simultaneously for every number of tasks (with probability ≥ 95 % over all comparisons), so they remain valid under optional stopping: the run may be looked at after every task and stopped on the data, as --until-decided does, without inflating the error rate. A fixed-n confidence interval recomputed after every task would not be (it misses far more often than 5 %).';

/** `{ sequential }` for the report, or nothing when the run's config names no comparison (the field is then absent). */
export function sequentialSection(configJson: string, pass: Outcomes): { sequential?: SequentialReport } {
  const sequential = sequentialReport(configJson, pass);
  return sequential ? { sequential } : {};
}

function sequentialReport(configJson: string, pass: Outcomes): SequentialReport | null {
  let value: unknown;
  try {
    value = JSON.parse(configJson);
  } catch {
    return null;
  }
  const parsed = storedDecideSchema.safeParse(value);
  if (!parsed.success || parsed.data.decide.length === 0) return null;
  const config = parsed.data;
  const specs = config.decide.map((d) => ({
    a: d.a,
    b: d.b,
    margin: d.margin,
    mode: d.mode as DecisionMode,
  }));
  const tasks = Object.entries(pass.taskIds).flatMap(([suite, ids]) => ids.map((id) => ({ suite, id })));
  const decisions = new SequentialDecisions(specs, config.repeats);
  for (const task of inSeededOrder(config.seed, tasks)) {
    const bySuite = pass.outcomes.get(task.suite);
    decisions.observe((orchestrator, repeat) => bySuite?.get(orchestrator)?.get(`${task.id}#${repeat}`));
  }
  const itemsAvailable = availableTasks(config);
  const comparisons = decisions.states();
  const stoppedEarly =
    decisions.decidedAtItem !== null && itemsAvailable !== null && tasks.length < itemsAvailable;
  const of = itemsAvailable === null ? '' : ` of ${itemsAvailable}`;
  const when =
    decisions.decidedAtItem === null
      ? 'not decided'
      : `decided after ${decisions.decidedAtItem} task${decisions.decidedAtItem === 1 ? '' : 's'}`;
  const summary = `${tasks.length}${of} tasks run (${stoppedEarly ? 'stopped early: ' : ''}${when}): ${comparisons
    .map((c) => `${c.b} vs ${c.a}: ${verdictText(c)} ${intervalText(c)}`)
    .join('; ')}`;
  return {
    rule: stoppingRuleText(specs),
    method: SEQUENTIAL_METHOD,
    alpha: SEQUENTIAL_ALPHA,
    validity: SEQUENTIAL_VALIDITY,
    itemsAvailable,
    itemsRun: tasks.length,
    decidedAtItem: decisions.decidedAtItem,
    stoppedEarly,
    comparisons,
    summary,
  };
}

/** Tasks in the run's suites: as recorded at the start, else read from its suite files. */
function availableTasks(config: z.output<typeof storedDecideSchema>): number | null {
  if (config.suiteRecords) return config.suiteRecords.reduce((n, s) => n + s.tasks, 0);
  try {
    return config.suitePaths.reduce(
      (n, path, i) => n + loadSuite(path, (config.suites[i] ?? {}) as Parameters<typeof loadSuite>[1]).length,
      0,
    );
  } catch {
    return null;
  }
}

const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

/** `[−12.3, −4.0] pp` */
export function intervalText(c: ComparisonState): string {
  return `[${points(c.lower)}, ${points(c.upper)}] pp`;
}

/** The verdict with the names filled in: `vote-qwen worse than moa by more than 2 pp`. */
export function verdictText(c: ComparisonState): string {
  const m = `${c.margin} pp`;
  switch (c.verdict) {
    case 'B non-inferior':
      return `B non-inferior (${c.b} at most ${m} worse than ${c.a})`;
    case 'B worse':
      return c.mode === 'non-inferiority'
        ? `B worse (${c.b} more than ${m} worse than ${c.a})`
        : `B worse (${c.b} worse than ${c.a})`;
    case 'B better':
      return `B better (${c.b} more than ${m} better than ${c.a})`;
    case 'B not better':
      return `B not better (${c.b} not ${m} better than ${c.a})`;
    case 'equivalent':
      return `equivalent (within ±${m})`;
    case 'B different':
      return `B different (beyond ±${m})`;
    case 'not distinguishable':
      return 'not distinguishable at this n';
  }
}

function modeText(c: ComparisonState): string {
  return c.mode === 'equivalence' ? `equivalence, ±${c.margin} pp` : `${c.mode}, margin ${c.margin} pp`;
}

const TABLE_HEADERS = [
  'B vs A',
  'question',
  'tasks',
  'mean B − A',
  `anytime-valid CS`,
  'verdict',
  'decided after',
];

function rows(s: SequentialReport): string[][] {
  return s.comparisons.map((c) => [
    `${c.b} vs ${c.a}`,
    modeText(c),
    String(c.n),
    c.meanDifference === null ? '–' : `${points(c.meanDifference)} pp`,
    intervalText(c),
    verdictText(c),
    c.decidedAtItem === null ? '–' : `${c.decidedAtItem} tasks`,
  ]);
}

function usedLine(s: SequentialReport): string {
  const of = s.itemsAvailable === null ? '' : ` of ${s.itemsAvailable} available`;
  const decided =
    s.decidedAtItem === null
      ? 'not every comparison was decided'
      : `every comparison was decided after ${s.decidedAtItem} tasks in the seeded order`;
  const stop = s.stoppedEarly
    ? 'the run stopped starting new tasks there (--until-decided; tasks already in flight finished)'
    : s.itemsAvailable !== null && s.itemsRun >= s.itemsAvailable
      ? 'the run went through every task'
      : 'the run ended before the suite did (budget, interruption, or a pilot)';
  return `Tasks used: ${s.itemsRun}${of}; ${decided}; ${stop}.`;
}

/** The section in report.md, or nothing. */
export function sequentialMarkdown(s: SequentialReport | null | undefined): string[] {
  if (!s) return [];
  const table = [
    `| ${TABLE_HEADERS.join(' | ')} |`,
    `| ${TABLE_HEADERS.map(() => '---').join(' | ')} |`,
    ...rows(s).map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  return [
    '## Sequential decision (anytime-valid)',
    [usedLine(s), '', table, '', `Stopping rule: ${s.rule}`, '', s.validity].join('\n'),
  ];
}

/** The section in report.html (server-rendered), or ''. */
export function sequentialHtml(
  s: SequentialReport | null | undefined,
  esc: (text: string) => string,
): string {
  if (!s) return '';
  const cells = (r: string[], tag: string) => r.map((x) => `<${tag}>${esc(x)}</${tag}>`).join('');
  return `<section class="sequential" data-testid="sequential">
<h2>Sequential decision (anytime-valid)</h2>
<p>${esc(usedLine(s))}</p>
<table><thead><tr>${cells(TABLE_HEADERS, 'th')}</tr></thead><tbody>
${rows(s)
  .map((r) => `<tr>${cells(r, 'td')}</tr>`)
  .join('\n')}
</tbody></table>
<p>Stopping rule: ${esc(s.rule)}</p>
<p>${esc(s.validity)}</p>
</section>`;
}
