import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { configJsonSchema } from '../config/json-schema.js';
import { loadConfigPlugins } from '../config/load.js';
import { resultsTable } from '../report/markdown.js';
import { suiteJsonSchema } from '../suites/baton-yaml/json-schema.js';
import { EXIT_CODES_HELP } from '../util/errors.js';
import { packageRoot } from '../util/package-root.js';
import { addCacheCommands } from './cache-command.js';
import { addCompareCommand } from './compare-command.js';
import { demoHelpText } from './demo-help.js';
import { exitCodeFor } from './exit-codes.js';
import { addHeadCommands } from './head-command.js';
import { addK8sCommands } from './k8s-command.js';
import { type RunCommandOptions, runCommand } from './run-command.js';
import { addSandboxCommands } from './sandbox-command.js';
import { addSelectionOptions, SELECTION_HELP } from './selection-options.js';
import { addSuitesCommands } from './suites-command.js';
import { addTrainCommand } from './train-command.js';
import { addViewCommands } from './view-command.js';
import { addWorkerCommand } from './worker-command.js';

// A reader that stops early (`baton schema | head -1`) closes the pipe: the rest of the output is
// dropped quietly and the command ends with its own exit code, never an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const program = new Command('baton')
  .description('Benchmark harness for LLM orchestrators: learned, prompted and fixed-pipeline coordinators.')
  .version(
    (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version,
    '-V, --version',
    'print the version',
  )
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .addHelpText('after', `\n${EXIT_CODES_HELP}`);

const run = program
  .command('run')
  .description(
    'Run every orchestrator of a config over its suites; writes a run folder with store and report',
  )
  .argument('<config>', 'run config (YAML)')
  .addOption(
    new Option('--resume [run-id]', 'continue the newest (or the given) unfinished run of this config'),
  )
  .option('--run-id <id>', 'name of the new run folder')
  .option('--output <dir>', 'directory for run folders (overrides the config)')
  .option('--quiet', 'no progress bar')
  .option(
    '--dry-run',
    'preflight only: list every problem (exit 2) and print the expected cost (p50) and high end (p95) beside the budget; no model is called',
  )
  .option(
    '--check-endpoints',
    'preflight also makes one model-list request per endpoint and reports which answer',
  )
  .option(
    '--pilot <tasks>',
    "run this many tasks per orchestrator, then print the full run's cost extrapolated from them",
  )
  .addOption(
    new Option('--record [cassette]', 'write every call to a cassette (default: <run dir>/cassette.jsonl)'),
  )
  .option('--replay <cassette>', 'serve every pool member from a recorded cassette: no network, $0')
  .option(
    '--replay-budget',
    'with --replay: hold the recorded costs to budget.usd, stopping where the recorded run stopped (default: a replay spends nothing and ignores the budget)',
  )
  .option(
    '--max-error-rate <fraction>',
    'exit 4 when more than this fraction (0-1) of the recorded samples failed (default 0: any failed sample)',
  )
  .option(
    '--drop-agent <id>',
    'run without this pool member (repeatable); orchestrators route around it or the run stops at start',
    (id: string, ids: string[]) => [...ids, id],
    [] as string[],
  )
  .option(
    '--until-decided',
    "stop starting new tasks once every comparison of the config's decide: is decided by an anytime-valid confidence sequence (tasks in a seeded random order)",
  )
  .option(
    '--no-cache',
    'neither read nor write the response cache shared across runs (README "Response cache"); the run\'s own store still serves a resume',
  )
  .option('--queue <url>', 'distribute samples to `baton worker`s over this Redis (redis://host:port)')
  .option('--queue-name <name>', 'BullMQ queue name (with --queue)')
  .option(
    '--rate-limit <provider=rps[:burst]>',
    'with --queue: requests per second for a provider kind, shared by all workers (repeatable)',
    (spec: string, specs: string[]) => [...specs, spec],
    [] as string[],
  );
addSelectionOptions(run)
  .action(async (config: string, opts: RunCommandOptions) => {
    process.exitCode = await runCommand(config, opts);
  })
  .addHelpText('after', `\n${SELECTION_HELP}\n${EXIT_CODES_HELP}`);

const demoConfig = join(packageRoot(), 'configs', 'demo.yaml');
const demo = program
  .command('demo')
  .description(
    'Run the shipped demo offline: every orchestrator family over the demo suites, on the SIMULATED pool',
  )
  .option('--output <dir>', 'directory for run folders', 'reports')
  .option('--quiet', 'no progress bar')
  .option(
    '--max-error-rate <fraction>',
    'exit 4 when more than this fraction (0-1) of the recorded samples failed (default 0: any failed sample)',
  )
  .option('--no-cache', 'neither read nor write the response cache shared across runs');
addSelectionOptions(demo)
  .action(async (opts: RunCommandOptions) => {
    process.exitCode = await runCommand(demoConfig, opts);
  })
  .addHelpText('after', () => demoHelpText(demoConfig))
  .addHelpText('after', `\n${SELECTION_HELP}`);

program
  .command('report')
  .description('Regenerate report.json, report.md, report.html and charts of a run folder from its store')
  .argument('<run-dir>', 'run folder (e.g. reports/demo-20261125-120000)')
  .option(
    '--cluster-field <path>',
    "dotted path into task meta naming each task's cluster (default: each task its own)",
  )
  .action(async (runDir: string, opts: { clusterField?: string }) => {
    const { writeReport } = await import('../report/write.js');
    const { report, files } = await writeReport(resolve(runDir), { clusterField: opts.clusterField ?? null });
    if (report.simulated || report.provenance.calls.replayed > 0) process.stdout.write(`${report.label}\n\n`);
    process.stdout.write(`${resultsTable(report)}\n\nreport: ${files.join(', ')}\n`);
  });

program
  .command('schema')
  .description('Print the JSON Schema of run configs, or of suite files with --suite (for editor completion)')
  // The committed schema describes what every install has, so --write never includes plugins.
  .addOption(
    new Option('--config <file>', "include the option schemas of this config's plugins").conflicts('write'),
  )
  .addOption(
    new Option('--suite', "the schema of baton's own suite files (docs/suites.md) instead").conflicts(
      'config',
    ),
  )
  .option(
    '--write',
    'write configs/baton.schema.json (built-ins only), or suites/baton-suite.schema.json with --suite, instead of printing',
  )
  .action(async (opts: { config?: string; suite?: boolean; write?: boolean }) => {
    if (opts.config) await loadConfigPlugins(opts.config);
    const schema = opts.suite ? suiteJsonSchema() : configJsonSchema();
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    const file = opts.suite
      ? join('suites', 'baton-suite.schema.json')
      : join('configs', 'baton.schema.json');
    if (opts.write) writeFileSync(join(packageRoot(), file), text);
    else process.stdout.write(text);
  });

addSandboxCommands(program);
addSuitesCommands(program);
addHeadCommands(program);
addTrainCommand(program);
addCacheCommands(program);
addCompareCommand(program);
addViewCommands(program);
addWorkerCommand(program);
addK8sCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = exitCodeFor(err);
}
