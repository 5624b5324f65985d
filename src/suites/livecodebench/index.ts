import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { z } from 'zod';
import type { LoadContext, SuiteFormat } from '../format.js';
import { readJsonRecords } from '../records/json.js';
import { parseRecord, type SourceRecord } from '../records/problems.js';
import type { SuiteOptions } from '../ref-schema.js';
import type { CallCase, CallCaseJson, CodeTests, StdinCase, Task } from '../types.js';
import { unpickleString } from './pickle.js';
import { releaseFiles } from './releases.js';

const DEFAULT_RELEASE = 'release_v1';

const rowSchema = z.object({
  question_title: z.string(),
  question_content: z.string().min(1),
  platform: z.enum(['leetcode', 'codeforces', 'atcoder']),
  question_id: z.string().min(1),
  contest_id: z.string(),
  contest_date: z.string().refine((s) => !Number.isNaN(contestTime(s)), 'not an ISO date-time'),
  starter_code: z.string(),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  public_test_cases: z.string(),
  private_test_cases: z.string(),
  metadata: z.string(),
});

const testSchema = z.object({
  input: z.string(),
  output: z.string(),
  testtype: z.enum(['stdin', 'functional']),
});
const testListSchema = z.array(testSchema);
const metadataSchema = z.looseObject({ func_name: z.string().optional() });

/** lcb_runner/prompts/code_generation.py: SYSTEM_MESSAGE_GENERIC and the generic question template. */
const SYSTEM_MESSAGE =
  'You are an expert Python programmer. You will be given a question (problem specification) and will generate a correct Python program that matches the specification and passes all tests.';
const WITH_STARTER =
  'You will use the following starter code to write the solution to the problem and enclose your code within delimiters.';
const WITHOUT_STARTER =
  'Read the inputs from stdin solve the problem and write the answer to stdout (do not directly test on the sample inputs). Enclose your code within delimiters as follows. Ensure that when the python program runs, it reads the inputs, runs the algorithm and writes output to STDOUT.';

export function livecodebenchPrompt(questionContent: string, starterCode: string): string {
  let prompt = `${SYSTEM_MESSAGE}\n\n### Question:\n${questionContent}\n\n`;
  prompt += starterCode
    ? `### Format: ${WITH_STARTER}\n\`\`\`python\n${starterCode}\n\`\`\`\n\n`
    : `### Format: ${WITHOUT_STARTER}\n\`\`\`python\n# YOUR CODE HERE\n\`\`\`\n\n`;
  return `${prompt}### Answer: (use the provided format with backticks)\n\n`;
}

/**
 * `private_test_cases` is either JSON or base64 → zlib → pickle of a JSON string
 * (CodeGenerationProblem.__post_init__ tries JSON first, exactly like this).
 */
export function decodePrivateTests(field: string): unknown {
  try {
    return JSON.parse(field);
  } catch {
    const pickled = inflateSync(Buffer.from(field, 'base64'));
    return JSON.parse(unpickleString(pickled));
  }
}

