import type { Readable } from 'node:stream';
import type { CodeJob } from '../types.js';
import {
  encodeJob,
  type HarnessResponse,
  jobDeadlineMs,
  newNonce,
  ProtocolError,
  parseResponse,
  SupervisorLost,
} from './protocol.js';

interface Pending {
  nonce: string;
  resolve: (response: HarnessResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const STDERR_TAIL = 2000;
const KILL_GRACE_MS = 1000;

/** Where a harness.py supervisor runs (a host subprocess, a container) and how to reach it. */
export interface HarnessTransport {
  readonly stdin: NodeJS.WritableStream;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles once the supervisor has ended and its output is drained, with the reason. */
  readonly ended: Promise<string>;
  /** Ask it to stop; it then kills its running case and cleans up. */
  terminate(): void;
  /** Stop it now. */
  kill(): void;
}

/** One long-lived harness.py: jobs go in as JSON lines, one at a time, answers come back in order. */
export class HarnessProcess {
  private stdoutBuffer = '';
  private stderrTail = '';
  private pending: Pending | null = null;
  private exited = false;
  private killed = false;
  /** Its last job may have left a mess (a limit hit, a stray file): replace, don't reuse. */
  private retired = false;
  private readonly exitPromise: Promise<void>;

  constructor(private readonly transport: HarnessTransport) {
    transport.stdout.setEncoding('utf8');
    transport.stderr.setEncoding('utf8');
    transport.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    transport.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    // A write after the harness died raises EPIPE here; the end handler reports it.
    transport.stdin.on('error', () => {});
    this.exitPromise = transport.ended.then((why) => {
      this.exited = true;
      this.fail(new SupervisorLost(`baton harness ended (${why}): ${this.stderrTail.trim() || 'no stderr'}`));
    });
  }

  /** False once the supervisor ended, was told to die or should not be reused; the pool replaces it. */
  get alive(): boolean {
    return !this.exited && !this.killed && !this.retired;
  }

  run(job: CodeJob): Promise<HarnessResponse> {
    if (this.pending) return Promise.reject(new Error('baton harness: job already in flight'));
    if (this.exited) return Promise.reject(new Error('baton harness: process has exited'));
    return new Promise((resolve, reject) => {
      const deadline = jobDeadlineMs(job);
      const timer = setTimeout(() => {
        this.fail(new SupervisorLost(`baton harness: no answer within ${deadline} ms`));
        this.kill();
      }, deadline);
      const nonce = newNonce();
      this.pending = { nonce, resolve, reject, timer };
      this.transport.stdin.write(encodeJob(job, nonce));
    });
  }

  /** Ends stdin so the harness finishes and removes its temp dir; forces it after a grace period. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.transport.stdin.end();
    const timer = setTimeout(() => this.kill(), KILL_GRACE_MS);
    await this.exitPromise;
    clearTimeout(timer);
  }

  private kill(): void {
    if (this.exited) return;
    this.killed = true;
    this.transport.terminate();
    setTimeout(() => {
      if (!this.exited) this.transport.kill();
    }, KILL_GRACE_MS).unref();
  }

  private onStdout(chunk: string): void {
    this.stdoutBuffer += chunk;
    for (let newline = this.stdoutBuffer.indexOf('\n'); newline >= 0; ) {
      const line = this.stdoutBuffer.slice(0, newline).trim();
      this.stdoutBuffer = this.stdoutBuffer.slice(newline + 1);
      if (line) this.onLine(line);
      newline = this.stdoutBuffer.indexOf('\n');
    }
  }

  /**
   * Only the supervisor's answer to the job in flight may appear here. Anything else (a line with no
   * job in flight, another nonce, garbage) means something else reached the protocol: the supervisor
   * is killed and the job rejected with a ProtocolError (the pool turns it into runner_error).
   */
  private onLine(line: string): void {
    const pending = this.take();
    if (!pending) {
      this.kill();
      return;
    }
    try {
      const { retire, ...response } = parseResponse(line, pending.nonce);
      if (retire) this.retired = true;
      pending.resolve(response);
    } catch (error) {
      if (error instanceof ProtocolError) this.kill();
      // A supervisor that rejected a job may have run part of it: replace it, whatever its `dirty`.
      else this.retired = true;
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    this.take()?.reject(error);
  }

  private take(): Pending | null {
    const pending = this.pending;
    if (pending) clearTimeout(pending.timer);
    this.pending = null;
    return pending;
  }
}
