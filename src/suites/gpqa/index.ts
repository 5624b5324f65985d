import { basename } from 'node:path';
import { z } from 'zod';
import type { SuiteFormat } from '../format.js';
import { mcqPrompt } from '../instructions.js';
import { readCsvRecords } from '../records/csv.js';
import { recordsToTasks } from '../records/row-loader.js';
import { PythonRandom } from './python-random.js';

const rowSchema = z.object({
  Question: z.string().min(1),
  'Correct Answer': z.string().min(1),
  'Incorrect Answer 1': z.string().min(1),
  'Incorrect Answer 2': z.string().min(1),
  'Incorrect Answer 3': z.string().min(1),
  'Record ID': z.string().optional(),
  Subdomain: z.string().optional(),
  'High-level domain': z.string().optional(),
});

/**
 * The permutations simple-evals' gpqa_eval.py draws: `rng = random.Random(0)`, then
 * `rng.sample(range(4), 4)` for each row of `examples * n_repeats`, in order. Pass p of row i is
 * draw p·N + i. Choices before permuting: [correct, incorrect 1, 2, 3].
 */
export function gpqaPermutations(rows: number, seed: number, pass: number): number[][] {
  const rng = new PythonRandom(seed);
  const draws: number[][] = [];
  for (let d = 0; d < (pass + 1) * rows; d++) draws.push(rng.sample([0, 1, 2, 3], 4));
  return draws.slice(pass * rows);
}

export const gpqaFormat: SuiteFormat = {
  id: 'gpqa',
  title: 'GPQA (gpqa_diamond.csv: Question, Correct Answer, Incorrect Answer 1–3)',
  kind: 'mcq',
  source:
    'gpqa_diamond.csv: the password-protected zip of the idavidrein/gpqa repository, or the copy simple-evals reads (gpqa_diamond.csv)',
  matches: (path) => /^gpqa.*\.csv$/i.test(basename(path)),
  files: (path) => [path],
  defaultName: (options) => `gpqa-diamond${options.shufflePass ? `-pass${options.shufflePass}` : ''}`,
  load(path, options, ctx) {
    const records = readCsvRecords(path, ctx.log);
    const permutations = gpqaPermutations(records.length, options.shuffleSeed ?? 0, options.shufflePass ?? 0);
    return recordsToTasks(records, rowSchema, ctx, (row, _record, index) => {
      const original = [
        row['Correct Answer'],
        row['Incorrect Answer 1'],
        row['Incorrect Answer 2'],
        row['Incorrect Answer 3'],
      ];
      const permutation = permutations[index] ?? [0, 1, 2, 3];
      const choices = permutation.map((i) => original[i] as string);
      return {
        id: row['Record ID'] || String(index + 1),
        suite: ctx.suite,
        category: row['High-level domain'] || 'gpqa',
        kind: 'mcq',
        prompt: mcqPrompt(row.Question, choices),
        reference: 'ABCD'[permutation.indexOf(0)] as string,
        choices,
        distractors: [],
        meta: { subdomain: row.Subdomain, permutation },
      };
    });
  },
};
