import type { Report, UsageRow } from './types.js';

export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

function tableOrNone(headers: string[], rows: (string | number)[][]): string {
  return rows.length === 0 ? 'None.' : table(headers, rows);
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const usd = (x: number | null) => (x === null ? '–' : `$${x < 0.01 ? x.toFixed(5) : x.toFixed(4)}`);
const ms = (x: number | null) => (x === null ? '–' : `${Math.round(x)} ms`);
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** The headline table: accuracy with its interval, cost, latency, calls and tokens per task. */
export function resultsTable(report: Report): string {
  return table(
    [
      'orchestrator',
      'family',
      'suite',
      'n',
      'errors',
      'accuracy',
      '95% CI',
      '$/task',
      '$/solved',
      'p50',
      'p95',
      'calls/task',
      'tokens in/out per task',
    ],
    report.rows.map((r) => [
      r.orchestrator,
      r.family,
      r.suite,
      r.scored,
      r.errors,
      pct(r.accuracy),
      `${pct(r.ci95.low)}–${pct(r.ci95.high)}`,
      usd(r.costPerTaskUsd),
      usd(r.costPerSolvedUsd),
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p95),
      num(r.callsPerTask),
      `${Math.round(r.tokensPerTask.input)} / ${Math.round(r.tokensPerTask.output)}`,
    ]),
  );
}

function usageTable(rows: UsageRow[], keyName: string): string {
  return table(
    ['orchestrator', keyName, 'calls', 'cached', 'input tokens', 'output tokens', 'reasoning tokens', 'cost'],
    rows.map((r) => [
      r.orchestrator,
      r.key,
      r.calls,
      r.cachedCalls,
      r.inputTokens,
      r.outputTokens,
      r.reasoningTokens,
      usd(r.costUsd),
    ]),
  );
}

export function renderMarkdown(report: Report): string {
  const banner = report.simulated ? `> **${report.label}**\n` : `> ${report.label}\n`;
  const env = report.run.environment;
  const unisolated = report.rows
    .filter((r) => r.suite !== 'all')
    .reduce((n, r) => n + r.unisolatedCodeSamples, 0);
  const parts = [
    `# baton report: ${report.run.name}${report.simulated ? ' (simulated)' : ''}`,
    banner,
    [
      `- run: \`${report.run.id}\` (${report.run.status}, ${report.run.sessions} session${report.run.sessions === 1 ? '' : 's'})`,
      `- started: ${report.run.createdAt}; report generated: ${report.generatedAt}`,
      `- config: \`${report.run.configFile}\` (hash ${report.run.configHash})`,
      `- command: \`${String(env.command ?? '')}\``,
      `- machine: ${String(env.cpuModel ?? '')} × ${String(env.cpus ?? '?')}, ${String(env.platform ?? '')}/${String(env.arch ?? '')}, Node ${String(env.node ?? '')}`,
      `- samples: ${report.samples.recorded} recorded of ${report.samples.planned} planned, ${report.samples.errors} errors`,
      ...(unisolated > 0
        ? [
            `- isolation: none — ${unisolated} code samples ran in the local driver (a subprocess, not a sandbox)`,
          ]
        : []),
    ].join('\n'),
    '## Results',
    resultsTable(report),
    '## Tokens and cost by agent',
    usageTable(report.byAgent, 'agent'),
    '## Tokens and cost by role',
    usageTable(report.byRole, 'role'),
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
      .map(([suite, ids]) => `- ${suite} (${ids.length}): ${ids.join(', ')}`)
      .join('\n'),
    '## Notes',
    report.notes.map((n) => `- ${n}`).join('\n'),
  ];
  return `${parts.join('\n\n')}\n`;
}
