import pLimit from 'p-limit';
import type { TestVerdict } from '../sandbox/types.js';
import type { Task } from '../suites/types.js';
import { textOnlyParts } from './math/equivalent.js';
import { mathGraderFor } from './math/index.js';
import { lettersFor } from './mcq.js';
import type { Score, Scorer } from './types.js';

/**
 * A suite's answer keys checked by the grader that grades answers (`baton suites verify`): each code
 * task's reference solution must pass its tests and each of its wrong solutions (the simulated pool's)
 * must fail them, run as a model's fenced answer through the same scorer and sandbox; a maths key and
 * its other spellings must grade correct under the task's grading mode (and its distractors wrong); an
 * MCQ key must be one of the task's letters, and its choice must not be repeated by another.
 */

export interface KeyFinding {
  suite: string;
  taskId: string;
  /** What is wrong: `reference solution`, `wrong solution 2`, `answer key`, `equivalent 1`, `distractor 3`. */
  what: string;
  /** The verdict in a few words: `wrong_answer on test 3 of 5`, `passes all 5 tests`, `graded wrong`… */
  verdict: string;
  /** A few lines of the failure (expected/got excerpts, the end of stderr, the grader's reading). */
  detail: string[];
}

export interface KeyCheckOptions {
  /** Execute code (references and wrong solutions); false: code tasks are counted as not run. */
  runCode: boolean;
  /** Code executions at once (the scoring pool's size). */
  concurrency: number;
  /** Called after each code execution. */
  onProgress?: (done: number, total: number) => void;
}

export interface KeyCheck {
  findings: KeyFinding[];
  /** Code executions done (references + wrong solutions). */
  codeRuns: number;
  /** Maths and MCQ keys checked (answer keys, spellings, distractors). */
  keysChecked: number;
  /** Tasks with nothing to check: code without a reference (LiveCodeBench), or code when not run. */
  unchecked: number;
  /** Tasks graded by a plugin's scorer, whose keys baton cannot judge. */
  customScorer: number;
}

/** At most this many lines of each excerpt in a finding. */
const DETAIL_LINES = 3;

/** A solution as a model would answer it: LiveCodeBench's extraction reads the last fenced block. */
function fenced(code: string): string {
  return `\`\`\`python\n${code}\n\`\`\`\n`;
}

const boxed = (answer: string) => `The answer is $\\boxed{${answer}}$.`;

interface CodeRun {
  task: Task;
  what: string;
  code: string;
  /** A reference must pass; a wrong solution must not. */
  mustPass: boolean;
}

export async function checkAnswerKeys(
  tasks: readonly Task[],
  scorer: Scorer,
  options: KeyCheckOptions,
): Promise<KeyCheck> {
  const check: KeyCheck = { findings: [], codeRuns: 0, keysChecked: 0, unchecked: 0, customScorer: 0 };
  const runs: CodeRun[] = [];
  for (const task of tasks) {
    if (task.scorer && task.scorer !== task.kind) {
      check.customScorer++;
      continue;
    }
    switch (task.kind) {
      case 'code':
        if (!options.runCode || task.reference.trim() === '') {
          check.unchecked++;
          break;
        }
        runs.push({ task, what: 'reference solution', code: task.reference, mustPass: true });
        for (const [i, code] of task.distractors.entries())
          runs.push({ task, what: `wrong solution ${i + 1}`, code, mustPass: false });
        break;
      case 'math':
        await checkMathKey(task, scorer, check);
        break;
      case 'mcq':
        await checkMcqKey(task, scorer, check);
        break;
      case 'text':
        await expectGrade(task, scorer, check, 'answer key', task.reference, true);
        break;
    }
  }
  const limit = pLimit(Math.max(1, options.concurrency));
  const codeFindings = await Promise.all(
    runs.map((run) =>
      limit(async () => {
        const score = await scorer.score(run.task, fenced(run.code));
        check.codeRuns++;
        options.onProgress?.(check.codeRuns, runs.length);
        return codeFinding(run, score);
      }),
    ),
  );
  check.findings.push(...codeFindings.filter((f): f is KeyFinding => f !== null));
  return check;
}

