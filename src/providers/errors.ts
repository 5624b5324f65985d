import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind, type Usage } from './types.js';

/** Messages providers use when a prompt does not fit the model's context window. */
const CONTEXT_OVERFLOW =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|input token count.*exceeds|exceeds the maximum/i;

/**
 * Classifies an HTTP error response the same way for every provider: 429 is a rate limit, 5xx (and
 * Anthropic's 529 "overloaded") a server fault, 408 a timeout, 401/403 bad credentials, 413 or a
 * too-long-prompt message a context overflow; anything else a bad request (not retried).
 */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): ProviderError {
  const text = `HTTP ${status}: ${message}`;
  if (status === 429) return new ProviderError('rate_limit', text, retryAfterMs);
  if (status === 408) return new ProviderError('timeout', text, retryAfterMs);
  if (status >= 500) return new ProviderError('server', text, retryAfterMs);
  if (status === 401 || status === 403) return new ProviderError('auth', text);
  if (status === 413 || CONTEXT_OVERFLOW.test(message)) return new ProviderError('context_overflow', text);
  return new ProviderError('bad_request', text);
}

/** `Retry-After` (seconds or HTTP date) or OpenAI's `retry-after-ms`, in milliseconds. */
export function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Errors thrown below the SDKs (fetch, JSON parsing, aborts) that every SDK lets through. */
export function classifyTransportError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'AbortError' || name === 'TimeoutError')
    return new ProviderError('timeout', 'request timed out');
  if (err instanceof SyntaxError) {
    return new ProviderError('malformed_response', `response is not JSON: ${message}`);
  }
  return new ProviderError('network', message);
}

/** The error classes every Stainless-generated SDK (openai, @anthropic-ai/sdk) exports. */
export interface SdkErrorClasses {
  APIError: abstract new (
    ...args: never[]
  ) => Error & { status?: number | undefined; headers?: Headers | undefined };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** Maps an error thrown by such an SDK (or below it) to a classified ProviderError. */
export function classifySdkError(err: unknown, sdk: SdkErrorClasses): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof sdk.APIConnectionTimeoutError || err instanceof sdk.APIUserAbortError) {
    return new ProviderError('timeout', 'request timed out');
  }
  if (err instanceof sdk.APIConnectionError) return classifyTransportError(err.cause ?? err);
  if (err instanceof sdk.APIError) {
    return errorForStatus(err.status ?? 0, err.message, retryAfterFromHeaders(err.headers));
  }
  return classifyTransportError(err);
}

/** A response that parsed as JSON but not as the documented shape; billed when it still reported usage. */
export function malformed(issue: string | undefined, body: unknown, usage: Usage | undefined): ProviderError {
  return new ProviderError(
    'malformed_response',
    `unexpected response shape: ${issue ?? 'unknown'}`,
    undefined,
    usage,
    body,
  );
}

/**
 * A body that failed validation: its usage part is read on its own (with the provider's usage schema),
 * because the API billed the attempt whenever it reported usage.
 */
export function malformedBody<U extends z.ZodType>(
  failure: z.ZodError,
  body: unknown,
  usageField: string,
  usageSchema: U,
  toUsage: (usage: z.output<U>) => Usage,
): ProviderError {
  const usage = usageSchema.safeParse((body as Record<string, unknown> | null)?.[usageField]);
  return malformed(failure.issues[0]?.message, body, usage.success ? toUsage(usage.data) : undefined);
}

/** A well-formed answer the API withheld or could not finish, billed all the same. */
export function billedFailure(
  kind: ProviderErrorKind,
  message: string,
  usage: Usage,
  body: unknown,
): ProviderError {
  return new ProviderError(kind, message, undefined, usage, body);
}
