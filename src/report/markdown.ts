import { decisionMarkdown } from './decision-render.js';
import { errorCausesMarkdown } from './error-causes.js';
import type { PngChart } from './png.js';
import { marked, SIM_MARK, simulationScope } from './provenance.js';
import { sequentialMarkdown } from './sequential.js';
import { gradingSummary } from './task-info.js';
import type { Report, UsageRow } from './types.js';

export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function tableOrNone(headers: string[], rows: (string | number)[][]): string {
  return rows.length === 0 ? 'None.' : table(headers, rows);
}

export const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
export const usd = (x: number | null) => (x === null ? '–' : `$${x < 0.01 ? x.toFixed(5) : x.toFixed(4)}`);
export const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const pp = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} pp`);
const se = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} pp`);
const pValue = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));
const bytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;

/** What the results table's counts and accuracies divide by (printed under it everywhere). */
export const RESULTS_LEGEND =
  'n: samples recorded, failed ones included; accuracy: correct / n (a failed sample counts as not solved); scored accuracy, its 95% CI (Wilson) and clustered SE: correct / (n − errors).';

/** The headline table: accuracy with its interval, cost, latency, calls and tokens per task; then its legend. */
export function resultsTable(report: Report): string {
  return `${table(
    [
      'orchestrator',
      'family',
      'suite',
      'n',
      'errors',
      'accuracy',
      'scored accuracy',
      '95% CI (scored)',
      '$/task',
      '$/solved',
      'p50',
      'p95',
      'SE (clustered)',
      'calls/task',
      'tokens in/out per task',
    ],
    report.rows.map((r) => [
      marked(r.orchestrator, r.simulated),
      r.family,
      r.suite,
      r.samples,
      r.errors,
      pct(r.samples > 0 ? r.correct / r.samples : null),
      pct(r.accuracy),
      `${pct(r.ci95.low)}–${pct(r.ci95.high)}`,
      usd(r.costPerTaskUsd),
      usd(r.costPerSolvedUsd),
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p95),
      `${se(r.clusteredSe)} (${r.clusters} cl.)`,
      num(r.callsPerTask),
      `${Math.round(r.tokensPerTask.input)} / ${Math.round(r.tokensPerTask.output)}`,
    ]),
  )}\n\n${RESULTS_LEGEND}`;
}

function usageTable(rows: UsageRow[], keyName: string, simulatedKeys?: ReadonlySet<string>): string {
  return table(
    ['orchestrator', keyName, 'calls', 'cached', 'input tokens', 'output tokens', 'reasoning tokens', 'cost'],
    rows.map((r) => [
      r.orchestrator,
      marked(r.key, simulatedKeys?.has(r.key) ?? false),
      r.calls,
      r.cachedCalls,
      r.inputTokens,
      r.outputTokens,
      r.reasoningTokens,
      usd(r.costUsd),
    ]),
  );
}

/** Per orchestrator: its answers' cost, what this run spent, what the shared cache saved. */
function spendingTable(report: Report): string {
  return tableOrNone(
    [
      'orchestrator',
      "answers' cost",
      'calls paid by this run',
      'spent by this run',
      'from the shared cache',
      'saved by the shared cache',
    ],
    report.spending.map((r) => [
      r.orchestrator,
      usd(r.answersUsd),
      r.paidCalls,
      usd(r.spentUsd),
      r.sharedCacheCalls,
      usd(r.sharedCacheUsd),
    ]),
  );
}

/** Orchestrators whose rows used a simulated agent. */
function simulatedOrchestrators(report: Report): Set<string> {
  return new Set(report.rows.filter((r) => r.simulated).map((r) => r.orchestrator));
}

/** Per pool member: how many of its calls were live, simulated or replayed. */
function provenanceTable(report: Report): string {
  return tableOrNone(
    ['agent', 'provider', 'live calls', 'simulated calls', 'replayed calls'],
    report.provenance.agents.map((a) => [
      marked(a.agent, a.calls.simulated > 0),
      a.provider,
      a.calls.live,
      a.calls.simulated,
      a.calls.replayed,
    ]),
  );
}

