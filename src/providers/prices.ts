import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { priceSchema } from './agent-schema.js';
import type { AgentConfig, PriceConfig, PricedAgent, TierPrice } from './types.js';

const priceRowSchema = priceSchema.extend({
  provider: z.string().min(1),
  model: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  source: z.string().url(),
  checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  evidence: z.enum(['official', 'third-party', 'recall']),
  note: z.string().optional(),
});

export const priceTableSchema = z
  .object({
    version: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    models: z.array(priceRowSchema),
  })
  .strict();

export type PriceTable = z.output<typeof priceTableSchema>;
export type PriceRow = PriceTable['models'][number];

export const PRICE_TABLE_FILE = join(packageRoot(), 'configs', 'prices.yaml');

export function loadPriceTable(file = PRICE_TABLE_FILE): PriceTable {
  const parsed = priceTableSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new UsageError(`${file}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export function findPrice(table: PriceTable, provider: string, model: string): PriceRow | undefined {
  return table.models.find(
    (r) => r.provider === provider && (r.model === model || r.aliases.includes(model)),
  );
}

/** Where each pool member's price came from, recorded with the run. */
export interface PriceOrigin {
  agentId: string;
  origin: 'config' | 'table' | 'table+config';
  tableVersion?: string;
  evidence?: PriceRow['evidence'];
  source?: string;
}

type CacheField = 'cachedInput' | 'cacheWrite' | 'cacheWrite1h';
const CACHE_FIELDS: readonly CacheField[] = ['cachedInput', 'cacheWrite', 'cacheWrite1h'];

/**
 * Cache prices as a multiple of the input price, for a config `price:` that gives none and a model
 * the price table does not list with them (docs/providers.md, "Cache prices a price: leaves out"):
 * Anthropic bills 5-minute cache writes at 1.25×, 1-hour writes at 2× and cache reads at 0.1× of
 * input for every model; OpenAI's cached input is 0.5× (its original discount; later models are
 * cheaper, and their table rows say so); Gemini's context-cache reads 0.25× (its highest listed
 * rate: Gemini 2.0, and 2.5 before the 2025 cut; 2.5 rows in the table say 0.1×). Other providers:
 * none, so cache tokens are billed at the input price.
 */
export const CACHE_PRICE_RATIOS: Readonly<Record<string, Partial<Record<CacheField, number>>>> = {
  anthropic: { cachedInput: 0.1, cacheWrite: 1.25, cacheWrite1h: 2 },
  openai: { cachedInput: 0.5 },
  gemini: { cachedInput: 0.25 },
};

/** The cache-price ratios for a model: its table row's own proportions, else its provider's defaults. */
function cacheRatios(provider: string, row: PriceRow | undefined): Partial<Record<CacheField, number>> {
  const ratios = { ...CACHE_PRICE_RATIOS[provider] };
  if (row && row.input > 0)
    for (const field of CACHE_FIELDS) {
      const price = row[field];
      if (price !== undefined) ratios[field] = price / row.input;
    }
  return ratios;
}

/** A price (or tier) with the cache prices it leaves out derived from its own input price. */
function withCachePrices<T extends TierPrice>(price: T, ratios: Partial<Record<CacheField, number>>): T {
  const out = { ...price };
  for (const field of CACHE_FIELDS) {
    const ratio = ratios[field];
    if (out[field] === undefined && ratio !== undefined)
      out[field] = Math.round(price.input * ratio * 1e9) / 1e9;
  }
  return out;
}

/**
 * Gives every pool member a price: the table row for its provider and model, overridden field by field
 * by the config's `price` — except cache prices: those a config `price` leaves out follow its own
 * input price, in the proportions of the model's table row, else of its provider's list
 * (CACHE_PRICE_RATIOS). A member with neither a row nor a price stops the run before any call: a
 * silent $0 would make every cost figure of the run wrong.
 */
export function resolvePrices<A extends AgentConfig>(
  pool: readonly A[],
  table: PriceTable = loadPriceTable(),
): { pool: (A & PricedAgent)[]; origins: PriceOrigin[] } {
  const missing: string[] = [];
  const origins: PriceOrigin[] = [];
  const priced = pool.map((agent) => {
    const row = findPrice(table, agent.provider, agent.model);
    if (!row && !agent.price) {
      missing.push(`pool member '${agent.id}' (provider ${agent.provider}, model '${agent.model}')`);
      return agent as A & PricedAgent;
    }
    const fromTable = row ? tablePrice(row) : undefined;
    const ratios = cacheRatios(agent.provider, row);
    const custom = agent.price && {
      ...withCachePrices(agent.price, ratios),
      ...(agent.price.tiers ? { tiers: agent.price.tiers.map((t) => withCachePrices(t, ratios)) } : {}),
    };
    // A table row's own cache prices go with its own input price: a config price replaces them all.
    const base = fromTable && custom ? withoutCachePrices(fromTable) : fromTable;
    const price: PriceConfig = { ...base, ...custom } as PriceConfig;
    origins.push({
      agentId: agent.id,
      origin: row ? (agent.price ? 'table+config' : 'table') : 'config',
      ...(row ? { tableVersion: table.version, evidence: row.evidence, source: row.source } : {}),
    });
    return { ...agent, price };
  });
  if (missing.length > 0) {
    throw new UsageError(
      `no price known for ${missing.join(', ')}: the price table (configs/prices.yaml, version ${table.version}) lacks ${missing.length > 1 ? 'them' : 'it'}; give \`price: { input, output }\` (USD per 1M tokens) in the config`,
    );
  }
  return { pool: priced, origins };
}

function withoutCachePrices(price: PriceConfig): PriceConfig {
  const { cachedInput: _read, cacheWrite: _write, cacheWrite1h: _write1h, ...rest } = price;
  return rest;
}

function tablePrice(row: PriceRow): PriceConfig {
  const {
    provider: _provider,
    model: _model,
    aliases: _aliases,
    source: _source,
    checked: _checked,
    evidence: _evidence,
    note: _note,
    ...price
  } = row;
  return price;
}
