import type { Task } from '../../suites/types.js';

/*
 * How the simulated pool writes answers and recognises them. It writes in fixed formats, so it can
 * tell its own correct answers from wrong ones by exact comparison with the answer key.
 */

const LETTERS = 'ABCDEFGHIJ';

export function correctAnswer(task: Task, random: () => number): string {
  const spellings = [task.reference, ...equivalents(task)];
  return spellings[Math.floor(random() * spellings.length)] ?? task.reference;
}

export function wrongAnswer(task: Task, random: () => number): string {
  if (task.kind === 'mcq') {
    const others = [...LETTERS.slice(0, task.choices?.length ?? 4)].filter((l) => l !== task.reference);
    return others[Math.floor(random() * others.length)] ?? 'A';
  }
  const options = task.distractors.length > 0 ? task.distractors : [fallbackWrong(task)];
  return options[Math.floor(random() * options.length)] ?? fallbackWrong(task);
}

function fallbackWrong(task: Task): string {
  return task.kind === 'code' ? 'raise NotImplementedError()\n' : 'unknown';
}

function equivalents(task: Task): string[] {
  const eq = task.meta.equivalents;
  return Array.isArray(eq) ? eq.filter((e): e is string => typeof e === 'string') : [];
}

/** Wraps the bare answer in the format the task asks for, after some working. */
export function formatAnswer(task: Task, answer: string, working: string): string {
  switch (task.kind) {
    case 'code':
      return `${working}\n\n\`\`\`python\n${answer.trimEnd()}\n\`\`\`\n`;
    case 'math':
      return `${working}\n\nThe final answer is $\\boxed{${answer}}$.`;
    case 'mcq':
      return `${working}\n\nAnswer: ${answer}`;
    default:
      return `${working}\n\n${answer}`;
  }
}

/** The bare answer inside text the sim wrote, or undefined. */
export function bareAnswer(task: Task, text: string): string | undefined {
  switch (task.kind) {
    case 'code':
      return [...text.matchAll(/```python\n([\s\S]*?)\n```/g)].at(-1)?.[1];
    case 'math':
      return /\\boxed\{(.*)\}\$\.$/m.exec(text)?.[1];
    case 'mcq':
      return [...text.matchAll(/^Answer: ([A-J])$/gm)].at(-1)?.[1];
    default:
      return text.split('\n').at(-1);
  }
}

export function isCorrect(task: Task, text: string): boolean {
  const answer = bareAnswer(task, text)?.trim();
  if (answer === undefined) return false;
  return [task.reference, ...equivalents(task)].some((r) => r.trim() === answer);
}