/** Naive ISO date-times (LCB's `2023-08-21T00:00:00`) are compared as UTC, like datetime in lcb_runner. */
function contestTime(iso: string): number {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`;
  return Date.parse(zoned);
}

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/**
 * grade_call_based's cases: every input line is one JSON argument, the output one JSON value. The
 * text is kept as it is (checked to be JSON, never turned into numbers here): the Python harness
 * json.loads it, so integers beyond 2^53 stay exact, as in lcb_runner.
 */
export function lcbCallCase(input: string, output: string): CallCaseJson {
  const argsJson = input.split('\n');
  for (const text of [...argsJson, output]) JSON.parse(text);
  return { argsJson, expectedJson: output };
}

function toTests(
  row: z.output<typeof rowSchema>,
  record: SourceRecord,
  options: SuiteOptions,
  ctx: LoadContext,
): CodeTests | undefined {
  const problem = (field: string, message: string) => {
    ctx.log.add({ file: record.file, line: record.line, col: 1, field, message });
    return undefined;
  };
  let publicTests: unknown;
  let privateTests: unknown;
  let metadata: unknown;
  try {
    publicTests = JSON.parse(row.public_test_cases);
  } catch (err) {
    return problem('public_test_cases', `not JSON: ${(err as Error).message}`);
  }
  try {
    privateTests = decodePrivateTests(row.private_test_cases);
  } catch (err) {
    return problem('private_test_cases', `neither JSON nor base64/zlib/pickle: ${(err as Error).message}`);
  }
  try {
    metadata = JSON.parse(row.metadata);
  } catch (err) {
    return problem('metadata', `not JSON: ${(err as Error).message}`);
  }
  const pub = testListSchema.safeParse(publicTests);
  if (!pub.success) return problem('public_test_cases', pub.error.issues[0]?.message ?? 'bad test list');
  const priv = testListSchema.safeParse(privateTests);
  if (!priv.success) return problem('private_test_cases', priv.error.issues[0]?.message ?? 'bad test list');
  const meta = metadataSchema.safeParse(metadata);
  if (!meta.success) return problem('metadata', meta.error.issues[0]?.message ?? 'bad metadata');
  const cases = [...pub.data, ...priv.data];
  if (cases.length === 0) return problem('public_test_cases', 'no test cases at all');
  // lcb_runner's run_test: fn_name (metadata.func_name) decides call-based vs stdin, not testtype.
  const functionName = meta.data.func_name;
  if (!functionName) {
    const stdinCases = cases.map((c): StdinCase => ({ input: c.input, output: c.output }));
    // `stdin: real` is recorded in the tests (and so in the content hash); the default is left out.
    return options.stdin === 'real'
      ? { style: 'stdin', cases: stdinCases, stdin: 'real' }
      : { style: 'stdin', cases: stdinCases };
  }
  const callCases: CallCase[] = [];
  for (const [i, c] of cases.entries()) {
    try {
      callCases.push(lcbCallCase(c.input, c.output));
    } catch (err) {
      return problem(
        `tests[${i}]`,
        `call-based test is not one JSON value per line: ${(err as Error).message}`,
      );
    }
  }
  return { style: 'call', functionName, cases: callCases };
}

function release(options: SuiteOptions): string {
  return options.release ?? DEFAULT_RELEASE;
}

export const livecodebenchFormat: SuiteFormat = {
  id: 'livecodebench',
  title: 'LiveCodeBench code_generation_lite (test.jsonl … test6.jsonl)',
  kind: 'code',
  source:
    'the JSONL files of the Hugging Face dataset livecodebench/code_generation_lite (e.g. huggingface-cli download livecodebench/code_generation_lite --repo-type dataset --local-dir <path>)',
  matches: (path) => isDirectory(path) || /^test\d*\.jsonl$/.test(basename(path)),
  files: (path, options) =>
    isDirectory(path) || !path.endsWith('.jsonl')
      ? releaseFiles(release(options)).map((f) => join(path, f))
      : [path],
  defaultName: (options) => `livecodebench-${release(options)}`,
  load(path, options, ctx) {
    const start = options.startDate ? dayStart(options.startDate) : -Infinity;
    const end = options.endDate ? dayStart(options.endDate) : Infinity;
    const platforms = options.platform ? new Set<string>(options.platform) : undefined;
    const tasks: Task[] = [];
    for (const file of this.files(path, options)) {
      for (const record of readJsonRecords(file, ctx.log)) {
        const row = parseRecord(rowSchema, record, ctx.log);
        if (!row) continue;
        const when = contestTime(row.contest_date);
        // lcb_runner: p_start_date <= contest_date and contest_date <= p_end_date (midnight).
        if (when < start || when > end) continue;
        if (platforms && !platforms.has(row.platform)) continue;
        const tests = toTests(row, record, options, ctx);
        if (!tests) continue;
        tasks.push({
          id: row.question_id,
          suite: ctx.suite,
          category: 'code',
          kind: 'code',
          prompt: livecodebenchPrompt(row.question_content, row.starter_code),
          reference: '',
          tests,
          distractors: [],
          meta: {
            suiteVersion: release(options),
            file: record.file,
            line: record.line,
            title: row.question_title,
            platform: row.platform,
            difficulty: row.difficulty,
            contestId: row.contest_id,
            contestDate: row.contest_date,
            publicTests: z.array(z.unknown()).parse(JSON.parse(row.public_test_cases)).length,
          },
        });
      }
    }
    return tasks;
  },
};

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return !/\.[A-Za-z0-9]+$/.test(path); // absent: a path without an extension names the folder
  }
}