async function checkMathKey(task: Task, scorer: Scorer, check: KeyCheck): Promise<void> {
  const grader = mathGraderFor(task);
  await expectGrade(task, scorer, check, 'answer key', task.reference, true);
  if (grader.id === 'equivalent') {
    const textOnly = textOnlyParts(task.reference);
    if (textOnly.length > 0)
      check.findings.push({
        suite: task.suite,
        taskId: task.id,
        what: 'answer key',
        verdict: 'compared as text only',
        detail: [
          `the maths engine cannot read ${textOnly.map((p) => `\`${p}\``).join(', ')}: only that exact spelling would count (docs/suites.md, the equivalent mode)`,
        ],
      });
  }
  const equivalents = Array.isArray(task.meta.equivalents) ? (task.meta.equivalents as unknown[]) : [];
  for (const [i, spelling] of equivalents.entries())
    if (typeof spelling === 'string')
      await expectGrade(task, scorer, check, `equivalent ${i + 1}`, spelling, true);
  for (const [i, wrong] of task.distractors.entries())
    await expectGrade(task, scorer, check, `distractor ${i + 1}`, wrong, false);
}

async function checkMcqKey(task: Task, scorer: Scorer, check: KeyCheck): Promise<void> {
  const letters = lettersFor(task);
  const key = task.reference.trim();
  const finding = (verdict: string, detail: string[]) =>
    check.findings.push({ suite: task.suite, taskId: task.id, what: 'answer key', verdict, detail });
  check.keysChecked++;
  if (key.length !== 1 || !letters.includes(key)) {
    finding('not among the choices', [
      `answer ${JSON.stringify(task.reference)}; the choices are ${letters.split('').join(', ')}`,
    ]);
    return;
  }
  const choices = task.choices ?? [];
  const keyed = normalizedChoice(choices[letters.indexOf(key)] ?? '');
  const repeats = choices.flatMap((c, i) =>
    letters[i] !== key && normalizedChoice(c) === keyed ? [letters[i]] : [],
  );
  if (repeats.length > 0)
    finding('ambiguous', [
      `choice ${key} (the key) is repeated as ${repeats.join(', ')}: both letters are right`,
    ]);
  await expectGrade(task, scorer, check, 'answer key', `Answer: ${key}`, true);
}

function normalizedChoice(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Grades a written answer (a maths answer boxed, as the prompt asks) and records a surprise. */
async function expectGrade(
  task: Task,
  scorer: Scorer,
  check: KeyCheck,
  what: string,
  answer: string,
  mustBeCorrect: boolean,
): Promise<void> {
  check.keysChecked++;
  const written = task.kind === 'math' ? boxed(answer) : answer;
  const score = await scorer.score(task, written);
  if (score.correct === mustBeCorrect) return;
  const read = 'extracted' in score.detail ? score.detail.extracted : null;
  const mode = task.kind === 'math' ? ` under the ${mathGraderFor(task).id} mode` : '';
  check.findings.push({
    suite: task.suite,
    taskId: task.id,
    what,
    verdict: mustBeCorrect ? `graded wrong${mode}` : `graded correct${mode}`,
    detail: [
      `answer ${JSON.stringify(answer)}; the grader read ${read === null || read === undefined ? 'no answer' : JSON.stringify(read)}${mustBeCorrect ? '' : ': the simulated pool would give a right answer as a wrong one'}`,
    ],
  });
}

function codeFinding(run: CodeRun, score: Score): KeyFinding | null {
  if (score.correct === run.mustPass) return null;
  const base = { suite: run.task.suite, taskId: run.task.id, what: run.what };
  if (score.detail.kind !== 'code' || !score.detail.extracted || !score.detail.result)
    return {
      ...base,
      verdict: 'no code read',
      detail: ['the fenced solution gave no code block (does it contain ```?)'],
    };
  const { verdicts } = score.detail.result;
  // A run stops at the first failing case (as LiveCodeBench's does): count the task's cases.
  const cases = run.task.tests?.cases.length ?? verdicts.length;
  if (!run.mustPass)
    return {
      ...base,
      verdict: `passes all ${cases} tests`,
      detail: [
        'the simulated pool would give a right answer as a wrong one',
        ...excerptLines(run.code, 'code'),
      ],
    };
  const failed = verdicts.find((v) => v.status !== 'passed') as TestVerdict;
  return {
    ...base,
    verdict: `${failed.status} on test ${failed.index + 1} of ${cases}`,
    detail: [
      ...excerptLines(failed.expected, 'expected'),
      ...excerptLines(failed.got, 'got'),
      // A traceback ends with the error: its last lines say what went wrong.
      ...excerptLines(failed.stderr, 'stderr', 'last'),
    ],
  };
}

/** At most DETAIL_LINES lines of `text` (its first or its last), labelled, an ellipsis where lines were left out. */
function excerptLines(text: string | undefined, label: string, end: 'first' | 'last' = 'first'): string[] {
  if (text === undefined || text.trim() === '') return [];
  const lines = text.replace(/\s+$/, '').split('\n');
  const indent = ' '.repeat(label.length + 2);
  if (lines.length <= DETAIL_LINES) return lines.map((l, i) => `${i === 0 ? `${label}: ` : indent}${l}`);
  if (end === 'last') return [`${label}: …`, ...lines.slice(-DETAIL_LINES).map((l) => `${indent}${l}`)];
  return [
    ...lines.slice(0, DETAIL_LINES).map((l, i) => `${i === 0 ? `${label}: ` : indent}${l}`),
    `${indent}…`,
  ];
}
