import { loadYamlFile } from '../../util/yaml.js';
import { codeInstruction, MATH_INSTRUCTION, mcqPrompt } from '../instructions.js';
import type { Task } from '../types.js';
import { type SuiteFile, suiteFileSchema } from './schema.js';

/** Loads a suite written in baton's YAML format (the shipped demo suites use it). */
export function loadBatonYamlSuite(file: string): Task[] {
  return toTasks(loadYamlFile(file, suiteFileSchema));
}

function toTasks(suite: SuiteFile): Task[] {
  const common = { suite: suite.suite, meta: { suiteVersion: suite.version } };
  switch (suite.kind) {
    case 'code':
      return suite.tasks.map((t) => ({
        ...common,
        id: t.id,
        category: t.category,
        kind: 'code',
        prompt: `${t.prompt.trimEnd()}\n\n${codeInstruction(t.tests)}`,
        reference: t.reference,
        tests: t.tests,
        distractors: t.distractors,
      }));
    case 'math':
      return suite.tasks.map((t) => ({
        ...common,
        id: t.id,
        category: t.category,
        kind: 'math',
        prompt: `${t.prompt.trimEnd()}\n\n${MATH_INSTRUCTION}`,
        reference: t.answer,
        distractors: t.distractors,
        meta: { ...common.meta, equivalents: t.equivalents },
      }));
    case 'mcq':
      return suite.tasks.map((t) => ({
        ...common,
        id: t.id,
        category: t.category,
        kind: 'mcq',
        prompt: mcqPrompt(t.question, t.choices),
        reference: t.answer,
        choices: t.choices,
        distractors: [],
      }));
  }
}
