import { describe, expect, it } from 'vitest';
import type { PlannedSample } from '../../src/runner/plan.js';
import { UntilDecided } from '../../src/runner/until-decided.js';
import { mulberry32, seedFrom } from '../../src/util/random.js';
import type { DecisionMode } from '../../src/util/stats/confidence-sequence.js';
import {
  type DecisionLabel,
  inSeededOrder,
  itemOrderKey,
  SequentialDecisions,
} from '../../src/util/stats/sequential.js';

/** One item's outcomes for orchestrators a and b (one repeat). */
const pair =
  (a: number, b: number) =>
  (orchestrator: string): number | undefined =>
    orchestrator === 'a' ? a : orchestrator === 'b' ? b : undefined;

/**
 * The stopping rule of --until-decided, simulated: paired outcomes with P(b right, a wrong) = pUp and
 * P(a right, b wrong) = pDown (true difference pUp − pDown), one look after every item, stop at the
 * first decided interval or after `cap` items. A run misses when the interval at its stopping time
 * does not contain the true difference.
 */
function stoppingRule(
  scenario: { name: string; pUp: number; pDown: number },
  question: { margin: number; mode: DecisionMode },
  runs: number,
  cap = 500,
) {
  const truth = 100 * (scenario.pUp - scenario.pDown);
  let misses = 0;
  const verdicts = new Map<DecisionLabel, number>();
  const stops: number[] = [];
  for (let run = 0; run < runs; run++) {
    const random = mulberry32(seedFrom('until-decided-coverage', scenario.name, question.mode, run));
    const s = new SequentialDecisions([{ a: 'a', b: 'b', ...question }], 1);
    while (s.items < cap && !s.allDecided()) {
      const u = random();
      s.observe(u < scenario.pUp ? pair(0, 1) : u < scenario.pUp + scenario.pDown ? pair(1, 0) : pair(1, 1));
    }
    const [state] = s.states();
    if (!state) throw new Error('no state');
    if (truth < state.lower - 1e-9 || truth > state.upper + 1e-9) misses++;
    verdicts.set(state.verdict, (verdicts.get(state.verdict) ?? 0) + 1);
    stops.push(s.items);
  }
  stops.sort((x, y) => x - y);
  return { missRate: misses / runs, verdicts, median: stops[Math.floor(runs / 2)] as number, stops };
}

describe('the --until-decided stopping rule (seeded simulations, α = 0.05)', () => {
  it('truth on the margin (B exactly 2 points worse): any verdict is an error, and happens in ≤ 5 % of 400 runs', () => {
    // Non-inferiority at margin 2: "B non-inferior" needs lower > −2 and "B worse" needs upper < −2;
    // with the true difference at −2 either one means the interval missed it.
    const r = stoppingRule(
      { name: 'on the margin', pUp: 0.14, pDown: 0.16 },
      { margin: 2, mode: 'non-inferiority' },
      400,
    );
    const decided = 400 - (r.verdicts.get('not distinguishable') ?? 0);
    console.log(`on the margin: miss rate at the stop ${r.missRate}, decided ${decided} of 400 runs`);
    expect(r.missRate).toBeLessThanOrEqual(0.05);
    expect(decided / 400).toBeLessThanOrEqual(0.05);
  });

  it('a 30-point drop: stops early, says "B worse", and the interval at the stop covers the truth in ≥ 95 % of 200 runs', () => {
    const r = stoppingRule(
      { name: 'large drop', pUp: 0.05, pDown: 0.35 },
      { margin: 2, mode: 'non-inferiority' },
      200,
    );
    console.log(
      `large drop: miss rate at the stop ${r.missRate}; median stop ${r.median} items, max ${r.stops.at(-1)}; verdicts ${JSON.stringify([...r.verdicts])}`,
    );
    expect(r.missRate).toBeLessThanOrEqual(0.05);
    expect(r.verdicts.get('B worse')).toBe(200);
    expect(r.median).toBeLessThan(60);
  });

  it('no difference, superiority at margin 0: a verdict either way is an error, in ≤ 5 % of 200 runs', () => {
    const r = stoppingRule(
      { name: 'no gap', pUp: 0.15, pDown: 0.15 },
      { margin: 0, mode: 'superiority' },
      200,
    );
    const wrong = (r.verdicts.get('B better') ?? 0) + (r.verdicts.get('B worse') ?? 0);
    console.log(`no gap (superiority): miss rate at the stop ${r.missRate}; wrong verdicts ${wrong} of 200`);
    expect(r.missRate).toBeLessThanOrEqual(0.05);
    expect(wrong / 200).toBeLessThanOrEqual(0.05);
  });
});

