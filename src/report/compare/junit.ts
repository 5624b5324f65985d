import type { Comparison } from './gate.js';

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for CI systems: one test case per gate (accuracy, cost), a failure when it regressed. */
export function junitXml(c: Comparison): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const accuracy = `accuracy ${pct(c.accuracyA)} vs ${pct(c.accuracyB)} on ${c.shared} shared items, difference ${pct(c.difference)} (95% CI ${pct(c.ci95.low)} to ${pct(c.ci95.high)}), McNemar exact p = ${c.mcnemarP.toPrecision(3)}; tolerance ${c.thresholds.maxAccuracyDropPoints} points at alpha ${c.thresholds.alpha}`;
  const cost = `cost per task $${c.costPerTaskA.toPrecision(4)} vs $${c.costPerTaskB.toPrecision(4)} (${c.costChangePercent.toFixed(1)}%); tolerance +${c.thresholds.maxCostIncreasePercent}%`;
  const name = `${c.a.orchestrator} (${c.a.runId}) vs ${c.b.orchestrator} (${c.b.runId})${c.a.simulated || c.b.simulated ? ' [simulated]' : ''}`;
  const testCase = (title: string, detail: string, failed: boolean) =>
    `    <testcase classname="baton.compare" name="${xml(title)}">\n` +
    (failed ? `      <failure message="${xml(`${title} regressed`)}">${xml(detail)}</failure>\n` : '') +
    `      <system-out>${xml(detail)}</system-out>\n    </testcase>\n`;
  const failures = Number(c.accuracyRegression) + Number(c.costRegression);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites tests="2" failures="${failures}">\n` +
    `  <testsuite name="${xml(name)}" tests="2" failures="${failures}">\n` +
    testCase('accuracy', accuracy, c.accuracyRegression) +
    testCase('cost', cost, c.costRegression) +
    '  </testsuite>\n</testsuites>\n'
  );
}
