import { formatFieldPath } from '../util/errors.js';
import { type LoadedConfig, meaningfulConfig } from './load.js';
import { type RunSelection, selectionFlags } from './selection.js';

/**
 * What a resumed run must find unchanged: what changes results (`meaningfulConfig`) except the
 * config's `name` (a renamed config, or a copy elsewhere, resumes its runs) and prices (resolved at
 * start: a price-table update, or a `price:` edit, does not block a resume).
 */
export function resumeIdentity(config: Parameters<typeof meaningfulConfig>[0]): Record<string, unknown> {
  const { name: _name, ...identity } = meaningfulConfig(config);
  const pool = (identity.pool as Record<string, unknown>[]).map(({ price: _price, ...member }) => member);
  // Always there, so a subset given or dropped shows as `--limit: (none) → 3`.
  return { ...identity, pool, selection: identity.selection ?? {} };
}

/** The identity of a run's stored config (written by any baton version: absent sections are empty). */
function storedIdentity(configJson: string): Record<string, unknown> | undefined {
  try {
    const stored = JSON.parse(configJson) as Record<string, unknown>;
    return resumeIdentity({
      plugins: [],
      drop: [],
      faults: [],
      decide: [],
      ...stored,
    } as unknown as Parameters<typeof meaningfulConfig>[0]);
  } catch {
    return undefined;
  }
}

/**
 * Why a stored run cannot be resumed with `config`, naming the run, the config file it was made
 * from and each field that differs (`pool[1].params.temperature: 0.2 → 0.7`); undefined when it can.
 */
export function resumeRefusal(
  run: { id: string; configFile: string; configJson: string },
  config: LoadedConfig,
): string | undefined {
  const before = storedIdentity(run.configJson);
  if (!before)
    return `cannot resume ${run.id}: its stored config (made from ${run.configFile}) is unreadable`;
  const after = resumeIdentity(config);
  const onlyOf = (identity: Record<string, unknown>) =>
    JSON.stringify((identity.selection as RunSelection).only);
  // `--only` leaves orchestrators and comparisons out: a different one explains those differences.
  const changes =
    onlyOf(before) === onlyOf(after)
      ? configDifferences(before, after)
      : configDifferences(withoutOnlysEffects(before), withoutOnlysEffects(after));
  if (changes.length === 0) return undefined;
  const shown = changes.slice(0, MAX_SHOWN);
  const more = changes.length > MAX_SHOWN ? `; and ${changes.length - MAX_SHOWN} more` : '';
  const flags = selectionFlags((before.selection ?? {}) as RunSelection);
  const hint = flags ? `its subset was: ${flags}` : 'it ran without --limit, --sample or --only';
  return `cannot resume ${run.id} (made from ${run.configFile}) with ${config.file}: ${changes.length === 1 ? 'a field differs' : `${changes.length} fields differ`} — ${shown.join('; ')}${more} (run it as it was — ${hint} — or start a new run without --resume)`;
}

const MAX_SHOWN = 8;

function withoutOnlysEffects(identity: Record<string, unknown>): Record<string, unknown> {
  const { orchestrators: _orchestrators, decide: _decide, ...rest } = identity;
  return rest;
}

/** The command-line options a selection field comes from, named as the user typed them. */
const SELECTION_OPTIONS: Record<string, string> = {
  'selection.limit': '--limit',
  'selection.sample.count': '--sample',
  'selection.sample.seed': '--seed',
  'selection.sample': '--sample',
  'selection.only': '--only',
  selection: '--limit/--sample/--only',
};

/** Field-level differences of two JSON values: `path: before → after`, one per changed leaf. */
export function configDifferences(before: unknown, after: unknown, path: (string | number)[] = []): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const bothMaps = isMap(before) && isMap(after);
  const bothLists = Array.isArray(before) && Array.isArray(after);
  const field = formatFieldPath(path);
  if ((bothMaps || bothLists) && !(field in SELECTION_OPTIONS && !bothMaps)) {
    const keys = bothLists
      ? Array.from({ length: Math.max(before.length, after.length) }, (_, i) => i)
      : [...new Set([...Object.keys(before as object), ...Object.keys(after as object)])];
    return keys.flatMap((k) =>
      configDifferences(
        (before as Record<string | number, unknown>)[k],
        (after as Record<string | number, unknown>)[k],
        [...path, k],
      ),
    );
  }
  return [`${SELECTION_OPTIONS[field] ?? (field || '(the config)')}: ${show(before)} → ${show(after)}`];
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
