import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { CodeJob } from '../types.js';
import { encodeJob, type HarnessResponse, jobDeadlineMs, ProtocolError, parseResponse } from './protocol.js';

interface Pending {
  resolve: (response: HarnessResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const STDERR_TAIL = 2000;
const KILL_GRACE_MS = 1000;

/** One long-lived harness.py: jobs go in as JSON lines, one at a time, answers come back in order. */
export class HarnessProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private stdoutBuffer = '';
  private stderrTail = '';
  private pending: Pending | null = null;
  private exited = false;
  private killed = false;
  private readonly exitPromise: Promise<void>;

  constructor(python: string, script: string) {
    this.child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    // A write after the harness died raises EPIPE here; the exit handler reports it.
    this.child.stdin.on('error', () => {});
    this.exitPromise = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.exited = true;
        this.fail(new Error(`baton harness: cannot start ${python}: ${error.message}`));
        resolve();
      });
      // 'close' rather than 'exit': it fires after stdout is drained, so no answer is lost.
      this.child.on('close', (code, signal) => {
        this.exited = true;
        const why = signal ? `signal ${signal}` : `code ${code}`;
        this.fail(new Error(`baton harness exited (${why}): ${this.stderrTail.trim() || 'no stderr'}`));
        resolve();
      });
    });
  }

  /** False once the process exited or was told to die; the pool then replaces it. */
  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  run(job: CodeJob): Promise<HarnessResponse> {
    if (this.pending) return Promise.reject(new Error('baton harness: job already in flight'));
    if (this.exited) return Promise.reject(new Error('baton harness: process has exited'));
    return new Promise((resolve, reject) => {
      const deadline = jobDeadlineMs(job);
      const timer = setTimeout(() => {
        this.fail(new Error(`baton harness: no answer within ${deadline} ms`));
        this.kill();
      }, deadline);
      this.pending = { resolve, reject, timer };
      this.child.stdin.write(encodeJob(job));
    });
  }

  /** Ends stdin so the harness finishes and removes its temp dir; forces it after a grace period. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), KILL_GRACE_MS);
    await this.exitPromise;
    clearTimeout(timer);
  }

  private kill(): void {
    if (this.exited) return;
    this.killed = true;
    // SIGTERM first: the harness then kills its running case's process group and cleans up.
    this.child.kill('SIGTERM');
    setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
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

  private onLine(line: string): void {
    const pending = this.take();
    if (!pending) return;
    try {
      pending.resolve(parseResponse(line));
    } catch (error) {
      if (error instanceof ProtocolError) this.kill();
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
