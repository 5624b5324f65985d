import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../config/errors.js';
import { packageRoot } from '../package-root.js';
import { priceSchema } from './agent-schema.js';
import type { AgentConfig, PriceConfig, PricedAgent } from './types.js';

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

/**
 * Gives every pool member a price: the table row for its provider and model, overridden field by field
 * by the config's `price`. A member with neither stops the run before any call: a silent $0 would
 * make every cost figure of the run wrong.
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
    const price: PriceConfig = { ...fromTable, ...agent.price } as PriceConfig;
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
