import { describeField } from './comparability.js';
import type { Comparison } from './gate.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pp = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)} pp`;
/** Differences shown per field on the terminal; `--json` has them all. */
const SHOWN_PER_FIELD = 10;

/** The comparison as `baton compare` prints it. */
export function compareText(c: Comparison): string {
  const lines = [
    `A (baseline): ${c.a.orchestrator} (${c.a.runId})  B (candidate): ${c.b.orchestrator} (${c.b.runId})${c.a.simulated || c.b.simulated ? '  [SIMULATED]' : ''}`,
  ];
  const refused = c.differences.filter((d) => !d.allowed);
  const allowed = c.differences.filter((d) => d.allowed);
  if (c.differences.length === 0)
    lines.push('comparable: suites, tasks, repeats, seeds, prices, pool and grading match');
  for (const [title, list] of [
    [
      'NOT COMPARABLE: differences (field, item: A | B); --allow-different <field> to compare anyway:',
      refused,
    ],
    ['allowed differences (--allow-different):', allowed],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(title);
    const fields = [...new Set(list.map((d) => d.field))];
    for (const field of fields) {
      const rows = list.filter((d) => d.field === field);
      for (const d of rows.slice(0, SHOWN_PER_FIELD))
        lines.push(`  ${d.field}${d.item ? ` ${d.item}` : ''}: A ${d.a} | B ${d.b}`);
      if (rows.length > SHOWN_PER_FIELD)
        lines.push(`  ${field}: … ${rows.length - SHOWN_PER_FIELD} more (--json lists all)`);
      lines.push(`    (${field}: ${describeField(field)})`);
    }
  }
  const acc = c.accuracy;
  if (acc) {
    lines.push(
      `shared items: ${acc.shared}  both right ${acc.bothCorrect}, only A ${acc.onlyA}, only B ${acc.onlyB}, both wrong ${acc.bothWrong}` +
        (c.a.errors + c.b.errors > 0 ? `  (failed samples left out: A ${c.a.errors}, B ${c.b.errors})` : ''),
      `accuracy: A ${pct(acc.accuracyA)}  B ${pct(acc.accuracyB)}  B−A ${pp(acc.differencePoints)} (${Math.round(100 * c.options.level)}% CI ${pp(acc.ciPoints.low)} to ${pp(acc.ciPoints.high)}: Tango score ∪ paired bootstrap)  McNemar exact p = ${acc.mcnemarP.toPrecision(3)}`,
    );
    const mode =
      c.options.mode === 'equivalence' || c.options.marginPoints > 0
        ? `${c.options.mode}, margin ${c.options.marginPoints} pp`
        : c.options.mode;
    for (const g of c.gates) {
      const name = g.gate === 'accuracy' ? `accuracy (${mode})` : g.gate;
      const verdict = g.verdict === 'not gated' ? 'not gated' : g.verdict.toUpperCase();
      lines.push(`gate ${name}: ${verdict}${g.rule !== 'none' ? ` [${g.rule}]` : ''} — ${g.reason}`);
    }
  }
  const failed = c.gates.filter((g) => g.verdict === 'fail').map((g) => g.gate);
  lines.push(
    `verdict: ${c.verdict === 'not comparable' ? 'NOT COMPARABLE' : c.verdict === 'fail' ? `FAIL (${failed.join(', ')})` : 'pass'}`,
  );
  return `${lines.join('\n')}\n`;
}
