import { escapeMarkup } from '../../util/markup.js';
import type { Comparison } from './gate.js';

/**
 * JUnit XML for CI systems, the same verdicts as the terminal and `--json`: one test case for the
 * comparability check, then one per gate (accuracy, cost per item, latency p50, latency p95); a gate
 * without a limit is skipped. When the runs are not comparable only the comparability case is there.
 */
export function junitXml(c: Comparison): string {
  const name = `${c.a.orchestrator} (${c.a.runId}) vs ${c.b.orchestrator} (${c.b.runId})${c.a.simulated || c.b.simulated ? ' [simulated]' : ''}`;
  const testCase = (title: string, detail: string, outcome: 'pass' | 'fail' | 'skip', message: string) =>
    `    <testcase classname="baton.compare" name="${escapeMarkup(title)}">\n` +
    (outcome === 'fail'
      ? `      <failure message="${escapeMarkup(message)}">${escapeMarkup(detail)}</failure>\n`
      : '') +
    (outcome === 'skip' ? `      <skipped message="${escapeMarkup(message)}"/>\n` : '') +
    `      <system-out>${escapeMarkup(detail)}</system-out>\n    </testcase>\n`;
  const line = (d: Comparison['differences'][number]) =>
    `${d.field}${d.item ? ` ${d.item}` : ''}: A ${d.a} | B ${d.b}${d.allowed ? ' (allowed)' : ''}`;
  const refused = c.differences.filter((d) => !d.allowed);
  const comparability = testCase(
    'comparability',
    c.differences.length === 0
      ? 'suites, tasks, repeats, seeds, prices, pool and grading match'
      : c.differences.map(line).join('\n'),
    refused.length > 0 ? 'fail' : 'pass',
    refused.length > 0
      ? `not comparable: ${[...new Set(refused.map((d) => d.field))].join(', ')} differ`
      : '',
  );
  const cases = [
    comparability,
    ...c.gates.map((g) =>
      testCase(
        g.gate,
        `${g.rule !== 'none' ? `[${g.rule}] ` : ''}${g.reason}`,
        g.verdict === 'fail' ? 'fail' : g.verdict === 'pass' ? 'pass' : 'skip',
        g.verdict === 'fail' ? `${g.gate} failed: ${g.rule}` : 'not gated',
      ),
    ),
  ];
  const failures = Number(refused.length > 0) + c.gates.filter((g) => g.verdict === 'fail').length;
  const skipped = c.gates.filter((g) => g.verdict === 'not gated').length;
  const counts = `tests="${cases.length}" failures="${failures}" skipped="${skipped}"`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites ${counts}>\n` +
    `  <testsuite name="${escapeMarkup(name)}" ${counts}>\n` +
    cases.join('') +
    '  </testsuite>\n</testsuites>\n'
  );
}
