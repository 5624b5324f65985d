import type { RunRecord, SampleResult } from '../../store/records.js';
import { UsageError } from '../../util/errors.js';

/**
 * What must match for a paired comparison of two runs to mean what it says. `baton compare` lists
 * every difference (exit 2) unless the field is named in `--allow-different`.
 */
export const COMPARABLE_FIELDS = [
  'suites',
  'tasks',
  'repeats',
  'seeds',
  'prices',
  'pool',
  'grading',
] as const;
export type ComparableField = (typeof COMPARABLE_FIELDS)[number];

const FIELD_HELP: Record<ComparableField, string> = {
  suites: 'content hash of each suite as run (prompts, answer keys, tests, choices, grader)',
  tasks: 'task ids the compared orchestrator ran, per suite',
  repeats: 'samples per task',
  seeds: "the run's seed",
  prices: "each pool member's resolved price",
  pool: 'pool members: ids and their provider, model and settings (prices apart)',
  grading: "each suite's grading modes, and the sandbox's per-test timeout and memory limit",
};

export function describeField(field: ComparableField): string {
  return FIELD_HELP[field];
}

/** Parses `--allow-different` values (repeatable, comma lists); an unknown name is a usage error. */
export function parseAllowed(values: readonly string[]): ComparableField[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const aliases: Record<string, ComparableField> = {
    seed: 'seeds',
    'task-ids': 'tasks',
    price: 'prices',
    suite: 'suites',
  };
  const out = new Set<ComparableField>();
  for (const name of names) {
    const field = (COMPARABLE_FIELDS as readonly string[]).includes(name)
      ? (name as ComparableField)
      : aliases[name];
    if (!field)
      throw new UsageError(
        `--allow-different: no field '${name}'; the fields are ${COMPARABLE_FIELDS.join(', ')}`,
      );
    out.add(field);
  }
  return [...out];
}

/** The facts of one side that comparability reads: from its run record and its orchestrator's samples. */
export interface RunFacts {
  /** Suite → content hash as run; null when the run was recorded before baton kept it. */
  suites: Record<string, string> | null;
  /** Suite → grading modes (plus `scoring.timeoutMs`, `scoring.memoryMb`); suite modes null when not recorded. */
  grading: Record<string, string> | null;
  /** `suite/taskId` of every sample of the compared orchestrator, ok or not. */
  tasks: string[];
  repeats: number;
  seed: number;
  /** Agent id → its price, as JSON. */
  prices: Record<string, string>;
  /** `agentId.path` → value (JSON) of each pool member's fields, its price left out. */
  pool: Record<string, string>;
}

export interface Difference {
  field: ComparableField;
  /** What differs inside the field: a suite, an agent's field, a task; empty for a single value. */
  item: string;
  a: string;
  b: string;
  /** Named in `--allow-different`: reported, not refused. */
  allowed: boolean;
}

const NOT_RECORDED = 'not recorded (run made before baton recorded it)';
const ABSENT = 'absent';

/** Reads a side's facts from its stored run record and its orchestrator's samples (every status). */
export function runFacts(run: RunRecord, samples: readonly SampleResult[]): RunFacts {
  let config: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(run.configJson) as unknown;
    if (parsed && typeof parsed === 'object') config = parsed as Record<string, unknown>;
  } catch {
    // An unreadable config leaves every field at its default, which then shows as a difference.
  }
  const records = Array.isArray(config.suiteRecords)
    ? (config.suiteRecords as { name?: unknown; contentHash?: unknown; grading?: unknown }[])
    : null;
  const scoring = (config.scoring ?? {}) as Record<string, unknown>;
  const grading: Record<string, string> | null = records
    ? Object.fromEntries(
        records.map((r) => [String(r.name), Array.isArray(r.grading) ? r.grading.join('; ') : NOT_RECORDED]),
      )
    : null;
  const limits = {
    'scoring.timeoutMs':
      scoring.timeoutMs === undefined ? "the task's own" : JSON.stringify(scoring.timeoutMs),
    'scoring.memoryMb': JSON.stringify(scoring.memoryMb ?? 512),
  };
  const prices: Record<string, string> = {};
  const pool: Record<string, string> = {};
  for (const member of Array.isArray(config.pool) ? (config.pool as Record<string, unknown>[]) : []) {
    const id = String(member.id);
    const { price, ...rest } = member;
    prices[id] = price === undefined ? 'none' : canonical(price);
    for (const [path, value] of flatten(rest)) if (path !== 'id') pool[`${id}.${path}`] = value;
    pool[id] = 'member';
  }
  return {
    suites: records ? Object.fromEntries(records.map((r) => [String(r.name), String(r.contentHash)])) : null,
    grading: grading ? { ...grading, ...limits } : null,
    tasks: [...new Set(samples.map((s) => `${s.suite}/${s.taskId}`))].sort(),
    repeats: typeof config.repeats === 'number' ? config.repeats : 1,
    seed: typeof config.seed === 'number' ? config.seed : 1,
    prices,
    pool,
  };
}

/** Every difference between the two sides, field by field, each marked allowed or not. */
export function comparabilityDiff(
  a: RunFacts,
  b: RunFacts,
  allowed: readonly ComparableField[] = [],
): Difference[] {
  const out: Omit<Difference, 'allowed'>[] = [];
  const maps = (
    field: ComparableField,
    x: Record<string, string> | null,
    y: Record<string, string> | null,
  ) => {
    if (x === null || y === null) {
      // A field one run did not record cannot be checked: that is a difference to allow, not a match.
      out.push({
        field,
        item: '',
        a: x === null ? NOT_RECORDED : 'recorded',
        b: y === null ? NOT_RECORDED : 'recorded',
      });
      return;
    }
    for (const key of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      const u = x[key] ?? ABSENT;
      const v = y[key] ?? ABSENT;
      if (u !== v) out.push({ field, item: key, a: u, b: v });
    }
  };
  maps('suites', a.suites, b.suites);
  const inA = new Set(a.tasks);
  const inB = new Set(b.tasks);
  for (const t of a.tasks) if (!inB.has(t)) out.push({ field: 'tasks', item: t, a: 'ran', b: ABSENT });
  for (const t of b.tasks) if (!inA.has(t)) out.push({ field: 'tasks', item: t, a: ABSENT, b: 'ran' });
  if (a.repeats !== b.repeats)
    out.push({ field: 'repeats', item: '', a: String(a.repeats), b: String(b.repeats) });
  if (a.seed !== b.seed) out.push({ field: 'seeds', item: '', a: String(a.seed), b: String(b.seed) });
  // Prices of members both pools have; a member in one pool only is a pool difference.
  const shared = (x: Record<string, string>, y: Record<string, string>) =>
    Object.fromEntries(Object.entries(x).filter(([k]) => k in y));
  maps('prices', shared(a.prices, b.prices), shared(b.prices, a.prices));
  maps('pool', a.pool, b.pool);
  maps('grading', a.grading, b.grading);
  const ok = new Set(allowed);
  return out.map((d) => ({ ...d, allowed: ok.has(d.field) }));
}

/** JSON with sorted keys: two equal prices written in another key order are equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)),
        )
      : v,
  );
}

/** Leaf paths of a plain object (arrays are leaves), each with its canonical JSON. */
function flatten(value: Record<string, unknown>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flatten(v as Record<string, unknown>, path));
    else out.push([path, canonical(v)]);
  }
  return out;
}
