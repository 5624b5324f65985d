import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src/store/run-store.js';
import { demoConfigCopy } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

/** The demo on 4 maths and 4 multiple-choice tasks, three orchestrators of different cost. */
function smallDemo() {
  return demoConfigCopy((t) =>
    t
      .replace(/\n {2}- path: .*code\.yaml/, '')
      .replace(/(path: .*\.yaml)/g, '$1\n    limit: 4')
      .replace(
        /orchestrators:\n[\s\S]*$/,
        [
          'orchestrators:',
          '  - { id: single-gpt5, family: single, agent: gpt5 }',
          '  - { id: fusion, family: fusion, panel: [claude, gemini, qwen, r1], judge: gpt5 }',
          '  - { id: vote-qwen, family: vote, agents: [qwen], samples: 5 }',
          '',
        ].join('\n'),
      ),
  );
}

describe('baton run --pilot N (real process, simulated pool)', () => {
  it('runs N tasks per orchestrator, extrapolates the full run from their cost, and resumes into it without buying them again', async () => {
    const { dir, file } = smallDemo();
    const out = await runCli(['run', file, '--output', dir, '--run-id', 'p', '--pilot', '3', '--quiet']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /^pilot: 3 task\(s\) per orchestrator run \(.*\/p\)\. Cost of the full run, extrapolated \(p50 … p95\):$/m,
    );
    expect(out.stdout).toContain(`continue with the full run: baton run ${file} --resume p`);

    const storeFile = join(dir, 'p', 'run.sqlite');
    let store = new RunStore(storeFile);
    const pilot = store.samples();
    expect(store.getRun()?.planned).toBe(9);
    store.close();
    expect(pilot).toHaveLength(9);
    // p50 = the mean pilot cost per sample × the full run's 8 samples, for each orchestrator.
    for (const id of ['single-gpt5', 'fusion', 'vote-qwen']) {
      const costs = pilot.filter((s) => s.orchestrator === id).map((s) => s.costUsd);
      const printed = new RegExp(
        `^ {2}${id} +8 samples {2}p50 +\\$([\\d.]+) {2}p95 +\\$([\\d.]+)$`,
        'm',
      ).exec(out.stdout);
      expect(printed, id).not.toBeNull();
      const expected = (costs.reduce((a, b) => a + b, 0) / costs.length) * 8;
      expect(Number(printed?.[1])).toBeCloseTo(expected, 4);
      expect(Number(printed?.[2])).toBeGreaterThanOrEqual(Number(printed?.[1]));
    }
    expect(out.stdout).toMatch(/^ {2}total +24 samples {2}p50 +\$[\d.]+ {2}p95 +\$[\d.]+ {3}no budget\.usd/m);

    const resumed = await runCli(['run', file, '--output', dir, '--resume', 'p', '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    store = new RunStore(storeFile);
    const all = store.samples();
    const run = store.getRun();
    store.close();
    expect(run?.planned).toBe(24);
    expect(all).toHaveLength(24);
    // The pilot's samples were kept from the first session, not run again.
    for (const s of pilot) expect(all.find((a) => a.sampleId === s.sampleId)?.session).toBe(1);
    expect(all.filter((s) => s.session === 2)).toHaveLength(15);
  }, 180_000);

  it('refuses --pilot with --dry-run, with --resume, and below 2 tasks (exit 2, one line)', async () => {
    const { file } = smallDemo();
    for (const [args, message] of [
      [['--pilot', '3', '--dry-run'], '--pilot runs samples and --dry-run runs none'],
      [['--pilot', '3', '--resume'], '--pilot starts a new run'],
      [['--pilot', '1'], '--pilot takes a whole number of tasks, at least 2'],
    ] as const) {
      const out = await runCli(['run', file, ...args]);
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toMatch(new RegExp(`^error: ${message.replace(/[-]/g, '\\-')}`));
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