describe('the seeded order', () => {
  const tasks = Array.from({ length: 50 }, (_, i) => ({ suite: i % 2 ? 'math' : 'code', id: `t${i}` }));

  it('is a permutation fixed by the seed, another for another seed', () => {
    const one = inSeededOrder(7, tasks);
    expect(new Set(one)).toEqual(new Set(tasks));
    expect(inSeededOrder(7, [...tasks].reverse())).toEqual(one);
    expect(inSeededOrder(8, tasks)).not.toEqual(one);
    expect(one).not.toEqual(tasks);
  });

  it('orders any two tasks the same whatever else the suite holds (a stopped run places its tasks)', () => {
    const all = inSeededOrder(7, tasks).map((t) => t.id);
    const some = inSeededOrder(
      7,
      tasks.filter((_, i) => i % 3 === 0),
    ).map((t) => t.id);
    expect(all.filter((id) => some.includes(id))).toEqual(some);
    expect(itemOrderKey(7, 'code', 't0')).toBe(itemOrderKey(7, 'code', 't0'));
  });
});

describe('SequentialDecisions', () => {
  it('averages a task over the repeats both sides scored, and leaves out a task no repeat of which both scored', () => {
    const s = new SequentialDecisions([{ a: 'a', b: 'b', margin: 2, mode: 'non-inferiority' }], 2);
    const table: Record<string, (number | undefined)[]> = { a: [1, 0], b: [1, undefined] };
    s.observe((o, r) => table[o]?.[r]); // repeat 0 only: d = 0
    s.observe((o, r) => ({ a: [1, 1], b: [0, 1] })[o]?.[r]); // d = (−1 + 0) / 2
    s.observe((o) => (o === 'a' ? undefined : 1)); // a failed both: left out of the comparison
    const [c] = s.states();
    expect(s.items).toBe(3);
    expect(c?.n).toBe(2);
    expect(c?.meanDifference).toBeCloseTo(-25, 10);
  });

  it('splits α over comparisons (Bonferroni): two comparisons on the same data give wider intervals than one', () => {
    const one = new SequentialDecisions([{ a: 'a', b: 'b', margin: 2, mode: 'superiority' }], 1);
    const two = new SequentialDecisions(
      [
        { a: 'a', b: 'b', margin: 2, mode: 'superiority' },
        { a: 'b', b: 'a', margin: 2, mode: 'superiority' },
      ],
      1,
    );
    const random = mulberry32(seedFrom('bonferroni'));
    for (let i = 0; i < 200; i++) {
      const outcome = pair(random() < 0.5 ? 1 : 0, random() < 0.6 ? 1 : 0);
      one.observe(outcome);
      two.observe(outcome);
    }
    const [c1] = one.states();
    const [c2, mirrored] = two.states();
    expect((c2?.upper ?? 0) - (c2?.lower ?? 0)).toBeGreaterThan((c1?.upper ?? 0) - (c1?.lower ?? 0));
    expect(mirrored?.lower).toBeCloseTo(-(c2?.upper ?? 0), 1);
  });
});

