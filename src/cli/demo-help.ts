import { dirname, relative, resolve } from 'node:path';
import { runConfigSchema } from '../config/schema.js';
import type { OrchestratorOptions } from '../orchestrators/types.js';
import { loadSuiteDetailed } from '../suites/load.js';
import { packageRoot } from '../util/package-root.js';
import { readYamlFile } from '../util/yaml.js';

const SANDBOX_WORDS = {
  auto: 'in the Docker sandbox when an engine answers with its image\n  (`npm run sandbox:setup`), else locally',
  docker: 'in the Docker sandbox',
  local: 'locally, without isolation',
} as const;

/**
 * What `baton demo` runs, for its --help: read from the demo config when help is shown, so the text
 * follows the config (orchestrators, suites, task counts, pool) instead of describing an older one.
 */
export function demoHelpText(configFile: string): string {
  const config = readYamlFile(configFile).validate(runConfigSchema());
  const dir = dirname(configFile);
  const suites = config.suites.map((options) => {
    const path = resolve(dir, options.path);
    const suite = loadSuiteDetailed(path, options);
    return { name: suite.name, path: relative(packageRoot(), path), tasks: suite.tasks.length };
  });
  const tasks = suites.reduce((sum, s) => sum + s.tasks, 0);
  const byFamily = new Map<string, string[]>();
  // The schema's union of registered families is erased to unknown; each entry has an id and a family.
  for (const o of config.orchestrators as OrchestratorOptions[])
    byFamily.set(o.family, [...(byFamily.get(o.family) ?? []), o.id]);
  const simulated = config.pool.filter((m) => m.provider === 'sim');
  const familyWidth = Math.max(...[...byFamily.keys()].map((f) => f.length));
  const allSimulated = simulated.length === config.pool.length;
  return [
    '',
    `What it runs (${relative(packageRoot(), configFile)}):`,
    `  ${config.orchestrators.length} orchestrators × ${tasks} tasks` +
      (config.repeats > 1 ? ` × ${config.repeats} repeats` : '') +
      ` = ${config.orchestrators.length * tasks * config.repeats} samples`,
    '  suites:',
    ...suites.map((s) => `    ${s.name}: ${s.tasks} tasks (${s.path})`),
    `  pool: ${config.pool.length} members${allSimulated ? ', all' : `, ${simulated.length}`} SIMULATED ` +
      '(local servers on 127.0.0.1 speaking the OpenAI protocol:',
    '    no network, no API key, nothing spent; costs are modelled on list prices)',
    `    ${config.pool.map((m) => m.id).join(', ')}`,
    '  orchestrators by family:',
    ...[...byFamily].map(([family, ids]) => `    ${family.padEnd(familyWidth)}  ${ids.join(', ')}`),
    `  Code answers run against their tests ${SANDBOX_WORDS[config.scoring.sandbox]}.`,
    '  About 90 s on 2 cores. Writes one run folder under --output (store, report.json, report.md,',
    '  report.html, charts); every result is labelled SIMULATED.',
    '',
  ].join('\n');
}
