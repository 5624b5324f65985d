import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tierFor } from '../providers/cost.js';
import type { ChatMessage, PricedAgent } from '../providers/types.js';
import type { PriorSpending } from '../store/records.js';

/** Where the last budget stop of a run is recorded (removed once the run completes). */
export const BUDGET_STOP_FILE = 'budget-stop.json';

/** The last budget stop recorded in a run folder, or undefined (none, or unreadable). */
export function readBudgetStop(runDir: string): BudgetStop | undefined {
  try {
    const stop = JSON.parse(readFileSync(join(runDir, BUDGET_STOP_FILE), 'utf8')) as Partial<BudgetStop>;
    return typeof stop.capUsd === 'number' ? (stop as BudgetStop) : undefined;
  } catch {
    return undefined;
  }
}

export class BudgetExhausted extends Error {
  override name = 'BudgetExhausted';
}

/** Per-message framing tokens no tokenizer exceeds (OpenAI documents 3–4; others fewer). */
const TOKENS_PER_MESSAGE = 16;

/**
 * An upper bound on a request's prompt tokens without a tokenizer: byte-level BPE and SentencePiece
 * vocabularies never emit more tokens than the text has UTF-8 bytes.
 */
export function promptTokenBound(messages: readonly ChatMessage[]): number {
  return messages.reduce((n, m) => n + Buffer.byteLength(m.content, 'utf8') + TOKENS_PER_MESSAGE, 64);
}

/** The most one call can cost: every prompt token at the dearest input rate, every allowed output token. */
export function callCostBound(agent: PricedAgent, promptTokens: number, outputTokens: number): number {
  const tier = tierFor(agent.price, promptTokens);
  const inputRate = Math.max(tier.input, tier.cachedInput ?? 0, tier.cacheWrite ?? 0, tier.cacheWrite1h ?? 0);
  return (promptTokens * inputRate + outputTokens * tier.output) / 1e6;
}

/** The output tokens a call may produce: its `maxTokens`, else the config's assumption for budgets. */
export function outputTokenBound(agent: PricedAgent, assumed: number): number {
  return agent.params.maxTokens ?? assumed;
}

export interface BudgetStop {
  capUsd: number;
  /** The run's spending when it stopped: earlier sessions' (the store's record) plus this session's. */
  spentUsd: number;
  /** This session's part of `spentUsd`. */
  sessionUsd: number;
  /** Money promised to calls in flight when scheduling stopped. */
  reservedUsd: number;
  reason: string;
  /** The first sample that was not started (or whose call was refused). */
  atSample: string;
}

/**
 * Keeps a run's spending under `budget.usd`. The budget is the run's, not the session's: what earlier
 * sessions spent (`prior`) counts against the cap. The hard guarantee is per call: a call starts only
 * if money already spent, plus the worst case of every call in flight, plus this call's worst case,
 * fits under the cap — so the cap holds whatever the calls return (as long as providers honour max
 * tokens). On top, new samples start only while the expected cost of one more sample (the mean of
 * recorded samples of that orchestrator, or one worst-case call before any) still fits.
 */
export class BudgetGuard {
  /** USD billed in this session. */
  spent = 0;
  private reserved = 0;
  private readonly finished = new Map<string, { n: number; usd: number }>();
  private readonly priorUsd: number;
  stop: BudgetStop | undefined;

  /** Recorded costs of calls served from a cassette this session: no money, counted only if capped. */
  private replayedUsd = 0;
  private readonly replay: boolean;

  /**
   * `replay`: every call of this session is served from a recording; its recorded cost is not spent
   * (`spent` stays 0) and counts against the cap only when one is given (a replay asked to stop where
   * the recorded run did).
   */
  constructor(
    readonly capUsd: number | undefined,
    prior: PriorSpending = { usd: 0 },
    options: { replay?: boolean } = {},
  ) {
    this.priorUsd = prior.usd;
    this.replay = options.replay ?? false;
    for (const [id, seen] of prior.samples ?? []) this.finished.set(id, { ...seen });
  }

  /** What counts against the cap: earlier sessions' spending, this one's, and replayed costs. */
  get totalUsd(): number {
    return this.priorUsd + this.spent + this.replayedUsd;
  }

  /**
   * On a resume: a run left without room stops before buying anything — earlier sessions spent the
   * cap, or the last session stopped at the budget and `budget.usd` was not raised since (the config
   * hash leaves the budget out, so raising it is how a stopped run continues). Returns true if so.
   */
  refuseResume(lastStop: BudgetStop | undefined, atSample: string, configFile: string): boolean {
    if (this.capUsd === undefined || this.stop) return this.exhausted;
    const raise = `raise budget.usd in ${configFile} to continue (the budget is the run's: earlier sessions' spending counts)`;
    const spent = `$${this.totalUsd.toFixed(6)}`;
    if (this.totalUsd >= this.capUsd) {
      this.halt(
        atSample,
        `resume refused: this run already spent ${spent} of its budget.usd $${this.capUsd}; ${raise}`,
      );
    } else if (lastStop && this.capUsd <= lastStop.capUsd) {
      this.halt(
        atSample,
        `resume refused: this run stopped at its budget.usd of $${lastStop.capUsd} (${spent} spent) and the cap was not raised; ${raise}`,
      );
    }
    return this.exhausted;
  }

  get exhausted(): boolean {
    return this.stop !== undefined;
  }

  /** May a new sample of this orchestrator start? `firstCallUsd` bounds its first call. */
  admitSample(sampleId: string, orchestratorId: string, firstCallUsd: number): boolean {
    if (this.stop) return false;
    if (this.capUsd === undefined) return true;
    const seen = this.finished.get(orchestratorId);
    const expected = seen && seen.n > 0 ? seen.usd / seen.n : firstCallUsd;
    if (this.totalUsd + this.reserved + expected <= this.capUsd) return true;
    this.halt(
      sampleId,
      `the next sample is expected to cost $${expected.toFixed(6)}, more than the $${Math.max(0, this.capUsd - this.totalUsd - this.reserved).toFixed(6)} left`,
    );
    return false;
  }

  /** Reserves a call's worst case, or throws BudgetExhausted (the call is then never sent). */
  beginCall(sampleId: string, worstUsd: number): { settle(actualUsd: number): void } {
    if (this.capUsd !== undefined) {
      if (this.stop || this.totalUsd + this.reserved + worstUsd > this.capUsd) {
        this.halt(sampleId, `a call that may cost up to $${worstUsd.toFixed(6)} would not fit under the cap`);
        throw new BudgetExhausted(`budget of $${this.capUsd} reached`);
      }
    }
    this.reserved += worstUsd;
    let settled = false;
    return {
      settle: (actualUsd) => {
        if (settled) return;
        settled = true;
        this.reserved -= worstUsd;
        if (this.replay) this.replayedUsd += actualUsd;
        else this.spent += actualUsd;
      },
    };
  }

  sampleFinished(orchestratorId: string, usd: number): void {
    const seen = this.finished.get(orchestratorId) ?? { n: 0, usd: 0 };
    seen.n++;
    seen.usd += usd;
    this.finished.set(orchestratorId, seen);
  }

  private halt(atSample: string, reason: string): void {
    if (this.stop || this.capUsd === undefined) return;
    this.stop = {
      capUsd: this.capUsd,
      spentUsd: this.totalUsd,
      sessionUsd: this.spent,
      reservedUsd: this.reserved,
      reason,
      atSample,
    };
  }
}
