import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SandboxError } from '../../util/errors.js';
import type { CodeJob, TestVerdict } from '../types.js';

/** What harness.py answers for one job; checked because a crashed or foreign process may answer. */
const verdictSchema = z.object({
  index: z.number().int().nonnegative(),
  status: z.enum([
    'passed',
    'wrong_answer',
    'runtime_error',
    'timeout',
    'output_limit',
    'memory_limit',
    'compile_error',
    'runner_error',
  ]),
  timeMs: z.number().nonnegative(),
  expected: z.string().optional(),
  got: z.string().optional(),
  stderr: z.string().optional(),
});

const responseSchema = z.object({
  nonce: z.string().nullable(),
  passed: z.boolean(),
  verdicts: z.array(verdictSchema),
  error: z.string().optional(),
  dirty: z.boolean().optional(),
});

export interface HarnessResponse {
  passed: boolean;
  verdicts: TestVerdict[];
}

/** Statuses after which the supervisor is still trusted; anything else may have left a mess. */
const CLEAN_STATUSES: ReadonlySet<TestVerdict['status']> = new Set([
  'passed',
  'wrong_answer',
  'compile_error',
]);

/** Whether the supervisor that produced this answer should be replaced rather than reused. */
export function shouldRetire(line: { verdicts: TestVerdict[]; dirty?: boolean | undefined }): boolean {
  return line.dirty === true || line.verdicts.some((v) => !CLEAN_STATUSES.has(v.status));
}

/** The harness said something outside the protocol: the process can no longer be trusted. */
export class ProtocolError extends SandboxError {
  override name = 'ProtocolError';
}

/** A job whose runner failed it (broke the protocol, or was killed twice): a failed test, never a pass. */
export function runnerFailure(message: string): HarnessResponse {
  return {
    passed: false,
    verdicts: [{ index: 0, status: 'runner_error', timeMs: 0, stderr: message.slice(0, 300) }],
  };
}

/** The supervisor ended (or went silent) while a job was running. */
export class SupervisorLost extends SandboxError {
  override name = 'SupervisorLost';
}

/**
 * Parses one harness line for the job sent with `nonce`; throws ProtocolError on malformed output
 * or another job's nonce (the line did not come from the supervisor's answer to this job), Error for
 * a rejected job.
 */
export function parseResponse(line: string, nonce: string): HarnessResponse & { retire: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new ProtocolError(`baton harness: not JSON: ${line.slice(0, 200)}`);
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) throw new ProtocolError(`baton harness: unexpected answer: ${parsed.error.message}`);
  if (parsed.data.nonce !== nonce)
    throw new ProtocolError("baton harness: an answer without this job's nonce");
  if (parsed.data.error) throw new Error(`baton harness rejected the job: ${parsed.data.error}`);
  return { passed: parsed.data.passed, verdicts: parsed.data.verdicts, retire: shouldRetire(parsed.data) };
}

/** A fresh random nonce per job: its answer must echo it. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** One job line, in the shape harness.py reads. */
export function encodeJob(job: CodeJob, nonce: string): string {
  const { code, tests, timeoutMs, memoryMb, outputLimitBytes } = job;
  return `${JSON.stringify({ nonce, code, tests, timeoutMs, memoryMb, outputLimitBytes })}\n`;
}

/** Upper bound on a harness's answer time: every case may hit its timeout, plus start-up slack. */
export function jobDeadlineMs(job: CodeJob): number {
  return (job.timeoutMs + 500) * Math.max(1, job.tests.cases.length) + 5000;
}
