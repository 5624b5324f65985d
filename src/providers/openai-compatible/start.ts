import { z } from 'zod';
import { startSharedClients } from '../shared-clients.js';
import type { AgentConfig, ProviderInstance } from '../types.js';
import { createChatCompletionsProvider } from './client.js';
import { createResponsesProvider } from './responses.js';

export const openaiApiSchema = z
  .enum(['chat', 'responses'])
  .default('chat')
  .describe('chat = POST /chat/completions; responses = POST /responses (OpenAI Responses API)');

export interface OpenAIProtocolAgent extends AgentConfig {
  baseUrl: string;
  api: 'chat' | 'responses';
  /** Environment variables to try for the key, in order; empty = the endpoint needs no key. */
  keyNames: string[];
}

/** Starts clients for agents speaking an OpenAI protocol (Chat Completions or Responses). */
export function startOpenAIProtocol(
  agents: OpenAIProtocolAgent[],
  env: NodeJS.ProcessEnv,
  requestTimeoutMs: number | undefined,
): ProviderInstance {
  return startSharedClients(
    agents,
    env,
    (a) => ({ keyNames: a.keyNames, sharingKey: `${a.baseUrl}\u0000${a.api}` }),
    (a, apiKey) => {
      const options = { baseURL: a.baseUrl, apiKey, simulated: false, timeoutMs: requestTimeoutMs };
      return a.api === 'responses'
        ? createResponsesProvider(options)
        : createChatCompletionsProvider(options);
    },
  );
}
