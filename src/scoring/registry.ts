import type { Task } from '../suites/types.js';
import { openRegistry } from '../util/registry.js';
import { extractCode, scoreCode } from './code.js';
import { mathGraderFor, scoreMath } from './math/index.js';
import { extractChoice, lettersFor, scoreMcq } from './mcq.js';
import { normalizeText, scoreText } from './text.js';
import type { ScorerDefinition } from './types.js';

const same = (_task: Task, a: string, b: string) => a === b;

/** The scorers shipped with baton, one per task kind: a task without a suite `scorer:` uses its kind's. */
const builtInScorers: readonly ScorerDefinition[] = [
  {
    id: 'code',
    extract: (_task, text) => extractCode(text)?.trim() ?? null,
    same,
    score: (task, answer, { sandbox, limits }) => scoreCode(task, answer, sandbox, limits),
  },
  {
    id: 'math',
    extract: (task, text) => mathGraderFor(task).read(text).answer,
    same: (task, a, b) => mathGraderFor(task).same(a, b),
    score: scoreMath,
  },
  { id: 'mcq', extract: (task, text) => extractChoice(text, lettersFor(task)), same, score: scoreMcq },
  { id: 'text', extract: (_task, text) => normalizeText(text) || null, same, score: scoreText },
];

const registry = openRegistry(builtInScorers, (s) => s.id, 'scorer');

/** Every scorer of this process: the built-ins, then those added by a config's plugins. */
export const scorerDefinitions = registry.all;

/** Adds a plugin's scorer; the same definition twice is a no-op, another under a known id is refused. */
export const addScorer = registry.add;

/** The scorer that grades a task: its suite's `scorer:`, else its kind's. */
export function scorerFor(task: Task): ScorerDefinition {
  const id = task.scorer ?? task.kind;
  const scorer = scorerDefinitions.find((s) => s.id === id);
  // Config validation checks suite scorers against this registry, so a miss is a bug.
  if (!scorer) throw new Error(`no scorer '${id}' (task ${task.suite}/${task.id})`);
  return scorer;
}
