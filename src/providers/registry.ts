import { openaiCompatibleProvider } from './openai-compatible/index.js';
import { simProvider } from './sim/index.js';

/** Every provider kind baton knows. Adding a provider: one folder and one line here. */
export const providerKinds = [simProvider, openaiCompatibleProvider] as const;
