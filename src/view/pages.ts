import { type Difference, describeField } from '../report/compare/comparability.js';
import { COMPARE_DEFAULTS } from '../report/compare/defaults.js';
import type { Comparison } from '../report/compare/gate.js';
import type { GateResult } from '../report/compare/gates.js';
import { STYLE } from '../report/html/style.js';
import { ms, pct, usd } from '../report/markdown.js';
import { marked } from '../report/provenance.js';
import type { AccuracyRow } from '../report/types.js';
import { escapeMarkup as esc } from '../util/markup.js';
import type { RunListing } from './runs.js';
import type { RunComparison, RunFigures } from './side-by-side.js';

/**
 * The viewer's pages, written on the server. Everything a store holds (run ids, config paths,
 * orchestrator ids, suite names, messages) is attacker-controlled and goes through `esc`; the pages
 * carry no script at all (and the Content-Security-Policy allows none: server.ts).
 */

const VIEW_STYLE = `
.pick { text-align: center; } .status-unreadable, .status-errors { color: #b00020; } .status-running, .status-locked { color: #2b4c7e; }
.status-budget, .status-interrupted { color: #a15c00; } .stale { color: #a15c00; } th.run { background: #e8f0fe; }
button { font: inherit; padding: 4px 12px; margin: 8px 0; }
.verdict-pass { color: #0a7a2f; font-weight: 600; } .verdict-fail, .verdict-not-comparable { color: #b00020; font-weight: 600; }
code { font-size: 12px; background: #f5f5f5; padding: 0 3px; }
`;

function page(title: string, body: string, simulated = false): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}${VIEW_STYLE}</style>
</head>
<body${simulated ? ' class="simulated"' : ''}>
${body}
</body>
</html>
`;
}

/** `/runs/<id>/<file>`: ids are run ids (letters, digits, `.`, `-`, `_`), encoded all the same. */
export const runFileHref = (id: string, file: string) => `/runs/${encodeURIComponent(id)}/${file}`;

const when = (iso: string | null) => (iso === null ? '–' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
const count = (x: number | null) => (x === null ? '–' : String(x));
/** A number as an attribute tests and scripts can read back exactly. */
const value = (x: number | null) => (x === null ? '' : String(x));

function reportCell(r: RunListing): string {
  if (r.report === 'missing')
    return `<td data-testid="report">none — <code>baton report ${esc(r.id)}</code> writes it</td>`;
  const link = `<a href="${esc(runFileHref(r.id, 'report.html'))}">report.html</a>`;
  return r.report === 'stale'
    ? `<td data-testid="report">${link} <span class="stale" title="the store changed since it was written: baton report rebuilds it">(stale)</span></td>`
    : `<td data-testid="report">${link}</td>`;
}

const RUN_HEADERS = ['run', 'status', 'samples', 'errors', 'spent', 'created (UTC)', 'config'];

function runCells(r: RunListing): string {
  const spent = r.spentUsd === null ? '–' : `${usd(r.spentUsd)}${r.simulated ? ' (simulated)' : ''}`;
  return [
    `<td data-testid="id">${esc(r.id)}</td>`,
    `<td class="status-${esc(r.status)}" data-testid="status" title="${esc(r.detail)}">${esc(r.status)}${r.status === 'unreadable' ? `: ${esc(r.detail)}` : ''}</td>`,
    `<td class="num" data-testid="samples" data-recorded="${value(r.recorded)}" data-planned="${value(r.planned)}">${count(r.recorded)}/${count(r.planned)}</td>`,
    `<td class="num" data-testid="errors">${count(r.errors)}</td>`,
    `<td class="num" data-testid="spent" data-value="${value(r.spentUsd)}">${esc(spent)}</td>`,
    `<td data-testid="created">${esc(when(r.createdAt))}</td>`,
    `<td data-testid="config">${esc(r.configFile ?? '–')}</td>`,
  ].join('');
}

/** `/`: every run of the folder, newest first, each with its report and a box to pick it. */
export function runsPage(dir: string, runs: readonly RunListing[]): string {
  const rows = runs.map(
    (r) =>
      `<tr data-run="${esc(r.id)}"><td class="pick">${r.status === 'unreadable' ? '' : `<input type="checkbox" name="run" value="${esc(r.id)}" aria-label="pick ${esc(r.id)}">`}</td>${runCells(r)}${reportCell(r)}</tr>`,
  );
  const body = `<h1>Runs in ${esc(dir)}</h1>
