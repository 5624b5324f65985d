import type { SampleSummary } from '../store/reads.js';
import { type DecisionSpec, SequentialDecisions } from '../util/stats/sequential.js';
import type { PlannedSample } from './plan.js';

/**
 * `baton run --until-decided`: watches the samples of the comparisons a config's `decide:` names and
 * stops new tasks from starting once every comparison is decided.
 *
 * The plan takes tasks in the seeded order (plan.ts; all repeats of a task together). A task enters
 * the confidence sequences only when every sample of the named orchestrators for it (every repeat) has
 * finished, and tasks enter strictly in the seeded order — task k + 1 waits for task k even when it
 * finished first — so the sequence of intervals, and the task at which the run is decided, do not
 * depend on concurrency or timing. Once decided, no new task starts; samples of tasks already started
 * (in flight at the decision) still run, so every orchestrator has the same tasks. A resume rebuilds
 * the state from the stored samples: the same order, the same intervals.
 */
export class UntilDecided {
  private readonly decisions: SequentialDecisions;
  /** Task key → position in the seeded order. */
  private readonly position = new Map<string, number>();
  /** Per position: the sample ids of the named orchestrators still to finish. */
  private readonly waiting: Set<string>[] = [];
  /** Per position: orchestrator \0 repeat → 1/0 (scored samples only). */
  private readonly outcomes: Map<string, number>[] = [];
  private readonly named: Set<string>;
  /** Next position to enter the sequences. */
  private cursor = 0;
  /** Highest position with a started (or stored) sample. */
  private highestStarted = -1;

  constructor(
    specs: readonly DecisionSpec[],
    readonly repeats: number,
    planned: readonly PlannedSample[],
  ) {
    this.decisions = new SequentialDecisions(specs, repeats);
    this.named = new Set(specs.flatMap((s) => [s.a, s.b]));
    for (const sample of planned) {
      const key = taskKey(sample.task.suite, sample.task.id);
      let at = this.position.get(key);
      if (at === undefined) {
        at = this.waiting.length;
        this.position.set(key, at);
        this.waiting.push(new Set());
        this.outcomes.push(new Map());
      }
      // Only the full pool's arm: an ablation arm's `fusion[-claude]` is another orchestrator.
      if (this.named.has(sample.orchestratorId)) this.waiting[at]?.add(sample.sampleId);
    }
  }

  /** Tasks in the suite(s). */
  get items(): number {
    return this.waiting.length;
  }

  /** Tasks that entered the sequences (in the seeded order). */
  get observed(): number {
    return this.decisions.items;
  }

  /** Tasks with at least one sample started, stored or in flight. */
  get started(): number {
    return this.highestStarted + 1;
  }

  get decided(): boolean {
    return this.decisions.allDecided();
  }

  /** Tasks observed when every comparison was first decided (null: not decided). */
  get decidedAtItem(): number | null {
    return this.decisions.decidedAtItem;
  }

  states() {
    return this.decisions.states();
  }

  /** A stored sample of an earlier session (resume): only scored samples count as done, as a resume re-runs failed ones. */
  restore(sample: Pick<SampleSummary, 'sampleId' | 'suite' | 'taskId' | 'status'>): void {
    const at = this.position.get(taskKey(sample.suite, sample.taskId));
    if (at === undefined) return;
    this.highestStarted = Math.max(this.highestStarted, at);
    if (sample.status === 'ok') this.finish(sample as FinishedSample, false);
  }

  /**
   * May this sample start now? Yes until decided; after that, only samples of tasks already started.
   * A yes marks its task started.
   */
  mayStart(sample: PlannedSample): boolean {
    const at = this.position.get(taskKey(sample.task.suite, sample.task.id)) ?? 0;
    if (this.decided && at > this.highestStarted) return false;
    this.highestStarted = Math.max(this.highestStarted, at);
    return true;
  }

  /** A sample finished (scored or failed): tasks complete in the seeded order enter the sequences. */
  finish(sample: FinishedSample, advance = true): void {
    const at = this.position.get(taskKey(sample.suite, sample.taskId));
    if (at === undefined) return;
    const waiting = this.waiting[at] as Set<string>;
    if (!waiting.delete(sample.sampleId)) return;
    if (sample.status === 'ok' && typeof sample.correct === 'boolean')
      this.outcomes[at]?.set(`${sample.orchestrator}\u0000${sample.repeat}`, sample.correct ? 1 : 0);
    if (advance) this.advance();
  }

  /** Enters every task at the cursor whose named samples all finished (call after restoring). */
  advance(): void {
    while (this.cursor < this.waiting.length && this.waiting[this.cursor]?.size === 0) {
      const outcomes = this.outcomes[this.cursor] as Map<string, number>;
      this.decisions.observe((orchestrator, repeat) => outcomes.get(`${orchestrator}\u0000${repeat}`));
      this.cursor++;
    }
  }
}

type FinishedSample = Pick<
  SampleSummary,
  'sampleId' | 'suite' | 'taskId' | 'orchestrator' | 'repeat' | 'status' | 'correct'
>;

function taskKey(suite: string, taskId: string): string {
  return `${suite}\u0000${taskId}`;
}
