import { UsageError } from '../../util/errors.js';

/**
 * LiveCodeBench's version tags, as code_generation_lite.py on the Hugging Face hub maps them to
 * files: file N is `test.jsonl` for N = 1, else `testN.jsonl`; `release_vN` = files 1..N
 * (cumulative), `vN` = file N alone (the problems new in that release), `vX_vY` = files X..Y,
 * `release_latest` = every release the script knew when this was written (v6).
 */
export const LATEST_RELEASE = 6;

export function releaseFiles(tag: string): string[] {
  const range = releaseRange(tag);
  const files: string[] = [];
  for (let n = range.from; n <= range.to; n++) files.push(n === 1 ? 'test.jsonl' : `test${n}.jsonl`);
  return files;
}

function releaseRange(tag: string): { from: number; to: number } {
  if (tag === 'release_latest') return { from: 1, to: LATEST_RELEASE };
  const cumulative = /^release_v(\d+)$/.exec(tag);
  if (cumulative?.[1]) return checked(tag, 1, Number(cumulative[1]));
  const single = /^v(\d+)$/.exec(tag);
  if (single?.[1]) return checked(tag, Number(single[1]), Number(single[1]));
  const span = /^v(\d+)_v(\d+)$/.exec(tag);
  if (span?.[1] && span[2]) return checked(tag, Number(span[1]), Number(span[2]));
  throw new UsageError(`unknown LiveCodeBench release '${tag}': use release_vN, release_latest, vN or vX_vY`);
}

function checked(tag: string, from: number, to: number): { from: number; to: number } {
  if (from < 1 || to < from) throw new UsageError(`LiveCodeBench release '${tag}' names no file`);
  return { from, to };
}