describe('UntilDecided (the runner’s watch)', () => {
  const TASKS = 60;
  /** Plan: per task, a and b and an unrelated orchestrator c, one repeat. */
  const plan = Array.from({ length: TASKS }, (_, t) =>
    ['a', 'b', 'c'].map((o) => ({
      sampleId: `${o}/s/t${t}#0`,
      orchestratorId: o,
      task: { suite: 's', id: `t${t}` },
      repeat: 0,
    })),
  ).flat() as unknown as PlannedSample[];
  const result = (sample: PlannedSample, correct: boolean) => ({
    sampleId: sample.sampleId,
    suite: sample.task.suite,
    taskId: sample.task.id,
    orchestrator: sample.orchestratorId,
    repeat: 0,
    status: 'ok' as const,
    correct,
  });
  // b is always wrong, a always right: decided "B worse" after a few tasks.
  const correct = (s: PlannedSample) => s.orchestratorId !== 'b';

  it('takes tasks strictly in order, and once decided starts no new task but finishes started ones', () => {
    const watch = new UntilDecided([{ a: 'a', b: 'b', margin: 2, mode: 'non-inferiority' }], 1, plan);
    // Task 1 finishes before task 0: it must wait.
    for (const s of plan.slice(0, 6)) expect(watch.mayStart(s)).toBe(true);
    for (const s of plan.slice(3, 6)) watch.finish(result(s, correct(s)));
    expect(watch.observed).toBe(0);
    for (const s of plan.slice(0, 3)) watch.finish(result(s, correct(s)));
    expect(watch.observed).toBe(2);
    let next = 6;
    while (!watch.decided) {
      const task = plan.slice(next, next + 3);
      for (const s of task) expect(watch.mayStart(s)).toBe(true);
      for (const s of task) watch.finish(result(s, correct(s)));
      next += 3;
    }
    const decidedAt = watch.decidedAtItem;
    expect(decidedAt).toBe(next / 3);
    expect(watch.states()[0]?.verdict).toBe('B worse');
    expect(decidedAt).toBeLessThan(TASKS / 2);
    // A new task may not start; the unrelated orchestrator does not hold the sequence up.
    expect(watch.mayStart(plan[next] as PlannedSample)).toBe(false);
    expect(watch.started).toBe(next / 3);
  });

  it('rebuilt from stored samples (a resume) reaches the same state', () => {
    const live = new UntilDecided([{ a: 'a', b: 'b', margin: 2, mode: 'non-inferiority' }], 1, plan);
    const stored = plan.slice(0, 12).filter((s) => s.orchestratorId !== 'c');
    for (const s of stored) {
      live.mayStart(s);
      live.finish(result(s, correct(s)));
    }
    const resumed = new UntilDecided([{ a: 'a', b: 'b', margin: 2, mode: 'non-inferiority' }], 1, plan);
    // The store returns samples by id, not in the order they ran; failed ones are run again.
    for (const s of [...stored].reverse()) resumed.restore(result(s, correct(s)));
    resumed.restore({ ...result(plan[14] as PlannedSample, false), status: 'error' });
    resumed.advance();
    expect(resumed.observed).toBe(live.observed);
    expect(resumed.states()).toEqual(live.states());
    expect(resumed.started).toBe(5); // task 4 has a failed sample stored: it was started
  });
});

describe('deciding on the grid', () => {
  it('an interval end equal to the margin (up to floating-point noise) is not a decision', () => {
    // The ends move on a 0.1 pp grid and often land on −2.0 exactly: a verdict needs the printed
    // interval to exclude the margin, whatever the floating-point noise of −1 + 2·j/2000.
    let edges = 0;
    for (let run = 0; run < 100; run++) {
      const random = mulberry32(seedFrom('grid-edge', run));
      const s = new SequentialDecisions([{ a: 'a', b: 'b', margin: 2, mode: 'non-inferiority' }], 1);
      while (s.items < 300 && !s.allDecided()) {
        const u = random();
        s.observe(u < 0.3 ? pair(1, 0) : u < 0.35 ? pair(0, 1) : pair(1, 1));
        const [c] = s.states();
        if (!c) throw new Error('no state');
        if (Math.abs(c.upper + 2) < 1e-9 || Math.abs(c.lower + 2) < 1e-9) {
          edges++;
          expect(c.verdict).toBe('not distinguishable');
        }
        if (c.verdict === 'B worse') expect(c.upper).toBeLessThan(-2 - 1e-9);
      }
    }
    console.log(`an interval end on −2.0 pp met ${edges} times`);
    expect(edges).toBeGreaterThan(0);
  });
});
