import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatFieldPath, InputError, type InputProblem, UsageError } from './errors.js';
import { type AppliedOverride, applyOverrides, type Override } from './overrides.js';
import { descriptionAt, rewriteIssue } from './schema-messages.js';

/**
 * Reads a YAML file and validates it with a zod schema. Every problem is reported with the
 * file, line, column and field path of the offending node, so users never see a stack trace.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return readYamlFile(file).validate(schema);
}

export function parseYamlText<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  return parseYamlSource(text, file).validate(schema);
}

/**
 * A parsed YAML file that can be validated in steps (a config's `plugins:` before the sections that
 * plugins extend), each problem located at its node.
 */
export interface YamlSource {
  /** SHA-256 of the file's text (16 hex digits). */
  contentHash: string;
  validate<S extends z.ZodType>(schema: S): z.output<S>;
  /** An InputError at the node on `path` (or the nearest node above it). */
  problemAt(path: readonly PropertyKey[], message: string): InputError;
  /**
   * The problems a zod issue found validating `value`, the node on `path`, with `schema` (parsed with
   * `reportInput`), in the words `validate` uses; an unknown key is located at the key.
   */
  issueAt(
    path: readonly PropertyKey[],
    schema: z.ZodType,
    issue: z.core.$ZodIssue,
    value: unknown,
  ): InputProblem[];
  /** Line and column (1-based) where the node on `path` starts. */
  position(path: readonly PropertyKey[]): { line: number; col: number };
}

/**
 * A YAML file, with `--set` overrides applied to its data before each validation (so the same schema
 * checks them, and a problem they cause names the override).
 */
export function readYamlFile(file: string, overrides: readonly Override[] = []): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseYamlSource(text, file, overrides);
}

function parseYamlSource(text: string, file: string, overrides: readonly Override[] = []): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      file,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { line: pos.line, col: pos.col, field: '', message: firstLine(e.message) };
      }),
    );
  }
  const data: unknown = doc.toJS();
  const problem = (path: PropertyKey[], message: string, key?: string): InputProblem => {
    const pos = lineCounter.linePos(locate(doc.contents, path, key));
    return {
      line: pos.line,
      col: pos.col,
      field: formatFieldPath(key === undefined ? path : [...path, key]),
      message,
    };
  };
  const issueAt: YamlSource['issueAt'] = (path, schema, issue, value) =>
    rewriteIssue(schema, issue, value).map((r) => problem([...path, ...r.path], r.message, r.key));
  return {
    contentHash: createHash('sha256').update(text).digest('hex').slice(0, 16),
    validate(schema) {
      const { data: input, applied } =
        overrides.length === 0
          ? { data, applied: [] }
          : applyOverrides(data, overrides, (path, value, root) =>
              relativeToWorkingDir(schema, path, value, root),
            );
      const result = schema.safeParse(input, { reportInput: true });
      if (result.success) return result.data;
      const problems = result.error.issues.flatMap((issue) =>
        rewriteIssue(schema, issue, input).map(({ path, message, key }): InputProblem => {
          const full = key === undefined ? path : [...path, key];
          const cause = causedBy(applied, full);
          if (!cause) return problem(path, message, key);
          const field = formatFieldPath(full);
          return {
            line: 0,
            col: 0,
            field,
            message,
            override: { text: cause.text, field: formatFieldPath(cause.path) },
          };
        }),
      );
      throw new InputError(file, problems);
    },
    problemAt: (path, message) => new InputError(file, [problem([...path], message)]),
    issueAt,
    position: (path) => lineCounter.linePos(locate(doc.contents, [...path])),
  };
}

/** The last override that set `path` or a field above it. */
function causedBy(
  applied: readonly AppliedOverride[],
  path: readonly PropertyKey[],
): AppliedOverride | undefined {
  return [...applied]
    .reverse()
    .find((o) => o.path.length <= path.length && o.path.every((part, i) => part === path[i]));
}

/**
 * A path given on the command line is relative to the working directory: each string of a `--set`
 * value (a list's and a map's too) on a field whose schema says it is relative to the config file is
 * made absolute. Unions are narrowed by the data as it will be, the value in place.
 */
function relativeToWorkingDir(
  schema: z.ZodType,
  path: readonly (string | number)[],
  value: unknown,
  root: unknown,
): unknown {
  const placed = structuredClone(root);
  setAt(placed, path, value);
  const relativeToConfig = (at: readonly (string | number)[]) => {
    const own = descriptionAt(schema, at, placed);
    // A list item (`plugins[0]`) is described by its list.
    const description =
      own ?? (typeof at.at(-1) === 'number' ? descriptionAt(schema, at.slice(0, -1), placed) : undefined);
    return description !== undefined && /relative to (this|the) config/.test(description);
  };
  const walk = (at: (string | number)[], v: unknown): unknown => {
    if (Array.isArray(v)) return v.map((item, i) => walk([...at, i], item));
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk([...at, k], x)]));
    return typeof v === 'string' && v !== '' && !isAbsolute(v) && relativeToConfig(at) ? resolve(v) : v;
  };
  return walk([...path], value);
}

/** Puts `value` at `path` of `root` (every step of the path exists: the override was placed there). */
function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

/** Offset of the deepest existing node on `path` (or of the key `key` inside it). */
function locate(root: unknown, path: PropertyKey[], key?: string): number {
  let node = root as Node | null;
  let offset = rangeStart(node);
  for (const part of path) {
    const next = child(node, part);
    if (!next) break;
    node = next.value;
    offset = next.keyOffset ?? rangeStart(node) ?? offset;
    if (next.value) offset = rangeStart(next.value) ?? offset;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return offset ?? 0;
}

function child(node: unknown, part: PropertyKey): { value: Node | null; keyOffset?: number } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === part);
    if (!pair) return undefined;
    const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    return { value: (pair.value as Node | null) ?? null, ...(keyOffset === undefined ? {} : { keyOffset }) };
  }
  if (isSeq(node) && typeof part === 'number') {
    const item = node.items[part] as Node | undefined;
    return item ? { value: item } : undefined;
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
