import { answerFor, tokensOf } from './server.js';

/** Token counts a fake reports; each protocol writes them in its own documented fields. */
export interface FakeCounts {
  /** Every prompt token, cache reads and writes included. */
  prompt: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h: number;
  /** Visible answer tokens (reasoning excluded). */
  answer: number;
  reasoning: number;
}

export type CountsFor = (promptText: string, answer: string) => FakeCounts;

/** Default counts: ~4 bytes a token, a cache hit on half of any prompt over 64 tokens, some reasoning. */
export const defaultCounts: CountsFor = (promptText, answer) => {
  const prompt = tokensOf(promptText) + 8;
  return {
    prompt,
    cacheRead: prompt > 64 ? Math.floor(prompt / 32) * 16 : 0,
    cacheWrite: 0,
    cacheWrite1h: 0,
    answer: tokensOf(answer),
    reasoning: 40 + (prompt % 17),
  };
};

export function lastUserText(messages: { role: string; content: unknown }[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
}

export { answerFor };
