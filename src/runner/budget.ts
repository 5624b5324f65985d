import { tierFor } from '../providers/cost.js';
import type { ChatMessage, PricedAgent } from '../providers/types.js';

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
  spentUsd: number;
  /** Money promised to calls in flight when scheduling stopped. */
  reservedUsd: number;
  reason: string;
  /** The first sample that was not started (or whose call was refused). */
  atSample: string;
}

/**
 * Keeps a run's spending under `budget.usd`. The hard guarantee is per call: a call starts only if
 * money already spent, plus the worst case of every call in flight, plus this call's worst case, fits
 * under the cap — so the cap holds whatever the calls return (as long as providers honour max tokens).
 * On top, new samples start only while the expected cost of one more sample (the mean of finished
 * samples of that orchestrator, or one worst-case call before any finished) still fits.
 */
export class BudgetGuard {
  spent = 0;
  private reserved = 0;
  private readonly finished = new Map<string, { n: number; usd: number }>();
  stop: BudgetStop | undefined;

  constructor(readonly capUsd: number | undefined) {}

  get exhausted(): boolean {
    return this.stop !== undefined;
  }

  /** May a new sample of this orchestrator start? `firstCallUsd` bounds its first call. */
  admitSample(sampleId: string, orchestratorId: string, firstCallUsd: number): boolean {
    if (this.stop) return false;
    if (this.capUsd === undefined) return true;
    const seen = this.finished.get(orchestratorId);
    const expected = seen && seen.n > 0 ? seen.usd / seen.n : firstCallUsd;
    if (this.spent + this.reserved + expected <= this.capUsd) return true;
    this.halt(
      sampleId,
      `the next sample is expected to cost $${expected.toFixed(6)}, more than the $${(this.capUsd - this.spent - this.reserved).toFixed(6)} left`,
    );
    return false;
  }

  /** Reserves a call's worst case, or throws BudgetExhausted (the call is then never sent). */
  beginCall(sampleId: string, worstUsd: number): { settle(actualUsd: number): void } {
    if (this.capUsd !== undefined) {
      if (this.stop || this.spent + this.reserved + worstUsd > this.capUsd) {
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
        this.spent += actualUsd;
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
    this.stop = { capUsd: this.capUsd, spentUsd: this.spent, reservedUsd: this.reserved, reason, atSample };
  }
}