<p class="note">Read from each run's store (run.sqlite), read-only, when the page loads: the store is the truth. report.html is the file <code>baton run</code> or <code>baton report</code> wrote; "stale" when the store has changed since (a resume, a run still going): <code>baton report &lt;run folder&gt;</code> rebuilds it. Spending of simulated runs is simulated money.</p>
${
  runs.length === 0
    ? '<p data-testid="no-runs">No runs here: a run folder holds a run.sqlite (<code>baton run</code> writes them under the config\'s <code>output</code>, by default reports/).</p>'
    : `<form method="get" action="/compare">
<table data-testid="runs">
<thead><tr><th>pick</th>${RUN_HEADERS.map((h) => `<th>${h}</th>`).join('')}<th>report</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<button type="submit">Side by side (pick two or more)</button>
</form>`
}`;
  return page(`baton runs: ${dir}`, body);
}

/** The figures of one run on one suite, per orchestrator, in the side-by-side table. */
const METRICS: {
  key: string;
  title: string;
  cell: (r: AccuracyRow) => [text: string, raw: number | null];
}[] = [
  { key: 'samples', title: 'n', cell: (r) => [String(r.samples), r.samples] },
  {
    key: 'accuracy',
    title: 'accuracy',
    cell: (r) => {
      const x = r.samples > 0 ? r.correct / r.samples : null;
      return [pct(x), x];
    },
  },
  {
    key: 'scored-accuracy',
    title: 'scored accuracy (95% CI)',
    cell: (r) => [
      r.accuracy === null ? '–' : `${pct(r.accuracy)} (${pct(r.ci95.low)}–${pct(r.ci95.high)})`,
      r.accuracy,
    ],
  },
  { key: 'cost-per-solved', title: '$/solved', cell: (r) => [usd(r.costPerSolvedUsd), r.costPerSolvedUsd] },
  { key: 'latency-p50', title: 'p50', cell: (r) => [ms(r.latencyMs.p50), r.latencyMs.p50] },
  { key: 'latency-p95', title: 'p95', cell: (r) => [ms(r.latencyMs.p95), r.latencyMs.p95] },
];

function figuresTable(suite: string, runs: readonly RunFigures[]): string {
  const orchestrators = [
    ...new Set(runs.flatMap((f) => f.rows.filter((r) => r.suite === suite).map((r) => r.orchestrator))),
  ];
  const head = `<tr><th rowspan="2">orchestrator</th>${runs.map((f) => `<th class="run" colspan="${METRICS.length}">${esc(f.id)}</th>`).join('')}</tr>
<tr>${runs.map(() => METRICS.map((m) => `<th>${esc(m.title)}</th>`).join('')).join('')}</tr>`;
  const body = orchestrators.map((o) => {
    const cells = runs.map((f) => {
      const row = f.rows.find((r) => r.suite === suite && r.orchestrator === o);
      return METRICS.map((m) => {
        if (!row) return `<td class="num">–</td>`;
        const [text, raw] = m.cell(row);
        return `<td class="num" data-run="${esc(f.id)}" data-metric="${m.key}" data-value="${value(raw)}">${esc(text)}</td>`;
      }).join('');
    });
    const simulated = runs.some((f) => f.rows.some((r) => r.orchestrator === o && r.simulated));
    return `<tr data-orchestrator="${esc(o)}"><td>${esc(marked(o, simulated))}</td>${cells.join('')}</tr>`;
  });
  return `<table data-testid="figures" data-suite="${esc(suite)}">
<thead>${head}</thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`;
}

/** How many differences of one field are shown; the rest are counted. */
const SHOWN_PER_FIELD = 20;

function differencesTable(differences: readonly Difference[]): string {
  const rows: string[] = [];
  for (const field of [...new Set(differences.map((d) => d.field))]) {
    const list = differences.filter((d) => d.field === field);
    for (const d of list.slice(0, SHOWN_PER_FIELD))
      rows.push(
        `<tr data-field="${esc(d.field)}"><td title="${esc(describeField(d.field))}">${esc(d.field)}</td><td>${esc(d.item)}</td><td>${esc(d.a)}</td><td>${esc(d.b)}</td></tr>`,
      );
    if (list.length > SHOWN_PER_FIELD)
      rows.push(
        `<tr><td>${esc(field)}</td><td colspan="3">… ${list.length - SHOWN_PER_FIELD} more (<code>baton compare --json</code> lists all)</td></tr>`,
      );
  }
  return `<table data-testid="differences"><thead><tr><th>field</th><th>item</th><th>A (baseline)</th><th>B</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`;
}

const signedPoints = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)} pp`;
/** A relative change; a rise from 0 is infinite, and no items at all (NaN) show as none. */
const signedPercent = (x: number) =>
  Number.isNaN(x)
    ? '–'
    : `${x > 0 ? '+' : x < 0 ? '−' : ''}${Number.isFinite(x) ? `${Math.abs(x).toFixed(1)}%` : '∞'}`;

