import { escapeMarkup } from '../util/markup.js';
import type { DecisionMetric, DecisionRow, DecisionSection, Report } from './types.js';

/**
 * The decision summary as it opens report.md and report.html (written server-side in the HTML: no
 * script needed to see it): one row per orchestrator against the baseline, then the rows in plain
 * words, then how to read them.
 */

const signed = (x: number, digits: number, unit: string) =>
  `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}${unit}`;
const pp = (x: number) => signed(100 * x, 1, ' pp');
const rel = (x: number) => (Number.isFinite(x) ? signed(100 * x, 0, '%') : x > 0 ? '+∞' : '−∞');
const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const usd = (x: number | null) => (x === null ? '–' : `$${x < 0.01 ? x.toFixed(5) : x.toFixed(4)}`);
const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);
/** Below 1e−15 a p-value says only "far beyond any threshold" (and a normal tail may underflow to 0). */
const pValue = (p: number | null) =>
  p === null ? '–' : p < 1e-15 ? '< 1e-15' : p < 0.0001 ? p.toExponential(1) : p.toFixed(4);

/** `+6.0 pp (−2.0 to +14.0)` */
function accuracyCell(m: DecisionMetric): string {
  if (m.difference === null) return '–';
  return m.ci95 ? `${pp(m.difference)} (${pp(m.ci95.low)} to ${pp(m.ci95.high)})` : pp(m.difference);
}

/** `+230% (+180% to +290%)`, relative to the baseline */
function relativeCell(m: DecisionMetric): string {
  if (m.relative === null) return '–';
  return m.ci95 ? `${rel(m.relative)} (${rel(m.ci95.low)} to ${rel(m.ci95.high)})` : rel(m.relative);
}

function mdeCell(row: DecisionRow): string {
  if (row.minimumDetectableEffect === null) return '–';
  return `${row.mdeAtLeast ? '≥ ' : ''}${(100 * row.minimumDetectableEffect).toFixed(1)} pp`;
}

const verdictWord = (v: DecisionMetric['verdict']) =>
  v === 'not distinguishable' ? 'not distinguishable at this n' : v;

export const DECISION_HEADERS = [
  'orchestrator',
  'verdict (accuracy)',
  'accuracy',
  'Δ accuracy (95% CI)',
  'Holm p',
  'MDE (80% power)',
  '$/solved',
  'Δ $/solved (95% CI)',
  'Holm p',
  'p50 latency',
  'Δ p50 (95% CI)',
  'Holm p',
  'items',
];

/** The table's cells for one row (text; the HTML escapes them). */
export function decisionCells(row: DecisionRow): string[] {
  const metricVerdict = (m: DecisionMetric) =>
    m.relative === null ? '' : ` · ${m.verdict === 'not distinguishable' ? 'n.d.' : m.verdict}`;
  return [
    row.orchestrator,
    verdictWord(row.verdict),
    pct(row.accuracy.value),
    accuracyCell(row.accuracy),
    pValue(row.accuracy.holmP),
    mdeCell(row),
    usd(row.costPerSolved.value),
    `${relativeCell(row.costPerSolved)}${metricVerdict(row.costPerSolved)}`,
    pValue(row.costPerSolved.holmP),
    ms(row.latencyP50.value),
    `${relativeCell(row.latencyP50)}${metricVerdict(row.latencyP50)}`,
    pValue(row.latencyP50.holmP),
    String(row.accuracy.items),
  ];
}

/** `Every orchestrator against single-gemma (the single model with …): over all suites pooled; …` */
export function decisionLead(d: DecisionSection, report: Report): string {
  if (d.baseline === null) return 'No orchestrator has samples in this run: nothing to compare.';
  const row = report.rows.find((r) => r.orchestrator === d.baseline && r.suite === d.suite);
  const figures = row
    ? ` Baseline figures: accuracy ${pct(row.accuracy)}, $/solved ${usd(row.costPerSolvedUsd)}, p50 latency ${ms(row.latencyMs.p50)}.`
    : '';
  return `Baseline: ${d.baselineNote}. Over ${d.suite === 'all' ? 'all suites pooled' : `suite ${d.suite}`}; Δ = orchestrator − baseline on the items both have; accuracy in points (pp), $/solved and p50 latency relative to the baseline (%). Verdicts at Holm-adjusted α = ${d.alpha} over ${d.comparisons} comparisons; "n.d." = not distinguishable at this n.${figures}`;
}

export function decisionMarkdown(report: Report): string[] {
  const d = report.decision;
  const title = `## Decision summary${d.baseline === null ? '' : `: every orchestrator vs ${d.baseline}`}`;
  if (d.baseline === null || d.rows.length === 0)
    return [
      title,
      d.baseline === null ? decisionLead(d, report) : `Only ${d.baseline} ran: nothing to compare.`,
    ];
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [
    title,
    decisionLead(d, report),
    [
      line(DECISION_HEADERS),
      line(DECISION_HEADERS.map(() => '---')),
      ...d.rows.map((r) => line(decisionCells(r))),
    ].join('\n'),
    d.rows.map((r) => `- **${r.orchestrator}**: ${r.summary}`).join('\n'),
    `How to read it:\n\n${d.method.map((m) => `- ${m}`).join('\n')}`,
  ];
}

/** The same section as HTML, for the top of the page. */
export function decisionHtml(report: Report): string {
  const d = report.decision;
  const title = `Decision summary${d.baseline === null ? '' : `: every orchestrator vs ${d.baseline}`}`;
  const open = `<section class="decision" id="decision" data-testid="decision-summary">\n<h2>${escapeMarkup(title)}</h2>`;
  if (d.baseline === null || d.rows.length === 0)
    return `${open}\n<p>${escapeMarkup(d.baseline === null ? decisionLead(d, report) : `Only ${d.baseline} ran: nothing to compare.`)}</p>\n</section>`;
  const head = DECISION_HEADERS.map((h) => `<th>${escapeMarkup(h)}</th>`).join('');
  const body = d.rows
    .map((r) => {
      const cells = decisionCells(r).map((c, i) =>
        i === 1
          ? `<td class="verdict verdict-${r.verdict.replace(/ /g, '-')}">${escapeMarkup(c)}</td>`
          : `<td${i === 0 ? '' : ' class="num"'}>${escapeMarkup(c)}</td>`,
      );
      return `<tr data-orchestrator="${escapeMarkup(r.orchestrator)}">${cells.join('')}</tr>`;
    })
    .join('\n');
  return `${open}
<p>${escapeMarkup(decisionLead(d, report))}</p>
<table data-testid="decision-table"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
<ul class="decision-rows">${d.rows.map((r) => `<li><b>${escapeMarkup(r.orchestrator)}</b>: ${escapeMarkup(r.summary)}</li>`).join('')}</ul>
<details><summary>How to read it</summary><ul>${d.method.map((m) => `<li>${escapeMarkup(m)}</li>`).join('')}</ul></details>
</section>`;
}
