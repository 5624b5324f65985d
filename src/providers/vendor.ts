/**
 * Who receives a pool member's requests, as the data-egress table names it. A member may declare it
 * (`vendor:` in its pool entry); otherwise it follows from the provider: a vendor's own API names the
 * company (openai → OpenAI, anthropic → Anthropic, gemini → Google). Behind a generic endpoint
 * (openai-compatible, sim, replay, a plugin's provider) the provider says nothing about whose model
 * answers, so the default is the model name: three models served by one local vLLM are three vendors,
 * and the endpoint's host stays in its own column of the egress table.
 */
const VENDOR_OF_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google',
};

export function defaultVendor(provider: string, model: string): string {
  return VENDOR_OF_PROVIDER[provider] ?? model;
}

/** The declared vendor, else the default for the member's provider and model. */
export function vendorOf(agent: { provider: string; model: string; vendor?: string | undefined }): string {
  const declared = agent.vendor?.trim();
  return declared ? declared : defaultVendor(agent.provider, agent.model);
}