/** A gate's estimate with its interval, its verdict beside it. */
function gateCell(g: GateResult | undefined, key: string): string {
  if (!g) return '<td>–</td>';
  const show = g.unit === 'pp' ? signedPoints : signedPercent;
  return `<td class="num" data-metric="${key}" data-value="${value(g.estimate)}" data-low="${value(g.ci.low)}" data-high="${value(g.ci.high)}" title="${esc(g.reason)}">${esc(`${show(g.estimate)} (${show(g.ci.low)} to ${show(g.ci.high)})`)}<br><span class="verdict-${g.verdict.replace(/ /g, '-')}">${esc(g.verdict)}</span></td>`;
}

function statisticsRow(c: Comparison): string {
  const acc = c.accuracy;
  const gate = (name: string) => c.gates.find((g) => g.gate === name);
  const latency = c.latency;
  return `<tr data-orchestrator="${esc(c.a.orchestrator)}">
<td>${esc(marked(c.a.orchestrator, c.a.simulated || c.b.simulated))}</td>
<td class="num" data-metric="shared">${acc ? acc.shared : '–'}</td>
<td class="num">${acc ? `${pct(acc.accuracyA)} → ${pct(acc.accuracyB)}` : '–'}</td>
${gateCell(gate('accuracy'), 'accuracy-difference')}
<td class="num" data-metric="mcnemar-p" data-value="${value(acc?.mcnemarP ?? null)}">${acc ? acc.mcnemarP.toPrecision(3) : '–'}</td>
<td class="num">${c.cost ? `${usd(c.cost.a)} → ${usd(c.cost.b)}` : '–'}</td>
${gateCell(gate('cost per item'), 'cost-increase')}
<td class="num">${latency ? `${ms(latency.p50A)} → ${ms(latency.p50B)}` : '–'}</td>
${gateCell(gate('latency p50'), 'latency-p50-increase')}
${gateCell(gate('latency p95'), 'latency-p95-increase')}
<td class="verdict-${c.verdict.replace(/ /g, '-')}" data-metric="verdict">${esc(c.verdict)}</td>
</tr>`;
}

const DEFAULTS_TEXT = `${COMPARE_DEFAULTS.mode} at a ${COMPARE_DEFAULTS.marginPoints} pp margin, ${100 * COMPARE_DEFAULTS.level}% intervals (Tango's score interval ∪ paired cluster bootstrap); cost rise per item ≤ ${COMPARE_DEFAULTS.maxCostIncreasePercent}%; latency shown, not gated`;

