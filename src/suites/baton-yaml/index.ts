import type { z } from 'zod';
import { readYamlFile } from '../../util/yaml.js';
import { codeInstruction, MATH_INSTRUCTION, mcqPrompt } from '../instructions.js';
import type { ProblemLog } from '../records/problems.js';
import type { Task } from '../types.js';
import {
  codeTaskSchema,
  mathTaskSchema,
  mcqTaskSchema,
  type SuiteKind,
  suiteHeaderSchema,
} from './schema.js';

/**
 * Loads a suite written in baton's YAML format (the shipped demo suites use it). A fault in the header
 * (`suite`, `version`, `kind`…) is fatal; a task that does not validate is logged at its file:line: fatal
 * by default (the format is strict by default), skipped and counted with `strict: false` and by
 * `baton suites verify`, which lists every bad task of every file at once.
 */
export function loadBatonYamlSuite(file: string, log: ProblemLog): Task[] {
  const source = readYamlFile(file);
  const header = source.validate(suiteHeaderSchema);
  const tasks: Task[] = [];
  for (const [index, value] of header.tasks.entries()) {
    const path = ['tasks', index];
    const parsed = taskFrom(header, value);
    if ('issues' in parsed) {
      const named = taskIdOf(value);
      for (const issue of parsed.issues)
        for (const problem of source.issueAt(path, parsed.schema, issue, value))
          log.add({
            file,
            ...problem,
            message: named ? `${problem.message} (task ${named})` : problem.message,
          });
      continue;
    }
    const { task } = parsed;
    tasks.push({ ...task, meta: { ...task.meta, file, line: source.position(path).line } });
  }
  return tasks;
}

function taskIdOf(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** One task of the file, validated alone by the schema of the file's kind. */
function taskFrom(
  header: { suite: string; version: number; kind: SuiteKind },
  value: unknown,
): { task: Task } | { issues: z.core.$ZodIssue[]; schema: z.ZodType } {
  const common = { suite: header.suite, meta: { suiteVersion: header.version } };
  switch (header.kind) {
    case 'code': {
      const parsed = codeTaskSchema.safeParse(value, { reportInput: true });
      if (!parsed.success) return { issues: parsed.error.issues, schema: codeTaskSchema };
      const t = parsed.data;
      return {
        task: {
          ...common,
          id: t.id,
          category: t.category,
          kind: 'code',
          prompt: `${t.prompt.trimEnd()}\n\n${codeInstruction(t.tests)}`,
          reference: t.reference,
          tests: t.tests,
          distractors: t.distractors,
        },
      };
    }
    case 'math': {
      const parsed = mathTaskSchema.safeParse(value, { reportInput: true });
      if (!parsed.success) return { issues: parsed.error.issues, schema: mathTaskSchema };
      const t = parsed.data;
      return {
        task: {
          ...common,
          id: t.id,
          category: t.category,
          kind: 'math',
          prompt: `${t.prompt.trimEnd()}\n\n${MATH_INSTRUCTION}`,
          reference: t.answer,
          distractors: t.distractors,
          meta: { ...common.meta, equivalents: t.equivalents },
        },
      };
    }
    case 'mcq': {
      const parsed = mcqTaskSchema.safeParse(value, { reportInput: true });
      if (!parsed.success) return { issues: parsed.error.issues, schema: mcqTaskSchema };
      const t = parsed.data;
      return {
        task: {
          ...common,
          id: t.id,
          category: t.category,
          kind: 'mcq',
          prompt: mcqPrompt(t.question, t.choices),
          reference: t.answer,
          choices: t.choices,
          distractors: [],
        },
      };
    }
  }
}
