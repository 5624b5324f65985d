import type { ProblemLog, SourceRecord } from './problems.js';
import { readSuiteText } from './read-file.js';

/**
 * Records of a JSON Lines file (`.jsonl`, `.jsonl.gz`) or of a file holding one JSON array
 * (`.json`, as Google's sanitized-mbpp.json). A line that is not JSON is logged with its
 * file:line:col and skipped; blank lines are ignored, as Python's readers do.
 */
export function readJsonRecords(file: string, log: ProblemLog): SourceRecord[] {
  const text = readSuiteText(file);
  return /\.json$/i.test(file) ? readJsonArray(file, text, log) : readJsonLines(file, text, log);
}

function readJsonLines(file: string, text: string, log: ProblemLog): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      records.push({ file, line: i + 1, value: JSON.parse(line), text: line });
    } catch (err) {
      const at = jsonErrorPosition(line, err);
      log.add({ file, line: i + 1, col: at.col, field: '', message: `not JSON: ${jsonErrorMessage(err)}` });
    }
  }
  return records;
}

function readJsonArray(file: string, text: string, log: ProblemLog): SourceRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { line, col } = jsonErrorPosition(text, err);
    log.add({ file, line, col, field: '', message: `not JSON: ${jsonErrorMessage(err)}` });
    return [];
  }
  if (!Array.isArray(value)) {
    log.add({ file, line: 1, col: 1, field: '', message: 'expected a JSON array of records' });
    return [];
  }
  const starts = topLevelElementOffsets(text);
  return value.map((element, i) => ({ file, line: lineCol(text, starts[i] ?? 0).line, value: element }));
}

/** Offsets where each element of the top-level array starts (strings and nesting skipped). */
function topLevelElementOffsets(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (expectElement && c !== undefined && !/\s/.test(c)) {
      if (c !== ']') starts.push(i);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return starts;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * Where JSON.parse stopped: Node 20's V8 says "at position N" (an offset), newer ones
 * "(line L column C)"; some messages give neither (then line 1, column 1).
 */
function jsonErrorPosition(text: string, err: unknown): { line: number; col: number } {
  const message = jsonErrorMessage(err);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn?.[1] && lineColumn[2]) return { line: Number(lineColumn[1]), col: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  return position?.[1] ? lineCol(text, Number(position[1])) : { line: 1, col: 1 };
}

function jsonErrorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
