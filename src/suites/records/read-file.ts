import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../../util/errors.js';

/** A suite file's bytes as text; `.gz` files are decompressed (EvalPlus and HumanEval ship gzipped JSONL). */
export function readSuiteText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!file.endsWith('.gz')) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (err) {
    throw new UsageError(`${file}: not a gzip file (${(err as Error).message})`);
  }
}
