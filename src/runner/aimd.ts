/**
 * Adaptive concurrency for one provider endpoint (AIMD, as in TCP congestion control): the number of
 * requests in flight may grow by about one per window of successes (additive increase) and halves on
 * a rate limit (multiplicative decrease). One 429 burst counts once: requests that started before the
 * last decrease cannot cause another, since they were sent under the old limit.
 */
export interface AimdOptions {
  initial: number;
  min: number;
  max: number;
}

export class AdaptiveLimiter {
  private limitValue: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private lastDecrease = 0;
  private epoch = 0;
  /** Every change of the limit, for tests and the trace. */
  readonly history: { at: number; limit: number; cause: 'rate_limit' | 'success' }[] = [];

  constructor(private readonly opts: AimdOptions) {
    this.limitValue = Math.min(opts.max, Math.max(opts.min, opts.initial));
  }

  /** The current limit on requests in flight (whole requests). */
  get limit(): number {
    return Math.floor(this.limitValue);
  }

  get active(): number {
    return this.inFlight;
  }

  /** Waits for a slot; returns a ticket to settle when the request ends. */
  async acquire(): Promise<{ epoch: number; limit: number }> {
    while (this.inFlight >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.inFlight++;
    return { epoch: this.epoch, limit: this.limit };
  }

  release(ticket: { epoch: number }, outcome: 'success' | 'rate_limit' | 'other'): void {
    this.inFlight--;
    const before = this.limit;
    if (outcome === 'rate_limit' && ticket.epoch >= this.lastDecrease) {
      this.limitValue = Math.max(this.opts.min, this.limitValue / 2);
      this.epoch++;
      this.lastDecrease = this.epoch;
      this.history.push({ at: Date.now(), limit: this.limit, cause: 'rate_limit' });
    } else if (outcome === 'success') {
      this.limitValue = Math.min(this.opts.max, this.limitValue + 1 / Math.max(1, this.limit));
      if (this.limit !== before) this.history.push({ at: Date.now(), limit: this.limit, cause: 'success' });
    }
    this.wake();
  }

  private wake(): void {
    let free = this.limit - this.inFlight;
    while (free-- > 0 && this.waiting.length > 0) this.waiting.shift()?.();
  }
}
