import { parse } from 'yaml';
import { formatFieldPath, UsageError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * `--set path=value`: one change to a YAML file's data before it is validated. Paths are
 * `budget.usd`, `pool[0].model`, or `orchestrators[trinity-trained].head` (a list item chosen by
 * its `id`, which CI jobs can rely on while items move). Values are YAML (`2` a number, `true` a
 * boolean, `{temperature: 0}` a map, `'2'` a string).
 */
export interface Override {
  /** As given on the command line, for messages. */
  text: string;
  path: PathPart[];
  value: unknown;
}

export type PathPart = { key: string } | { index: number } | { id: string };

const PATH_PART = /^(?:\.?([A-Za-z0-9_$-]+)|\[(\d+)\]|\[([^\]]+)\])/;

export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  const bad = (why: string) =>
    new UsageError(`--set ${text}: ${why} (expected path=value, e.g. budget.usd=2 or pool[0].model=gpt-5)`);
  if (eq <= 0) throw bad(eq === 0 ? 'no path before =' : 'no = in it');
  const pathText = text.slice(0, eq);
  const path: PathPart[] = [];
  for (let rest = pathText; rest.length > 0; ) {
    const m = PATH_PART.exec(rest);
    // A leading '.' only between parts; the first part is a field name.
    if (!m || (path.length === 0 && (m[1] === undefined || rest.startsWith('.'))))
      throw bad(`cannot read the path at '${rest}'`);
    if (m[1] !== undefined) path.push({ key: m[1] });
    else if (m[2] !== undefined) path.push({ index: Number(m[2]) });
    else path.push({ id: m[3] as string });
    rest = rest.slice(m[0].length);
  }
  let value: unknown;
  try {
    value = parse(text.slice(eq + 1));
  } catch (err) {
    throw bad(`the value is not YAML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
  return { text, path, value: value ?? null };
}

/** An override once applied: the path it reached, with list items chosen by id given as indexes. */
export interface AppliedOverride {
  text: string;
  path: (string | number)[];
}

/**
 * `data` (not changed) with the overrides applied in order. Maps missing on the way are created; a
 * missing list item, an unknown item id, or a value in the way that is not a map or list is a
 * UsageError naming the override. `valueFor` may change a value once its place is known (a path
 * relative to the working directory made absolute), given the data so far.
 */
export function applyOverrides(
  data: unknown,
  overrides: readonly Override[],
  valueFor: (path: readonly (string | number)[], value: unknown, root: unknown) => unknown = (_, v) => v,
): { data: unknown; applied: AppliedOverride[] } {
  let root: unknown = structuredClone(data ?? {});
  const applied: AppliedOverride[] = [];
  for (const o of overrides) {
    const wrapper: Record<string, unknown> = { root };
    let container: Record<string | number, unknown> = wrapper;
    let slot: string | number = 'root';
    const resolvedPath: (string | number)[] = [];
    for (const part of o.path) {
      let node: unknown = container[slot];
      const here = formatFieldPath(resolvedPath) || 'the file';
      if ('key' in part) {
        if (node === undefined || node === null) container[slot] = node = {};
        if (!isMap(node)) throw new UsageError(`--set ${o.text}: ${here} is ${kind(node)}, not a map`);
        container = node;
        slot = part.key;
      } else {
        if (!Array.isArray(node))
          throw new UsageError(`--set ${o.text}: ${here} is ${kind(node)}, not a list`);
        const index: number =
          'index' in part ? part.index : node.findIndex((item) => isMap(item) && item.id === part.id);
        if ('id' in part && index < 0) {
          const ids = node.flatMap((item) => (isMap(item) && typeof item.id === 'string' ? [item.id] : []));
          throw new UsageError(
            `--set ${o.text}: no item with id '${part.id}' in ${here}${didYouMean(part.id, ids)} (ids: ${ids.join(', ') || 'none'})`,
          );
        }
        if (index >= node.length)
          throw new UsageError(
            `--set ${o.text}: ${here} has ${node.length === 0 ? 'no items' : `${node.length} item${node.length === 1 ? '' : 's'} (${here}[0] to ${here}[${node.length - 1}])`}, no ${here}[${index}]`,
          );
        container = node as unknown as Record<number, unknown>;
        slot = index;
      }
      resolvedPath.push(slot);
    }
    container[slot] = valueFor(resolvedPath, structuredClone(o.value), wrapper.root);
    root = wrapper.root;
    applied.push({ text: o.text, path: resolvedPath });
  }
  return { data: root, applied };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string '${value}'`;
  return `${typeof value === 'object' ? 'a map' : String(value)}`;
}
