import { seriesColour as colour, REFERENCE_COLOURS, seriesMarker } from './chart-style.js';
import { marked, simulationScope } from './provenance.js';
import type { AccuracyRow, BaselineRow, Report } from './types.js';

/**
 * Chart definitions as plain data (chart.js configuration objects without functions), built once
 * and drawn twice: by chart.js in the browser (report.html) and by chart.js on @napi-rs/canvas
 * (charts/*.png). Every title says SIMULATED when every agent is, PARTLY SIMULATED when some are (the
 * series of orchestrators that used one are marked "(sim)", drawn as triangles or dashed); every
 * subtitle names run, machine, command and date, so a chart cut out of the report still says where
 * it came from.
 */
/**
 * Datasets flagged `hideFromLegend` (interval whiskers) are left out of the legend by both renderers;
 * `pointLabel: 'each' | 'last'` has both write the dataset's label next to its points (chart-style.ts).
 * Every series has its own colour and, on point charts, a marker shape (chart-style.ts).
 */
export interface ChartSpec {
  id: string;
  title: string;
  /** Alt text / caption. */
  caption: string;
  config: {
    type: 'scatter' | 'bar' | 'line';
    data: { labels?: string[]; datasets: Record<string, unknown>[] };
    options: Record<string, unknown>;
  };
}

export function provenance(report: Report): string {
  const env = report.run.environment;
  return `run ${report.run.id} · ${String(env.cpuModel ?? '?')} ×${String(env.cpus ?? '?')}, ${String(env.platform ?? '')}/${String(env.arch ?? '')}, Node ${String(env.node ?? '')} · ${String(env.command ?? '')} · ${report.run.createdAt.slice(0, 10)}`;
}

function options(
  report: Report,
  title: string,
  axes: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  /** The series have marker shapes: the legend shows them. */
  markers = false,
) {
  const scope = simulationScope(report.provenance);
  const prefix = scope === 'all' ? 'SIMULATED — ' : scope === 'partly' ? 'PARTLY SIMULATED — ' : '';
  return {
    responsive: false,
    animation: false,
    plugins: {
      title: {
        display: true,
        text: `${prefix}${title}`,
        color: report.simulated ? '#b00020' : '#111',
        font: { size: 15 },
      },
      subtitle: { display: true, text: provenance(report), font: { size: 10 }, padding: { bottom: 8 } },
      legend: { position: 'bottom', labels: { usePointStyle: markers } },
    },
    scales: axes,
    ...extra,
  };
}

const axis = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { display: true, text: title },
  ...extra,
});

