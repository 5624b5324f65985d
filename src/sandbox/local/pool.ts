import type { CodeJob } from '../types.js';
import { HarnessProcess } from './harness-process.js';
import type { HarnessResponse } from './protocol.js';

interface Waiter {
  resolve: (process: HarnessProcess) => void;
  reject: (error: Error) => void;
}

/**
 * Up to `size` warm harness processes, each running one job at a time; extra jobs wait in FIFO
 * order. A process that died or timed out is dropped and replaced on demand.
 */
export class HarnessPool {
  private readonly idle: HarnessProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private live = 0;
  private closed = false;

  constructor(
    private readonly python: string,
    private readonly script: string,
    private readonly size: number,
  ) {}

  async run(job: CodeJob): Promise<HarnessResponse> {
    const process = await this.acquire();
    try {
      return await process.run(job);
    } finally {
      this.release(process);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('baton local sandbox: closed'));
    const idle = this.idle.splice(0);
    this.live -= idle.length;
    await Promise.all(idle.map((process) => process.close()));
  }

  private acquire(): Promise<HarnessProcess> {
    if (this.closed) return Promise.reject(new Error('baton local sandbox: closed'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.live < this.size) {
      this.live += 1;
      return Promise.resolve(new HarnessProcess(this.python, this.script));
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private release(process: HarnessProcess): void {
    if (!process.alive || this.closed) {
      this.live -= 1;
      void process.close();
      // The freed slot goes to the next waiter as a fresh process.
      const next = this.waiters.shift();
      if (next) {
        this.live += 1;
        next.resolve(new HarnessProcess(this.python, this.script));
      }
      return;
    }
    const next = this.waiters.shift();
    if (next) next.resolve(process);
    else this.idle.push(process);
  }
}
