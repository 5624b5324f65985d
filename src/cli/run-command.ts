import { environmentWithDotEnv } from '../config/env.js';
import { configHash, type LoadedConfig, readRunConfig } from '../config/load.js';
import { DEFAULT_QUEUE_NAME } from '../queue/job.js';
import { parseRateLimit } from '../queue/rate-limit-option.js';
import { errorCauseLines, errorSummary } from '../report/error-causes.js';
import { resultsTable } from '../report/markdown.js';
import type { Report } from '../report/types.js';
import { EARLY_STOP_CALLS, EndpointFailing } from '../runner/failing-endpoint.js';
import { runBenchmark } from '../runner/run.js';
import type { RunOutcome } from '../runner/session.js';
import { callsLine, chooseSharedCache } from '../runner/shared-cache.js';
import type { UntilDecided } from '../runner/until-decided.js';
import { openScoring } from '../scoring/open.js';
import { EXIT, InterruptedError, UsageError } from '../util/errors.js';
import { createProgress } from './progress.js';
import { checkBeforeRun } from './run-checks.js';
import { readSelectionFlags, type SelectionFlags } from './selection-options.js';

export interface RunCommandOptions extends SelectionFlags {
  resume?: boolean | string;
  runId?: string;
  output?: string;
  quiet?: boolean;
  /** Print the estimated cost range and exit without calling anything. */
  dryRun?: boolean;
  /** Write a cassette: a file, or true = <run dir>/cassette.jsonl. */
  record?: string | boolean;
  /** Serve every pool member from this cassette (offline, $0). */
  replay?: string;
  /** With `replay`: stop at budget.usd on the recorded costs, as the recorded run did (else a replay ignores the budget). */
  replayBudget?: boolean;
  /** Redis URL: enqueue samples for `baton worker`s instead of executing them here. */
  queue?: string;
  queueName?: string;
  /** `provider=rps[:burst]` global rate limits, with `queue`. */
  rateLimit?: string[];
  /** Pool members to run without (`--drop-agent`, repeatable), added to the config's `drop`. */
  dropAgent?: string[];
  /** Also make one cheap request per endpoint in preflight and report which answer. */
  checkEndpoints?: boolean;
  /** `--pilot N`: run N tasks per orchestrator, then print the full run's cost extrapolated from them. */
  pilot?: string;
  /** `--max-error-rate`: the fraction (0–1) of recorded samples that may fail without exit 4; default 0. */
  maxErrorRate?: string;
  /** Stop starting new tasks once every comparison of the config's `decide:` is decided. */
  untilDecided?: boolean;
  /** False with `--no-cache`: the shared response cache is neither read nor written. */
  cache?: boolean;
}

