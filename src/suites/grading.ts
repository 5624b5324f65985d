import { contentHashOf } from './load.js';
import type { Task } from './types.js';

/** How one task's answer is graded, as reports and run records name it (`maths: equivalent`…). */
export function gradingOf(task: Task): string {
  if (task.scorer && task.scorer !== task.kind) return `scorer: ${task.scorer}`;
  switch (task.kind) {
    case 'math':
      return `maths: ${task.grader ?? 'equivalent'}`;
    case 'mcq':
      return 'multiple choice: letter';
    case 'text':
      return 'text: exact, any case';
    case 'code': {
      const tests = task.tests;
      if (tests?.style !== 'stdin') return `code: ${tests?.style ?? 'no'} tests in the sandbox`;
      // Where a stdin program's input and output go decides verdicts (docs/suites.md, LiveCodeBench).
      const stdio = tests.stdin === 'real' ? "a judge's stdio (stdin: real)" : "LiveCodeBench's stdio";
      return `code: stdin tests in the sandbox, ${stdio}`;
    }
  }
}

/**
 * What a run records of each suite it ran, so two runs can be checked for comparability later (`baton
 * compare`) without trusting the suite files to be unchanged since: the suite's name, the content hash
 * of the tasks it ran (a whole suite's `contentHash` when it ran them all), how many, its grading modes.
 */
export interface SuiteRecord {
  name: string;
  contentHash: string;
  tasks: number;
  grading: string[];
}

/** One record per suite, in the order the tasks name them. */
export function suiteRecords(tasks: readonly Task[]): SuiteRecord[] {
  const bySuite = new Map<string, Task[]>();
  for (const task of tasks) {
    const list = bySuite.get(task.suite) ?? [];
    list.push(task);
    bySuite.set(task.suite, list);
  }
  return [...bySuite].map(([name, list]) => ({
    name,
    contentHash: contentHashOf(list),
    tasks: list.length,
    grading: [...new Set(list.map(gradingOf))].sort(),
  }));
}
