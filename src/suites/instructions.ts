import type { CodeTests } from './types.js';

/*
 * Answer-format instructions appended to every task, worded after the public benchmarks' own
 * templates (simple-evals for multiple choice, MATH for \boxed{}, LiveCodeBench for code).
 */

export const MATH_INSTRUCTION = 'Put your final answer within \\boxed{}.';

export function mcqPrompt(question: string, choices: readonly string[]): string {
  const letters = 'ABCDEFGHIJ'.slice(0, choices.length);
  const options = choices.map((c, i) => `${letters[i]}) ${c}`).join('\n');
  return [
    `Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ${letters}. Think step by step before answering.`,
    '',
    question.trimEnd(),
    '',
    options,
  ].join('\n');
}

export function codeInstruction(tests: CodeTests): string {
  switch (tests.style) {
    case 'stdin':
      return 'Read the inputs from stdin, solve the problem and write the answer to stdout. Enclose your Python 3 code in a ```python block.';
    case 'call':
      return `Write a Python 3 function named \`${tests.functionName}\`. Enclose your code in a \`\`\`python block.`;
    case 'check':
      return `Complete the Python 3 function \`${tests.cases[0]?.entryPoint ?? ''}\`. Enclose the whole function in a \`\`\`python block.`;
  }
}