function pairedTable(report: Report): string {
  const sim = simulatedOrchestrators(report);
  return tableOrNone(
    [
      'suite',
      'A',
      'B',
      'shared items',
      'A only right',
      'B only right',
      'A − B',
      '95% CI (paired bootstrap)',
      'McNemar exact p',
    ],
    report.paired.map((c) => [
      c.suite,
      marked(c.a, sim.has(c.a)),
      marked(c.b, sim.has(c.b)),
      c.shared,
      c.onlyA,
      c.onlyB,
      pp(c.difference),
      `${pp(c.ci95.low)} to ${pp(c.ci95.high)}`,
      pValue(c.mcnemarP),
    ]),
  );
}

/** Under the pairwise table: its order, and why the two tests disagree where they do. */
function pairedLegend(report: Report): string {
  const order = `Ordered by the decision summary's baseline (${report.decision.baseline ?? '–'}) first, then by scored accuracy; A is the one listed first. p-values are not adjusted for multiple comparisons.`;
  const disagree = report.paired.filter((c) => c.disagreement !== null);
  return disagree.length === 0
    ? order
    : `${order}\n\n${disagree.map((c) => `- ${c.suite}, ${c.a} vs ${c.b}: ${c.disagreement}`).join('\n')}`;
}

function timingTable(report: Report): string {
  return table(
    [
      'orchestrator',
      'suite',
      'latency p50',
      'critical path p50',
      'summed model time p50',
      'latency p95',
      'critical path p95',
      'summed model time p95',
    ],
    report.rows.map((r) => [
      marked(r.orchestrator, r.simulated),
      r.suite,
      ms(r.latencyMs.p50),
      ms(r.criticalPathMs.p50),
      ms(r.summedModelMs.p50),
      ms(r.latencyMs.p95),
      ms(r.criticalPathMs.p95),
      ms(r.summedModelMs.p95),
    ]),
  );
}

function egressTables(report: Report): string {
  const byVendor = table(
    [
      'orchestrator',
      'vendor',
      'models (agents)',
      'provider @ host',
      'calls',
      'cached',
      'samples',
      'input bytes',
      'output bytes',
      'input tokens',
      'output tokens',
    ],
    report.egress.rows.map((e) => [
      e.orchestrator,
      e.vendor,
      `${e.models.join(', ')} (${e.agents.join(', ')})`,
      `${e.provider} @ ${e.host}`,
      e.calls,
      e.cachedCalls,
      e.samples,
      bytes(e.inputBytes),
      bytes(e.outputBytes),
      e.inputTokens,
      e.outputTokens,
    ]),
  );
  const counts = new Array<number>(report.egress.vendorSets.length).fill(0);
  for (const i of Object.values(report.egress.sampleVendors)) counts[i] = (counts[i] ?? 0) + 1;
  const sets = table(
    ["vendors that saw the sample's data", 'samples'],
    report.egress.vendorSets.map((v, i) => [v.join(', ') || '(none)', counts[i] ?? 0]),
  );
  return `${byVendor}\n\nPer sample (the full list is \`egress.sampleVendors\` in report.json):\n\n${sets}`;
}

function claimsTable(report: Report): string {
  if (report.claims.length === 0)
    return 'None. Point a run config at a claim file with `claims: [{ file, compare: [{ figure, orchestrator, suite }] }]` (see configs/claims/).';
  const value = (metric: string, x: number | null) =>
    x === null ? '–' : metric === 'accuracy' ? pct(x) : x.toFixed(3);
  return table(
    [
      'claim',
      'system (source)',
      'benchmark',
      'claimed',
      'measured (orchestrator, suite)',
      '95% CI',
      'gap',
      'claim inside CI',
      'comparability',
    ],
    report.claims.map((c) => [
      `${c.claim}/${c.figure}`,
      `${c.system} (${[c.source.location, c.source.arxiv ? `arXiv ${c.source.arxiv}` : c.source.url].filter(Boolean).join(', ')})`,
      c.benchmark,
      `${c.approximate ? '≈' : ''}${value(c.metric, c.claimed)}`,
      c.problem ?? `${value(c.metric, c.measured)} (${c.orchestrator}, ${c.suite})`,
      c.ci95 ? `${pct(c.ci95.low)}–${pct(c.ci95.high)}` : '–',
      c.metric === 'accuracy' ? pp(c.gap) : value(c.metric, c.gap),
      c.insideCi === null ? '–' : c.insideCi ? 'yes' : 'no',
      `${c.comparability.verdict}: ${c.comparability.simulated ? 'simulated; ' : ''}pool ${c.comparability.pool} (${c.comparability.poolDetail}); ${c.comparability.suite}`,
    ]),
  );
}

