import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../util/errors.js';

function number(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${name} must be a number, got '${value}'`);
  return n;
}

/** `baton compare <runA> <runB>`: paired verdict, exit 0 pass, 1 regression, 2 usage error. */
export function addCompareCommand(program: Command): void {
  program
    .command('compare')
    .description(
      'Paired comparison of run A (new) against run B (old) on shared items; exit 1 on a regression',
    )
    .argument('<runA>', 'run folder of the new weights / candidate')
    .argument('<runB>', 'run folder of the old weights / baseline')
    .option('--a <orchestrator>', 'orchestrator in run A (when it has several)')
    .option('--b <orchestrator>', 'orchestrator in run B (when it has several)')
    .option('--max-drop <points>', 'tolerated accuracy drop, percentage points, when significant', '0')
    .option('--alpha <p>', 'significance level of the McNemar exact test', '0.05')
    .option('--max-cost-increase <percent>', 'tolerated rise in cost per task, percent', '10')
    .option('--junit <file>', 'also write JUnit XML for CI')
    .option('--json <file>', 'also write the comparison as JSON')
    .action(
      async (
        runA: string,
        runB: string,
        o: {
          a?: string;
          b?: string;
          maxDrop: string;
          alpha: string;
          maxCostIncrease: string;
          junit?: string;
          json?: string;
        },
      ) => {
        // The statistics load with the command that uses them, not with every `baton` start.
        const [{ compareRuns }, { junitXml }] = await Promise.all([
          import('../report/compare/gate.js'),
          import('../report/compare/junit.js'),
        ]);
        const c = compareRuns(
          { runDir: resolve(runA), orchestrator: o.a },
          { runDir: resolve(runB), orchestrator: o.b },
          {
            maxAccuracyDropPoints: number('--max-drop', o.maxDrop),
            alpha: number('--alpha', o.alpha),
            maxCostIncreasePercent: number('--max-cost-increase', o.maxCostIncrease),
          },
        );
        const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
        const lines = [
          `A: ${c.a.orchestrator} (${c.a.runId})  B: ${c.b.orchestrator} (${c.b.runId})${c.a.simulated || c.b.simulated ? '  [SIMULATED]' : ''}`,
          `shared items: ${c.shared}  both right ${c.bothCorrect}, only A ${c.onlyA}, only B ${c.onlyB}, both wrong ${c.bothWrong}`,
          `accuracy: A ${pct(c.accuracyA)}  B ${pct(c.accuracyB)}  A−B ${pct(c.difference)} (95% paired bootstrap CI ${pct(c.ci95.low)} to ${pct(c.ci95.high)})  McNemar exact p = ${c.mcnemarP.toPrecision(3)}`,
          `cost per task: A $${c.costPerTaskA.toPrecision(4)}  B $${c.costPerTaskB.toPrecision(4)}  (${c.costChangePercent >= 0 ? '+' : ''}${c.costChangePercent.toFixed(1)}%)`,
          `latency p50: A ${c.latencyP50A?.toFixed(0) ?? '–'} ms  B ${c.latencyP50B?.toFixed(0) ?? '–'} ms`,
          `verdict: ${c.accuracyRegression || c.costRegression ? `REGRESSION (${[c.accuracyRegression ? 'accuracy' : '', c.costRegression ? 'cost' : ''].filter(Boolean).join(', ')})` : 'pass'}`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        if (o.junit) writeFileSync(o.junit, junitXml(c));
        if (o.json) writeFileSync(o.json, `${JSON.stringify(c, null, 2)}\n`);
        process.exitCode = c.accuracyRegression || c.costRegression ? 1 : 0;
      },
    );
}
