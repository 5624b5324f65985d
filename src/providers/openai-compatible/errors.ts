import OpenAI from 'openai';
import { classifyTransportError, errorForStatus, retryAfterFromHeaders } from '../errors.js';
import { ProviderError } from '../types.js';

/** Maps an error thrown by the `openai` SDK (or below it) to a classified ProviderError. */
export function classifyOpenAIError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError) {
    return new ProviderError('timeout', 'request timed out');
  }
  if (err instanceof OpenAI.APIConnectionError) return classifyTransportError(err.cause ?? err);
  if (err instanceof OpenAI.APIError) {
    return errorForStatus(err.status ?? 0, err.message, retryAfterFromHeaders(err.headers));
  }
  return classifyTransportError(err);
}
