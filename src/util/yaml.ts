import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatFieldPath, InputError, type InputProblem, UsageError } from './errors.js';

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
  validate<S extends z.ZodType>(schema: S): z.output<S>;
  /** An InputError at the node on `path` (or the nearest node above it). */
  problemAt(path: readonly PropertyKey[], message: string): InputError;
  /** The problem a zod issue found inside the node on `path` (an unknown key located at the key). */
  issueAt(path: readonly PropertyKey[], issue: z.core.$ZodIssue): InputProblem;
  /** Line and column (1-based) where the node on `path` starts. */
  position(path: readonly PropertyKey[]): { line: number; col: number };
}

export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseYamlSource(text, file);
}

function parseYamlSource(text: string, file: string): YamlSource {
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
  const issueAt = (path: readonly PropertyKey[], issue: z.core.$ZodIssue): InputProblem => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}`
        : issue.message;
    return problem([...path, ...issue.path], message, keys[0]);
  };
  return {
    validate(schema) {
      const result = schema.safeParse(data);
      if (result.success) return result.data;
      throw new InputError(
        file,
        result.error.issues.map((issue) => issueAt([], issue)),
      );
    },
    problemAt: (path, message) => new InputError(file, [problem([...path], message)]),
    issueAt,
    position: (path) => lineCounter.linePos(locate(doc.contents, [...path])),
  };
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