function baselinesTable(report: Report): string {
  if (report.baselines.length === 0)
    return 'No `single`-family orchestrators in this run: no oracle or random baseline.';
  return table(
    ['pool', 'suite', 'single agents', 'items', 'oracle (any solved)', 'random member (expected)'],
    report.baselines.map((b) => [
      b.without ? `without ${b.without.join(', ')}` : 'full',
      b.suite,
      b.members.join(', '),
      b.items,
      pct(b.oracle),
      pct(b.random),
    ]),
  );
}

export function ablationTables(ablation: NonNullable<Report['ablation']>): string {
  const perOrchestrator = table(
    [
      'orchestrator',
      'family',
      'accuracy full',
      'accuracy without',
      'Δ (paired, 95% CI)',
      'McNemar p',
      '$/task full',
      '$/task without',
      'errors without',
    ],
    ablation.rows.map((r) =>
      r.ablated
        ? [
            r.orchestrator,
            r.family,
            pct(r.full.accuracy),
            pct(r.ablated.accuracy),
            r.pairedCi95
              ? `${pp(r.pairedDifference)} (${pp(r.pairedCi95.low)}, ${pp(r.pairedCi95.high)})`
              : pp(r.accuracyDelta),
            r.mcnemarP === null ? '–' : pValue(r.mcnemarP),
            usd(r.full.costPerTaskUsd),
            usd(r.ablated.costPerTaskUsd),
            r.ablated.errors,
          ]
        : [
            r.orchestrator,
            r.family,
            pct(r.full.accuracy),
            `not run: ${r.skipped ?? ''}`,
            '–',
            '–',
            usd(r.full.costPerTaskUsd),
            '–',
            '–',
          ],
    ),
  );
  const perFamily = table(
    ['family', 'orchestrators', 'accuracy full', 'accuracy without', '$/task full', '$/task without'],
    ablation.byFamily.map((f) => [
      f.family,
      f.orchestrators.join(', ') || '–',
      pct(f.full?.accuracy ?? null),
      pct(f.ablated?.accuracy ?? null),
      usd(f.full?.costPerTaskUsd ?? null),
      usd(f.ablated?.costPerTaskUsd ?? null),
    ]),
  );
  return `${perOrchestrator}\n\nPer family (micro-average over the orchestrators that ran both arms):\n\n${perFamily}`;
}