function comparisonSection(rc: RunComparison, runs: readonly RunFigures[]): string {
  const dirOf = (id: string) => runs.find((f) => f.id === id)?.runDir ?? id;
  const comparable = rc.results.flatMap((r) =>
    'comparison' in r && r.comparison.comparable ? [r.comparison] : [],
  );
  const refused = rc.results.flatMap((r) =>
    'comparison' in r && !r.comparison.comparable ? [{ orchestrator: r.orchestrator, c: r.comparison }] : [],
  );
  const problems = rc.results.flatMap((r) => ('problem' in r ? [r] : []));
  const parts = [
    `<section class="comparison" data-testid="comparison" data-baseline="${esc(rc.baseline)}" data-candidate="${esc(rc.candidate)}">`,
    `<h2>${esc(rc.candidate)} (B) against ${esc(rc.baseline)} (A, baseline)</h2>`,
  ];
  if (comparable.length > 0) {
    parts.push(
      `<p>Comparable: suites, tasks, repeats, seeds, prices, pool and grading match. Paired on the items both runs scored, as <code>baton compare</code> does with its defaults (${esc(DEFAULTS_TEXT)}); every difference is B − A.</p>
<table data-testid="statistics">
<thead><tr><th>orchestrator</th><th>shared items</th><th>accuracy A → B</th><th>B − A (95% CI)</th><th>McNemar p</th><th>cost/item A → B</th><th>cost rise (95% CI)</th><th>p50 A → B</th><th>p50 rise (95% CI)</th><th>p95 rise (95% CI)</th><th>verdict</th></tr></thead>
<tbody>
${comparable.map(statisticsRow).join('\n')}
</tbody>
</table>
<p class="note">The same figures from the command line: ${comparable
        .slice(0, 1)
        .map(
          (c) =>
            `<code>${esc(`baton compare ${dirOf(rc.baseline)} ${dirOf(rc.candidate)} --a ${c.a.orchestrator} --b ${c.b.orchestrator}`)}</code>`,
        )
        .join('')} (and so on for each orchestrator).</p>`,
    );
  }
  // Runs that differ usually differ the same way for every orchestrator: each distinct list once.
  const groups = new Map<string, { orchestrators: string[]; differences: Difference[] }>();
  for (const { orchestrator, c } of refused) {
    const differences = c.differences.filter((d) => !d.allowed);
    const key = JSON.stringify(differences);
    const group = groups.get(key) ?? { orchestrators: [], differences };
    group.orchestrators.push(orchestrator);
    groups.set(key, group);
  }
  for (const g of groups.values()) {
    const fields = [...new Set(g.differences.map((d) => d.field))];
    parts.push(
      `<div data-testid="not-comparable"><p><b>Not comparable</b> for ${g.orchestrators.map((o) => `<code>${esc(o)}</code>`).join(', ')}: ${esc(fields.join(', '))} differ, so no paired statistics — only the figures above. (<code>baton compare --allow-different ${esc(fields.join(','))}</code> compares them anyway.)</p>
${differencesTable(g.differences)}</div>`,
    );
  }
  for (const p of problems)
    parts.push(`<p data-testid="problem"><code>${esc(p.orchestrator)}</code>: ${esc(p.problem)}</p>`);
  if (rc.onlyBaseline.length + rc.onlyCandidate.length > 0)
    parts.push(
      `<p class="note">In one run only (figures above, nothing to pair): ${[
        ...rc.onlyBaseline.map((o) => `${esc(o)} (A)`),
        ...rc.onlyCandidate.map((o) => `${esc(o)} (B)`),
      ].join(', ')}.</p>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}

/** `/compare`: the chosen runs side by side, then each against the baseline (the first of `runs`). */
export function sideBySidePage(
  runs: readonly RunFigures[],
  listings: readonly RunListing[],
  comparisons: readonly RunComparison[],
): string {
  const [baseline] = runs;
  const ids = runs.map((f) => f.id);
  const suites = [...new Set(runs.flatMap((f) => f.rows.map((r) => r.suite)))].sort((a, b) =>
    a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b),
  );
  const baselineLinks = runs
    .slice(1)
    .map((f) => {
      const query = [
        ...ids.map((id) => `run=${encodeURIComponent(id)}`),
        `baseline=${encodeURIComponent(f.id)}`,
      ];
      return `<a href="/compare?${esc(query.join('&'))}" data-testid="make-baseline">${esc(f.id)}</a>`;
    })
    .join(', ');
  const runRows = runs.map((f) => {
    const listing = listings.find((l) => l.id === f.id);
    return `<tr data-run="${esc(f.id)}">${listing ? runCells(listing) + reportCell(listing) : `<td>${esc(f.id)}</td>`}<td>${esc(f.label)}</td></tr>`;
  });
  const simulated = runs.some((f) => f.rows.some((r) => r.simulated));
  const body = `<p><a href="/">← all runs</a></p>
<h1>${esc(ids.join(' · '))}: side by side</h1>
${simulated ? `<p class="banner" data-testid="simulated">SIMULATED: at least one of these runs used baton's simulated pool; rows marked (sim) used a simulated agent, and their figures say nothing about real models.</p>` : ''}
<p class="note">Read from each run's store, read-only, now. Baseline (A): <b>${esc(baseline?.id ?? '')}</b>${baselineLinks ? `; make another the baseline: ${baselineLinks}` : ''}.</p>
<table data-testid="chosen-runs">
<thead><tr>${RUN_HEADERS.map((h) => `<th>${h}</th>`).join('')}<th>report</th><th>answers from</th></tr></thead>
<tbody>
${runRows.join('\n')}
</tbody>
</table>
${suites.map((s) => `<h2>Suite: ${esc(s)}</h2>\n${figuresTable(s, runs)}`).join('\n')}
<p class="note">n: samples recorded, failed ones included; accuracy: correct / n; scored accuracy: correct / (n − errors), with its Wilson 95% interval; $/solved: all spending / correct; p50 and p95: wall time per sample, samples with cached calls left out — the report's results table.</p>
${comparisons.map((rc) => comparisonSection(rc, runs)).join('\n')}`;
  return page(`baton: ${ids.join(' vs ')}`, body, simulated);
}

/** An error or refusal, as a page. */
export function messagePage(title: string, message: string): string {
  return page(
    title,
    `<p><a href="/">← all runs</a></p>\n<h1>${esc(title)}</h1>\n<p data-testid="message">${esc(message)}</p>`,
  );
}
