import type { ProviderError } from '../../src/providers/types.js';
import type { FakeCounts } from '../fakes/counts.js';

export const request = (overrides: { maxTokens?: number; thinkingBudget?: number } = {}) => ({
  model: 'm',
  messages: [
    { role: 'system' as const, content: 'Answer with one letter.' },
    { role: 'user' as const, content: 'Which is right, A or B?' },
  ],
  params: overrides,
  seed: 7,
});

export const fixed = (c: Partial<FakeCounts>) => (): FakeCounts => ({
  prompt: 0,
  cacheRead: 0,
  cacheWrite: 0,
  cacheWrite1h: 0,
  answer: 0,
  reasoning: 0,
  ...c,
});

/** The classified error a call rejected with. */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    return err as ProviderError;
  }
  throw new Error('the call succeeded');
}