export function renderMarkdown(report: Report, charts: PngChart[] = []): string {
  const scope = simulationScope(report.provenance);
  const banner = report.simulated ? `> **${report.label}**\n` : `> ${report.label}\n`;
  const env = report.run.environment;
  const unisolated = report.rows
    .filter((r) => r.suite !== 'all')
    .reduce((n, r) => n + r.unisolatedCodeSamples, 0);
  const inDocker = report.rows.filter((r) => r.suite !== 'all').reduce((n, r) => n + r.dockerCodeSamples, 0);
  const parts = [
    `# baton report: ${report.run.name}${scope === 'all' ? ' (simulated)' : scope === 'partly' ? ' (partly simulated)' : ''}`,
    banner,
    ...report.warnings.map((w) => `> **Warning:** ${w}\n`),
    ...(report.smallSample.message
      ? [`> **Small sample:** ${report.smallSample.message.replace(/^Small sample: /, '')}\n`]
      : []),
    ...decisionMarkdown(report),
    [
      `- run: \`${report.run.id}\` (${report.run.status}, ${report.run.sessions} session${report.run.sessions === 1 ? '' : 's'})`,
      `- started: ${report.run.createdAt}; report generated: ${report.generatedAt}`,
      `- config: \`${report.run.configFile}\` (hash ${report.run.configHash})`,
      ...selectionLines(report.run.selection),
      `- command: \`${String(env.command ?? '')}\``,
      `- machine: ${String(env.cpuModel ?? '')} × ${String(env.cpus ?? '?')}, ${String(env.platform ?? '')}/${String(env.arch ?? '')}, Node ${String(env.node ?? '')}`,
      `- report schema: v${report.schemaVersion} (docs/report-schema.md)`,
      `- grading: ${gradingSummary(report.grading)} (modes: docs/suites.md)`,
      `- samples: ${report.samples.recorded} recorded of ${report.samples.planned} planned, ${report.samples.errors} errors`,
      ...(inDocker > 0
        ? [
            `- isolation: docker — ${inDocker} code samples graded in the Docker sandbox (no network, read-only root)`,
          ]
        : []),
      ...(unisolated > 0
        ? [
            `- isolation: none — ${unisolated} code samples ran in the local driver (a subprocess, not a sandbox)`,
          ]
        : []),
    ].join('\n'),
    ...errorCausesMarkdown(report),
    '## Results',
    resultsTable(report),
    ...(scope === 'partly'
      ? [
          `\`${SIM_MARK.trim()}\` marks rows that used a simulated agent (${report.provenance.simulated.join(', ')}): their figures are wholly or partly synthetic.`,
        ]
      : []),
    '## Where the answers came from (per agent)',
    provenanceTable(report),
    '## Baselines: oracle and random pool member',
    baselinesTable(report),
    ...(report.ablation
      ? [`## Pool ablation: without ${report.ablation.dropped.join(', ')}`, ablationTables(report.ablation)]
      : []),
    '## Paired comparisons (same items)',
    pairedTable(report),
    pairedLegend(report),
    ...sequentialMarkdown(report.sequential),
    '## Accuracy vs cost: Pareto front',
    table(
      ['orchestrator', '$/task', 'scored accuracy', 'on the front'],
      report.pareto.map((p) => [
        marked(p.orchestrator, p.simulated),
        usd(p.costPerTaskUsd),
        pct(p.accuracy),
        p.onFront ? 'yes' : 'no',
      ]),
    ),
    '## Claims vs measured',
    claimsTable(report),
    '## Latency: critical path vs summed model time',
    timingTable(report),
    '## Spending: the cost of the answers, and who paid',
    spendingTable(report),
    '## Tokens and cost by agent',
    usageTable(report.byAgent, 'agent', new Set(report.provenance.simulated)),
    '## Tokens and cost by role',
    usageTable(report.byRole, 'role'),
    '## Tokens and cost by orchestrator step',
    usageTable(report.byStep, 'step'),
    '## Data egress: which vendors received data',
    egressTables(report),
    ...(charts.length > 0
      ? ['## Charts', charts.map((c) => `![${c.caption}](${c.file})\n\n*${c.caption}*`).join('\n\n')]
      : []),
    '## Errors',
    tableOrNone(
      ['orchestrator', 'error', 'samples'],
      report.errors.map((e) => [e.orchestrator, e.code, e.count]),
    ),
    '## Coordination events',
    tableOrNone(
      ['orchestrator', 'event', 'total over samples'],
      report.coordination.map((c) => [c.orchestrator, c.fact, c.total]),
    ),
    '## Tasks',
    Object.entries(report.taskIds)
      .map(([suite, ids]) => {
        // Large suites: the full list is in report.json.
        const shown =
          ids.length > 60
            ? `${ids.slice(0, 60).join(', ')}, … (${ids.length - 60} more in report.json)`
            : ids.join(', ');
        return `- ${suite} (${ids.length}${report.suiteVersions[suite] == null ? '' : `, v${report.suiteVersions[suite]}`}): ${shown}`;
      })
      .join('\n'),
    '## Clustering',
    report.clustering.note,
    '## Notes',
    report.notes.map((n) => `- ${n}`).join('\n'),
  ];
  return `${parts.join('\n\n')}\n`;
}

/** The run's subset and overrides, when the command line gave any (README: Subsets and overrides). */
function selectionLines(selection: Report['run']['selection']): string[] {
  const subset = [
    ...(selection.limit === undefined ? [] : [`--limit ${selection.limit}`]),
    ...(selection.sample === undefined
      ? []
      : [`--sample ${selection.sample.count} --seed ${selection.sample.seed}`]),
    ...(selection.only === undefined ? [] : [`--only ${selection.only.join(',')}`]),
  ];
  return [
    ...(subset.length > 0 ? [`- subset: \`${subset.join(' ')}\``] : []),
    ...(selection.set?.length
      ? [`- overrides: ${selection.set.map((s) => `\`--set ${s}\``).join(', ')}`]
      : []),
  ];
}
