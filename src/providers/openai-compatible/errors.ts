import OpenAI from 'openai';
import { classifySdkError } from '../errors.js';
import type { ProviderError } from '../types.js';

/** Maps an error thrown by the `openai` SDK (or below it) to a classified ProviderError. */
export function classifyOpenAIError(err: unknown): ProviderError {
  return classifySdkError(err, OpenAI);
}