/** `baton run`: run a config, then write and print its report. Returns the process exit code. */
export async function runCommand(configFile: string, options: RunCommandOptions): Promise<number> {
  const maxErrorRate = parseMaxErrorRate(options.maxErrorRate);
  const chosen = readSelectionFlags(options);
  if (options.queue && Object.keys(chosen.selection).length > 0)
    throw new UsageError(
      '--queue workers read the config file as it is: --limit, --sample, --only and --set cannot be combined with --queue',
    );
  const config = withDroppedAgents(await readRunConfig(configFile, chosen), options.dropAgent ?? []);
  if (options.output) config.output = options.output;
  // Preflight: every problem at once (exit 2), before anything starts; alone with --dry-run.
  const env = environmentWithDotEnv(process.env);
  const checked = await checkBeforeRun(config, options, env);
  if ('exitCode' in checked) return checked.exitCode;
  if (!options.queue && (options.rateLimit ?? []).length > 0)
    throw new UsageError('--rate-limit needs --queue (one process already shares its limits)');
  if (options.queue && (options.record !== undefined || options.replay !== undefined))
    throw new UsageError('--queue cannot be combined with --record or --replay (cassettes are one process)');
  if (options.replayBudget && options.replay === undefined)
    throw new UsageError('--replay-budget needs --replay');
  checkUntilDecided(config, options);
  // BullMQ and ioredis load only for queued runs: every local run would pay for them at start-up.
  const queue = options.queue ? await import('../queue/coordinator.js') : undefined;
  const remote =
    options.queue && queue
      ? new queue.QueueCoordinator({
          url: options.queue,
          queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
          config,
          rateLimits: Object.fromEntries((options.rateLimit ?? []).map(parseRateLimit)),
        })
      : undefined;
  const { sandbox, scorer } = queue ? queue.remoteScoring() : await openScoring(config.scoring);
  let progress: ReturnType<typeof createProgress> | undefined;
  // First SIGINT/SIGTERM: no new call starts, calls in flight finish and their answers are stored, then
  // exit 130. A second one quits at once (journal lines of the current turn are still written at exit).
  const stop = new AbortController();
  let runEnded = false;
  const onSignal = (signal: NodeJS.Signals) => {
    progress?.stop();
    if (runEnded) {
      // Only the report was left to write: everything the run bought is stored.
      process.stderr.write(
        `\n${signal}: the run is stored; the report was not written (baton report <run dir> writes it)\n`,
      );
      void sandbox.close().finally(() => process.exit(130));
      return;
    }
    if (stop.signal.aborted) {
      process.stderr.write(`\n${signal} again: quitting now\n`);
      void sandbox.close().finally(() => process.exit(130));
      return;
    }
    process.stderr.write(
      `\n${signal}: stopping — no new call starts; waiting for the calls in flight (${signal} again quits at once)\n`,
    );
    stop.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let ran = 0;
  let runStarted = 0;
  // The report writer (and its PNG worker, which loads chart.js and Skia) is started once the first
  // sample is back, while the run waits on the models anyway; other commands never load it.
  let reportWriter: Promise<ReportWriter> | undefined;
  const startReportWriter = () => {
    reportWriter ??= Promise.all([import('../report/write.js'), import('../report/png.js')]).then(
      ([write, png]) => ({ writeReport: write.writeReport, png: new png.PngWriter() }),
    );
    return reportWriter;
  };
  try {
    const outcome = await runBenchmark({
      config,
      ...(options.resume === undefined ? {} : { resume: options.resume }),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      env,
      tasks: checked.tasks,
      orchestrators: checked.orchestrators,
      ...(options.record === undefined ? {} : { record: options.record }),
      ...(options.replay === undefined ? {} : { replayFrom: options.replay }),
      ...(options.replayBudget ? { replayBudget: true } : {}),
      command: ['baton', ...process.argv.slice(2)].join(' '),
      ...(remote ? { remote } : {}),
      signal: stop.signal,
      sandbox,
      scorer,
      stopOnFailingEndpoint: EARLY_STOP_CALLS,
      sharedCache: chooseSharedCache(config.cache, options.cache === false, env),
      ...(options.untilDecided
        ? {
            untilDecided: true,
            onDecided: (state: UntilDecided) => {
              process.stderr.write(
                `${progress ? '\n' : ''}until-decided: every comparison decided after ${state.decidedAtItem} of ${state.items} tasks; no new task starts (tasks in flight finish)\n`,
              );
            },
          }
        : {}),
      onStart: ({ runId, runDir, total, skipped, simulated, simulatedAgents, agents }) => {
        // Only the simulated members are called simulated: a mixed pool names them.
        const all = simulated && simulatedAgents.length >= agents;
        const pool = !simulated
          ? ''
          : all
            ? ' (SIMULATED pool)'
            : ` (${simulatedAgents.length} of ${agents} agents SIMULATED: ${simulatedAgents.join(', ')})`;
        process.stderr.write(
          `run ${runId}${pool}: ${total} samples${skipped ? `, ${skipped} already done` : ''} → ${runDir}\n`,
        );
        if (!options.quiet) {
          progress = createProgress(all ? true : simulated ? 'partly' : false);
          progress.start(total, skipped);
        }
        runStarted = performance.now();
      },
      onSample: (sample, done, _total, spent) => {
        ran++;
        checked.pilot?.add(sample);
        // Settled later by the await below; the catch only keeps an early failure from being unhandled.
        if (ran === 1) startReportWriter().catch(() => {});
        progress?.update(sample, done, spent);
      },
    });
    runEnded = true;
    progress?.stop();
    const seconds = (performance.now() - runStarted) / 1000;
    process.stderr.write(
      `ran ${ran} samples in ${seconds.toFixed(2)} s (${(ran / seconds).toFixed(0)} samples/s)\n`,
    );
    const calls = callsLine(outcome.calls, outcome.sharedCache, outcome.spentUsd);
    if (calls) process.stderr.write(`${calls}\n`);
    const { writeReport, png } = await startReportWriter();
    const { report, files } = await writeReport(outcome.runDir, { png });
    if (report.simulated || report.provenance.calls.replayed > 0) process.stdout.write(`\n${report.label}\n`);
    process.stdout.write(`\n${resultsTable(report)}\n\n`);
    process.stdout.write(`status: ${outcome.status}\nspent this session: $${outcome.spentUsd.toFixed(6)}\n`);
    if (outcome.budgetStop) {
      const stop = outcome.budgetStop;
      process.stdout.write(
        `budget: stopped at ${stop.atSample} with $${stop.spentUsd.toFixed(6)} of $${stop.capUsd} spent: ${stop.reason}\n`,
      );
    }
    if (outcome.cassette) process.stdout.write(`cassette: ${outcome.cassette}\n`);
    if (report.sequential) process.stdout.write(`sequential decision: ${report.sequential.summary}\n`);
    process.stdout.write(`report: ${files.join(', ')}\n`);
    checked.pilot?.print(outcome.runId, outcome.runDir);
    return exitCodeOf(report, outcome, maxErrorRate);
  } catch (err) {
    progress?.stop();
    if (err instanceof InterruptedError)
      process.stderr.write(
        'interrupted: finished samples and every answer received are saved; rerun with --resume to continue\n',
      );
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sandbox.close();
    await remote?.close();
    await reportWriter?.then(
      (w) => w.png.close(),
      () => {},
    );
  }
}

/** `--until-decided` needs comparisons to decide, and cannot be combined with a pilot (a fixed share of the tasks). */
function checkUntilDecided(config: LoadedConfig, options: RunCommandOptions): void {
  if (!options.untilDecided) return;
  if (config.decide.length === 0 && config.selection.only)
    throw new UsageError(
      `--until-decided needs a decide: comparison of two orchestrators that run; --only ${config.selection.only.join(',')} left none`,
    );
  if (config.decide.length === 0)
    throw new UsageError(
      `--until-decided needs comparisons to decide: add decide: [{ a: <orchestrator>, b: <orchestrator>, margin: <points> }] to ${config.file}`,
    );
  if (options.pilot !== undefined) throw new UsageError('--until-decided cannot be combined with --pilot');
}

/** `--max-error-rate`: a fraction from 0 to 1 (default 0: any failed sample makes the run exit 4). */
export function parseMaxErrorRate(text: string | undefined): number {
  if (text === undefined) return 0;
  const rate = Number(text);
  if (text.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new UsageError(`--max-error-rate must be a fraction from 0 to 1 (e.g. 0.05), not '${text}'`);
  return rate;
}

/**
 * The run's outcome as an exit code, once every report is written: 4 when it stopped early for a
 * failing endpoint or more than `maxErrorRate` of its recorded samples failed (the output then ends
 * with the errors by cause and one `error:` line), else 3 for a budget stop, else 0. Samples never
 * run are not errors.
 */
function exitCodeOf(report: Report, outcome: RunOutcome, maxErrorRate: number): number {
  const { errors, recorded, planned } = report.samples;
  const notRun = Math.max(0, planned - recorded);
  if (outcome.endpointStop)
    process.stdout.write(
      `stopped early: ${new EndpointFailing(outcome.endpointStop).message}; the run stopped there: calls in flight finished, no new call started\n`,
    );
  if (errors > 0)
    process.stdout.write(
      `\nerrors by cause: ${errorSummary(report)}\n${errorCauseLines(report)
        .map((line) => `  ${line}\n`)
        .join('')}`,
    );
  if (outcome.endpointStop) {
    process.stderr.write(
      `error: stopped early: ${new EndpointFailing(outcome.endpointStop).message}; reports written; ${notRun} samples not run — fix the endpoint and rerun with --resume\n`,
    );
    return EXIT.completedWithErrors;
  }
  if (errors > maxErrorRate * recorded) {
    process.stderr.write(
      `error: completed with errors: ${errors} of ${recorded} recorded samples failed (${((100 * errors) / recorded).toFixed(1)}%, above --max-error-rate ${maxErrorRate}); errors by cause above and at the top of report.md\n`,
    );
    return EXIT.completedWithErrors;
  }
  return outcome.status === 'complete' ? EXIT.ok : EXIT.budget;
}

interface ReportWriter {
  writeReport: typeof import('../report/write.js').writeReport;
  png: import('../report/png.js').PngWriter;
}

/** The config with `--drop-agent` ids added to its `drop` (a different run: the hash changes). */
function withDroppedAgents(config: LoadedConfig, ids: readonly string[]): LoadedConfig {
  if (ids.length === 0) return config;
  const unknown = ids.filter((id) => !config.pool.some((a) => a.id === id));
  if (unknown.length > 0)
    throw new UsageError(`--drop-agent: no pool member with id ${unknown.map((id) => `'${id}'`).join(', ')}`);
  const dropped = { ...config, drop: [...new Set([...config.drop, ...ids])] };
  return { ...dropped, hash: configHash(dropped) };
}
