import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ORCHESTRATOR_PROVIDER } from '../orchestrators/member.js';
import { addOrchestratorFamily, orchestratorFamilies } from '../orchestrators/registry.js';
import type { OrchestratorDefinition } from '../orchestrators/types.js';
import { addProviderKind, providerKinds } from '../providers/registry.js';
import type { ProviderDefinition } from '../providers/types.js';
import { addScorer, scorerDefinitions } from '../scoring/registry.js';
import type { ScorerDefinition } from '../scoring/types.js';
import { formatFieldPath } from '../util/errors.js';
import { pluginKit } from './kit.js';

/** A plugin that cannot be used; the message is one line, for the config loader to place at its entry (which names the file). */
export class PluginError extends Error {
  override name = 'PluginError';
}

/** What a plugin's default export returns. */
interface PluginDefinitions {
  orchestrators: OrchestratorDefinition[];
  providers: ProviderDefinition[];
  scorers: ScorerDefinition[];
}

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore');
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'must be a function');
/** A schema built with the kit's `z`: one from another copy of zod would not compose with baton's. */
const zodObject = z.custom<z.ZodObject>(
  (v) => v instanceof z.ZodObject,
  "must be a z.object built with the plugin kit's z",
);

/** `schema.shape[field]` is `z.literal(value)`: what the config's discriminated unions dispatch on. */
function literalField(schema: z.ZodObject, field: string, value: string): boolean {
  const shape = schema.shape[field];
  return shape instanceof z.ZodLiteral && shape.values.size === 1 && shape.values.has(value);
}

const orchestratorShape = z
  .object({
    family: name,
    optionsSchema: zodObject,
    agentRefs: fn,
    create: fn,
    estimateCalls: fn.optional(),
  })
  .strict()
  .refine((d) => literalField(d.optionsSchema, 'family', d.family) && 'id' in d.optionsSchema.shape, {
    message: 'optionsSchema must extend baseOrchestratorSchema with family: z.literal(<its family>)',
    path: ['optionsSchema'],
  });

const providerShape = z
  .object({
    kind: name.refine((k) => k !== ORCHESTRATOR_PROVIDER, `'${ORCHESTRATOR_PROVIDER}' is reserved`),
    agentSchema: zodObject,
    defaultApiKeyEnv: z
      .array(z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'))
      .optional(),
    start: fn,
  })
  .strict()
  .refine((d) => literalField(d.agentSchema, 'provider', d.kind) && 'model' in d.agentSchema.shape, {
    message: 'agentSchema must extend baseAgentSchema with provider: z.literal(<its kind>)',
    path: ['agentSchema'],
  });

const scorerShape = z.object({ id: name, extract: fn, same: fn, score: fn }).strict();

const definitionsShape = z
  .object({
    orchestrators: z.array(orchestratorShape).default([]),
    providers: z.array(providerShape).default([]),
    scorers: z.array(scorerShape).default([]),
  })
  .strict()
  .refine((d) => d.orchestrators.length + d.providers.length + d.scorers.length > 0, {
    message: 'defines no orchestrators, providers or scorers',
  });

/**
 * Imports a plugin module and adds its definitions to the registries, all or none. Its default export
 * is a function of the plugin kit returning { orchestrators?, providers?, scorers? } (docs/extending.md).
 * Every failure is a PluginError with a one-line message: never a stack trace for a user's file.
 */
export function loadPlugin(file: string): Promise<void> {
  let loading = loaded.get(file);
  if (!loading) {
    loading = importPlugin(file);
    loaded.set(file, loading);
  }
  return loading;
}

/** Per absolute path: a second config naming a plugin gets the same definitions, registered once. */
const loaded = new Map<string, Promise<void>>();

async function importPlugin(file: string): Promise<void> {
  if (!existsSync(file)) throw new PluginError(`no such file: ${file}`);
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new PluginError(`import failed: ${firstLine(err)}`);
  }
  if (typeof module.default !== 'function')
    throw new PluginError(
      'has no default export function (export default (baton) => ({ orchestrators, providers, scorers }))',
    );
  let returned: unknown;
  try {
    returned = await module.default(pluginKit);
  } catch (err) {
    throw new PluginError(`its default export threw: ${firstLine(err)}`);
  }
  const parsed = definitionsShape.safeParse(returned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${formatFieldPath(issue.path)}: ` : '';
    throw new PluginError(`${where}${issue?.message ?? 'not a plugin'}`);
  }
  // Registered as returned, not as zod's copies of them.
  const given = returned as Partial<PluginDefinitions>;
  const definitions = {
    orchestrators: given.orchestrators ?? [],
    providers: given.providers ?? [],
    scorers: given.scorers ?? [],
  };
  assertNewNames(definitions);
  for (const d of definitions.orchestrators) addOrchestratorFamily(d);
  for (const d of definitions.providers) addProviderKind(d);
  for (const d of definitions.scorers) addScorer(d);
}

/** Checked before anything is added, so a refused plugin leaves the registries as they were. */
function assertNewNames({ orchestrators, providers, scorers }: PluginDefinitions): void {
  const clashes = [
    ...clashing('orchestrator family', orchestrators, orchestratorFamilies, (d) => d.family),
    ...clashing('provider kind', providers, providerKinds, (d) => d.kind),
    ...clashing('scorer', scorers, scorerDefinitions, (d) => d.id),
  ];
  if (clashes.length > 0) throw new PluginError(clashes.join('; '));
}

function clashing<D>(what: string, added: D[], known: readonly D[], nameOf: (d: D) => string): string[] {
  const clashes: string[] = [];
  const seen = new Set<string>();
  for (const d of added) {
    const n = nameOf(d);
    const other = known.find((k) => nameOf(k) === n);
    // The same object is no clash: two plugin files may share a definition.
    if (other !== undefined && other !== d) clashes.push(`${what} '${n}' is already defined`);
    else if (seen.has(n)) clashes.push(`${what} '${n}' is defined twice`);
    seen.add(n);
  }
  return clashes;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0] ?? text;
}
