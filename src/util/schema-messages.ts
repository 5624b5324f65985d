import type { z } from 'zod';
import { didYouMean } from './suggest.js';

/**
 * zod's issues in the project's words: what a field needs (its `.describe()` text when it has one),
 * what was given, and the closest known name for a mistyped field or tag. Messages a schema wrote
 * itself (refinements, regexes with a message) are kept as they are.
 */

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;
type Def = { type: string } & Record<string, unknown>;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** zod's own messages start so; a schema's own message (a refinement's, a regex's) does not. */
const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** The schema under its optional/default/pipe wrappers, and the first description met on the way. */
function unwrap(schema: Schema): { schema: Schema; description: string | undefined } {
  let current = schema;
  let description: string | undefined;
  for (;;) {
    description ??= (current as z.ZodType).description;
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType as Schema;
    else if (def.type === 'pipe') {
      const input = def.in as Schema;
      current = defOf(input).type === 'transform' ? (def.out as Schema) : input;
    } else if (def.type === 'lazy') current = (def.getter as () => Schema)();
    else return { schema: current, description };
  }
}

/** The literal values a union option takes at its discriminator. */
function tagsOf(option: Schema, discriminator: string): unknown[] {
  const shape = defOf(unwrap(option).schema).shape as Record<string, Schema> | undefined;
  const tag = shape?.[discriminator];
  if (!tag) return [];
  const def = defOf(unwrap(tag).schema);
  return def.type === 'literal'
    ? (def.values as unknown[])
    : def.type === 'enum'
      ? Object.values(def.entries as object)
      : [];
}

/** A union's option that `value` is meant to be (by its tag; or the only object option), else undefined. */
function optionFor(def: Def, value: unknown): Schema | undefined {
  const options = def.options as Schema[];
  const discriminator = def.discriminator as string | undefined;
  if (discriminator !== undefined) {
    const tag = isRecord(value) ? value[discriminator] : undefined;
    return options.find((o) => tagsOf(o, discriminator).includes(tag));
  }
  const objects = options.filter((o) => defOf(unwrap(o).schema).type === 'object');
  return objects.length === 1 ? objects[0] : undefined;
}

/** The schema (wrappers kept, so its description is there) of the field at `path` of `data`. */
export function schemaAt(root: Schema, path: readonly PropertyKey[], data: unknown): Schema | undefined {
  let node: Schema | undefined = root;
  let value = data;
  for (const part of path) {
    const inner = node && resolved(node, value);
    if (!inner) return undefined;
    const def = defOf(inner);
    if (def.type === 'object') node = (def.shape as Record<string, Schema>)[String(part)];
    else if (def.type === 'array') node = def.element as Schema;
    else if (def.type === 'record') node = def.valueType as Schema;
    else if (def.type === 'tuple') node = (def.items as Schema[])[Number(part)];
    else return undefined;
    value =
      isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  }
  return node;
}

/** The schema unwrapped, with a union narrowed to the option `value` is meant to be. */
function resolved(schema: Schema, value: unknown): Schema | undefined {
  let current = unwrap(schema).schema;
  while (defOf(current).type === 'union') {
    const option = optionFor(defOf(current), value);
    if (!option) return undefined;
    current = unwrap(option).schema;
  }
  return current;
}

/** The `.describe()` text of the field at `path`, if it has one. */
export function descriptionAt(root: Schema, path: readonly PropertyKey[], data: unknown): string | undefined {
  const node = schemaAt(root, path, data);
  return node ? unwrap(node).description : undefined;
}

/** The field names an object at `path` takes (an unknown one there is compared with them). */
export function fieldsAt(root: Schema, path: readonly PropertyKey[], data: unknown): string[] {
  const node = schemaAt(root, path, data);
  const inner = node && resolved(node, valueAt(data, path));
  return inner && defOf(inner).type === 'object' ? Object.keys(defOf(inner).shape as object) : [];
}

export interface Rewritten {
  /** Where the problem is: the issue's path (the map holding an unknown field). */
  path: PropertyKey[];
  /** The unknown field. */
  key?: string;
  message: string;
}

/**
 * One issue as messages in the project's words (an issue naming several unknown fields gives one
 * message per field). `data` is what was validated (the issue's input may be absent).
 */
export function rewriteIssue(root: Schema, issue: Issue, data: unknown): Rewritten[] {
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const known = fieldsAt(root, path, data);
    return issue.keys.map((key) => ({
      path,
      key,
      message: `unknown field '${key}'${didYouMean(key, known) || knownList(known)}`,
    }));
  }
  if (!DEFAULT_MESSAGE.test(issue.message)) return [{ path, message: issue.message }];
  const input = issue.input;
  // A missing field is an absent (undefined) input; YAML cannot write undefined, only null.
  const given = input !== undefined;
  switch (issue.code) {
    case 'invalid_type': {
      if (!given) {
        const description = descriptionAt(root, path, data);
        return [{ path, message: description ? `required, ${lowerFirst(description)}` : 'required' }];
      }
      return [{ path, message: `expected ${typeName(issue.expected)}, got ${show(input)}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => (typeof v === 'string' ? v : String(v)));
      const expected = values.length === 1 ? show(issue.values[0]) : `one of ${values.join(', ')}`;
      const hint = typeof input === 'string' ? didYouMean(input, values) : '';
      return [{ path, message: `expected ${expected}, got ${show(input)}${hint}` }];
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (discriminator !== undefined && options !== undefined) {
        const tags = options.map(String);
        const tag = isRecord(input) ? input[discriminator] : undefined;
        if (tag === undefined) return [{ path, message: `required, one of ${tags.join(', ')}` }];
        const hint = typeof tag === 'string' ? didYouMean(tag, tags) : '';
        return [
          { path, message: `unknown ${discriminator} ${show(tag)}${hint} (one of ${tags.join(', ')})` },
        ];
      }
      return [{ path, message: `${given ? `${show(input)} is ` : ''}not any of the accepted forms` }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? issue.minimum : issue.maximum);
      const word = issue.inclusive === false ? (small ? 'above' : 'below') : small ? 'at least' : 'at most';
      const unit =
        issue.origin === 'array' || issue.origin === 'set'
          ? ` item${bound === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? ` character${bound === 1 ? '' : 's'}`
            : '';
      const what =
        issue.origin === 'string' && small && bound === 1 ? 'not empty' : `${word} ${bound}${unit}`;
      const count = Array.isArray(input)
        ? `${input.length} item${input.length === 1 ? '' : 's'}`
        : show(input);
      return [{ path, message: `expected ${what}, got ${given ? count : 'nothing'}` }];
    }
    case 'invalid_format': {
      const pattern = (issue as { pattern?: string }).pattern;
      const expected = issue.format === 'regex' && pattern ? `text matching ${pattern}` : `a ${issue.format}`;
      return [{ path, message: `expected ${expected}, got ${show(input)}` }];
    }
    case 'not_multiple_of':
      return [{ path, message: `expected a multiple of ${String(issue.divisor)}, got ${show(input)}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

function knownList(known: readonly string[]): string {
  return known.length === 0 ? '' : ` (fields here: ${known.join(', ')})`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map (key: value)',
  record: 'a map (key: value)',
  null: 'nothing (null)',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** A value as a user wrote it in YAML. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

/** "Cap on spending" → "cap on spending"; "USD cap" stays. */
function lowerFirst(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const part of path)
    value =
      isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[part] : undefined;
  return value;
}