export function buildCharts(report: Report): ChartSpec[] {
  const orchestrators = [...new Set(report.rows.map((r) => r.orchestrator))];
  const overallSuite = report.rows.some((r) => r.suite === 'all') ? 'all' : (report.rows[0]?.suite ?? 'all');
  const overall = report.rows.filter((r) => r.suite === overallSuite);
  const scope = simulationScope(report.provenance);
  const sim =
    scope === 'all'
      ? ' Simulated pool: synthetic figures.'
      : scope === 'partly'
        ? ` Series marked (sim) used a simulated agent (${report.provenance.simulated.join(', ')}): their figures are wholly or partly synthetic.`
        : '';
  const simulatedRow = new Set(report.rows.filter((r) => r.simulated).map((r) => r.orchestrator));
  // In a mixed run the simulated series are told apart by shape and dash, not only by name.
  const mixed = scope === 'partly';
  const label = (o: string) => marked(o, simulatedRow.has(o));
  const charts: ChartSpec[] = [];

  const front = report.pareto.filter((p) => p.onFront).sort((a, b) => a.costPerTaskUsd - b.costPerTaskUsd);
  const baseline = report.baselines.find((b) => b.without === null && b.suite === overallSuite);
  charts.push({
    id: 'accuracy-vs-cost',
    title: 'Accuracy vs cost per task (Pareto front dashed)',
    caption: `Accuracy (Wilson 95% interval as a vertical bar) against mean cost per task, over ${overallSuite === 'all' ? 'all suites' : overallSuite}, each point labelled with its orchestrator; the dashed line joins the Pareto front${baseline ? '; horizontal lines: the oracle (an item counts as solved when any single agent solved it) and a pool member picked at random' : ''}.${sim}`,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          ...overall.flatMap((r, i) => [
            {
              label: label(r.orchestrator),
              data: [{ x: r.costPerTaskUsd, y: 100 * (r.accuracy ?? 0) }],
              backgroundColor: colour(i),
              borderColor: colour(i),
              pointRadius: 6,
              pointStyle: seriesMarker(i),
              borderWidth: 2,
              pointLabel: 'each',
              ...(mixed && r.simulated ? { pointStyle: 'triangle', pointRadius: 8 } : {}),
            },
            {
              label: `${label(r.orchestrator)} 95% CI`,
              hideFromLegend: true,
              data: [
                { x: r.costPerTaskUsd, y: 100 * r.ci95.low },
                { x: r.costPerTaskUsd, y: 100 * r.ci95.high },
              ],
              showLine: true,
              borderColor: colour(i),
              pointRadius: 0,
              borderWidth: 2,
              ...(mixed && r.simulated ? { borderDash: [3, 3] } : {}),
            },
          ]),
          {
            label: 'Pareto front',
            data: front.map((p) => ({ x: p.costPerTaskUsd, y: 100 * p.accuracy })),
            showLine: true,
            borderDash: [6, 4],
            borderColor: REFERENCE_COLOURS.pareto,
            backgroundColor: REFERENCE_COLOURS.pareto,
            pointRadius: 0,
            pointStyle: 'line',
          },
          ...(baseline ? baselineLines(baseline, overall) : []),
        ],
      },
      options: options(
        report,
        'Accuracy vs cost per task (Pareto front dashed)',
        {
          x: axis('USD per task'),
          y: axis('accuracy (%)', { min: 0, max: 100 }),
        },
        {},
        true,
      ),
    },
  });

  const edges = report.latencyHistogram.binEdgesMs;
  charts.push({
    id: 'latency',
    title: 'End-to-end latency distribution',
    caption: `Samples per latency bin (wall time of the orchestrator, scoring excluded); the last bin holds everything slower.${sim}`,
    config: {
      type: 'line',
      data: {
        labels: edges.slice(0, -1).map((e, i) => `${Math.round(e)}–${Math.round(edges[i + 1] ?? e)}`),
        datasets: orchestrators.map((o, i) => ({
          label: label(o),
          data: report.latencyHistogram.counts[o] ?? [],
          borderColor: colour(i),
          backgroundColor: colour(i),
          pointStyle: seriesMarker(i),
          pointRadius: 4,
          tension: 0.2,
          ...(mixed && simulatedRow.has(o) ? { borderDash: [6, 4] } : {}),
        })),
      },
      options: options(
        report,
        'End-to-end latency distribution',
        { x: axis('latency (ms)'), y: axis('samples', { beginAtZero: true }) },
        {},
        true,
      ),
    },
  });

  const categories = [...new Set(report.categories.map((c) => `${c.suite}/${c.category}`))];
  charts.push({
    id: 'accuracy-by-category',
    title: 'Accuracy by category',
    caption: `Accuracy per task category and orchestrator (scored samples).${sim}`,
    config: {
      type: 'bar',
      data: {
        labels: categories,
        datasets: orchestrators.map((o, i) => ({
          label: label(o),
          data: categories.map((c) => {
            const row = report.categories.find(
              (r) => r.orchestrator === o && `${r.suite}/${r.category}` === c,
            );
            return row?.accuracy === null || row === undefined ? null : 100 * row.accuracy;
          }),
          backgroundColor: colour(i),
        })),
      },
      options: options(report, 'Accuracy by category', {
        x: axis('category'),
        y: axis('accuracy (%)', { min: 0, max: 100 }),
      }),
    },
  });

  for (const [id, rows, what] of [
    ['cost-by-agent', report.byAgent, 'agent'],
    ['cost-by-role', report.byRole, 'role'],
  ] as const) {
    const keys = [...new Set(rows.map((r) => r.key))];
    const simulatedAgents = new Set(what === 'agent' ? report.provenance.simulated : []);
    charts.push({
      id,
      title: `Cost by ${what}`,
      caption: `Total USD spent per orchestrator, split by ${what}.${sim}`,
      config: {
        type: 'bar',
        data: {
          labels: orchestrators.map(label),
          datasets: keys.map((k, i) => ({
            label: marked(k, simulatedAgents.has(k)),
            data: orchestrators.map(
              (o) => rows.find((r) => r.orchestrator === o && r.key === k)?.costUsd ?? 0,
            ),
            backgroundColor: colour(i),
          })),
        },
        options: options(report, `Cost by ${what}`, {
          x: axis('orchestrator', { stacked: true }),
          y: axis('USD (whole run)', { stacked: true, beginAtZero: true }),
        }),
      },
    });
  }
  return charts;
}

/** Oracle and random-member accuracy as horizontal lines across the cost range, labelled at the right. */
function baselineLines(baseline: BaselineRow, overall: readonly AccuracyRow[]): Record<string, unknown>[] {
  const costs = overall.map((r) => r.costPerTaskUsd);
  const [low, high] = [Math.min(...costs), Math.max(...costs)];
  const line = (label: string, value: number | null, colour: string, dash: number[]) =>
    value === null
      ? []
      : [
          {
            label: `${label}: ${(100 * value).toFixed(1)}%`,
            data: [
              { x: low, y: 100 * value },
              { x: high, y: 100 * value },
            ],
            showLine: true,
            borderDash: dash,
            borderColor: colour,
            backgroundColor: colour,
            borderWidth: 1.5,
            pointRadius: 0,
            pointStyle: 'line',
            pointLabel: 'last',
          },
        ];
  return [
    ...line('oracle (any single agent)', baseline.oracle, REFERENCE_COLOURS.oracle, [2, 3]),
    ...line('random pool member', baseline.random, REFERENCE_COLOURS.random, [8, 3, 2, 3]),
  ];
}
