import { anthropicProvider } from './anthropic/index.js';
import { geminiProvider } from './gemini/index.js';
import { openaiProvider } from './openai/index.js';
import { openaiCompatibleProvider } from './openai-compatible/index.js';
import { replayProvider } from './replay/index.js';
import { simProvider } from './sim/index.js';

/** Every provider kind baton knows. Adding a provider: one folder and one line here. */
export const providerKinds = [
  simProvider,
  openaiCompatibleProvider,
  openaiProvider,
  anthropicProvider,
  geminiProvider,
  replayProvider,
] as const;
