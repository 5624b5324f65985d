import { SandboxError } from '../../util/errors.js';
import type { CodeJob } from '../types.js';
import { HarnessProcess, type HarnessTransport } from './harness-process.js';
import { type HarnessResponse, ProtocolError, runnerFailure, SupervisorLost } from './protocol.js';

const PROBE_JOB: CodeJob = {
  code: 'print(1)',
  tests: { style: 'stdin', cases: [{ input: '', output: '1' }] },
  timeoutMs: 5000,
  memoryMb: 256,
  outputLimitBytes: 1024,
};

interface Waiter {
  resolve: (process: HarnessProcess) => void;
  reject: (error: Error) => void;
}

/**
 * Up to `size` warm harness supervisors, each running one job at a time; extra jobs wait in FIFO
 * order. A supervisor that died, timed out or may be dirty is dropped and replaced on demand.
 */
export class WarmHarnesses {
  private readonly idle: HarnessProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private live = 0;
  private closed = false;

  constructor(
    private readonly start: () => Promise<HarnessTransport>,
    private readonly size: number,
  ) {}

  /** Starts supervisors up to `size` now, so the first jobs do not pay for start-up. */
  async warm(): Promise<void> {
    const missing = this.size - this.live;
    this.live += missing;
    const started = await Promise.allSettled(Array.from({ length: missing }, () => this.spawn()));
    for (const s of started) {
      if (s.status === 'fulfilled') this.release(s.value);
      else this.live -= 1;
    }
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async spawn(): Promise<HarnessProcess> {
    return new HarnessProcess(await this.start());
  }

  /**
   * Runs a job on a warm supervisor. If the supervisor is lost mid-job, the job runs once more on a
   * fresh one. Lost twice, or once with an answer that broke the protocol (its supervisor is then
   * gone too), a trivial probe on a fresh supervisor decides whose fault it is: if the probe passes,
   * the program attacked its runner, a failed test (`runner_error`); if not, the sandbox is broken
   * and the error is thrown (an infrastructure error, never a wrong answer).
   */
  async run(job: CodeJob): Promise<HarnessResponse> {
    try {
      return await this.runOnce(job).catch((error: unknown) => {
        if (error instanceof SupervisorLost) return this.runOnce(job);
        throw error;
      });
    } catch (error) {
      if (!(error instanceof SupervisorLost || error instanceof ProtocolError)) throw error;
      const probe = await this.runOnce(PROBE_JOB).catch(() => undefined);
      if (!probe?.passed)
        throw new SandboxError(`baton sandbox is not working: a trivial program fails (${error.message})`);
      return runnerFailure(error.message);
    }
  }

  private async runOnce(job: CodeJob): Promise<HarnessResponse> {
    const process = await this.acquire();
    try {
      return await process.run(job);
    } finally {
      this.release(process);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new SandboxError('baton local sandbox: closed'));
    const idle = this.idle.splice(0);
    this.live -= idle.length;
    await Promise.all(idle.map((process) => process.close()));
  }

  private acquire(): Promise<HarnessProcess> {
    if (this.closed) return Promise.reject(new SandboxError('baton local sandbox: closed'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.live < this.size) {
      this.live += 1;
      return this.spawn().catch((error: unknown) => {
        this.live -= 1;
        throw error;
      });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(process: HarnessProcess): void {
    if (!process.alive || this.closed) {
      this.live -= 1;
      void process.close();
      if (!this.closed) this.replace();
      return;
    }
    const next = this.waiters.shift();
    if (next) next.resolve(process);
    else this.idle.push(process);
  }

  /** Starts a fresh supervisor for a dropped one right away, so `size` stay warm. */
  private replace(): void {
    this.live += 1;
    this.spawn().then(
      (fresh) => this.release(fresh),
      (error: unknown) => {
        this.live -= 1;
        this.waiters.shift()?.reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}
