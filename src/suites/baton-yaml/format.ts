import type { SuiteFormat } from '../format.js';
import { loadBatonYamlSuite } from './index.js';

/** baton's own YAML suites (suites/demo): the file names its suite; `name` renames it. */
export const batonYamlFormat: SuiteFormat = {
  id: 'baton',
  title: "baton's own YAML suites (suites/demo/*.yaml)",
  kind: 'text',
  source: 'shipped with baton (suites/) or written by you in the same format',
  matches: (path) => /\.ya?ml$/i.test(path),
  files: (path) => [path],
  defaultName: () => '',
  load: (path, options) => {
    const tasks = loadBatonYamlSuite(path);
    return options.name ? tasks.map((t) => ({ ...t, suite: options.name as string })) : tasks;
  },
};
