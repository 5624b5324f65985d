import type { SuiteFormat } from '../format.js';
import type { SuiteOptions } from '../ref-schema.js';
import type { Task } from '../types.js';
import { loadBatonYamlSuite } from './index.js';

/** baton's own YAML suites (suites/demo): the file names its suite; `name` renames it. */
export const batonYamlFormat: SuiteFormat = {
  id: 'baton',
  title: "baton's own YAML suites (suites/demo/*.yaml)",
  kind: 'text',
  source: 'shipped with baton (suites/) or written by you in the same format',
  strictByDefault: true,
  matches: (path) => /\.ya?ml$/i.test(path),
  files: (path) => [path],
  defaultName: () => '',
  load: (path, options, ctx) => {
    const tasks = withStdinMode(loadBatonYamlSuite(path, ctx.log), options);
    return options.name ? tasks.map((t) => ({ ...t, suite: options.name as string })) : tasks;
  },
};

/** `stdin: real`: stdin tasks get a judge's stdio instead of LiveCodeBench's (recorded in their tests). */
function withStdinMode(tasks: Task[], options: SuiteOptions): Task[] {
  if (options.stdin !== 'real') return tasks;
  return tasks.map((t) => (t.tests?.style === 'stdin' ? { ...t, tests: { ...t.tests, stdin: 'real' } } : t));
}
