import type { Command } from 'commander';
import { usd } from '../report/markdown.js';
import { UsageError } from '../util/errors.js';
import { printable } from '../util/printable.js';
import type { RunListing } from '../view/runs.js';

/** Where `baton run` and `baton demo` put run folders unless a config says otherwise. */
const DEFAULT_RUNS_DIR = 'reports';
/** Vite's preview port: free on most machines; `--port 0` takes any free one. */
const DEFAULT_VIEW_PORT = 4173;

/** The runs as an aligned text table, newest first. */
export function runsText(runs: readonly RunListing[]): string {
  const header = ['id', 'status', 'samples', 'errors', 'spent', 'created (UTC)', 'config'];
  const rows = runs
    .map((r) => [
      r.id,
      r.status === 'unreadable' ? `unreadable: ${r.detail}` : r.status,
      r.recorded === null ? '–' : `${r.recorded}/${r.planned}`,
      r.errors === null ? '–' : String(r.errors),
      r.spentUsd === null ? '–' : `${usd(r.spentUsd)}${r.simulated ? ' (sim)' : ''}`,
      r.createdAt === null ? '–' : `${r.createdAt.slice(0, 10)} ${r.createdAt.slice(11, 16)}`,
      r.configFile ?? '–',
    ])
    .map((cells) => cells.map(printable)); // a run folder may come from anyone: its store's text is untrusted
  // Widths from every column but the last two free-text ones (an unreadable row's reason, the config).
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(port) || port > 65535)
    throw new UsageError(`--port must be a port number 0-65535 (0: any free port), got '${value}'`);
  return port;
}

/** `baton runs [dir]` and `baton view [dir]`: finding past runs and putting them side by side. */
export function addViewCommands(program: Command): void {
  program
    .command('runs')
    .description(
      'List the runs in a folder, newest first: id, status, samples recorded/planned, errors, spent, date, config (read-only)',
    )
    .argument('[dir]', 'folder holding run folders', DEFAULT_RUNS_DIR)
    .option('--json', 'print the list as JSON')
    .action(async (dir: string, o: { json?: boolean }) => {
      const { listRuns } = await import('../view/runs.js');
      const runs = listRuns(dir);
      if (o.json) process.stdout.write(`${JSON.stringify({ dir, runs }, null, 2)}\n`);
      else if (runs.length === 0)
        process.stdout.write(
          `no runs in ${dir} (a run folder holds run.sqlite; baton run writes them under the config's output, by default reports/)\n`,
        );
      else process.stdout.write(runsText(runs));
    });

  program
    .command('view')
    .description(
      'Serve a read-only page on 127.0.0.1: the runs of a folder, each report.html, and runs side by side with the compare statistics',
    )
    .argument('[dir]', 'folder holding run folders', DEFAULT_RUNS_DIR)
    .option('--port <port>', 'port on 127.0.0.1 (0: any free port)', String(DEFAULT_VIEW_PORT))
    .action(async (dir: string, o: { port: string }) => {
      const port = parsePort(o.port);
      const { startViewServer } = await import('../view/server.js');
      const server = await startViewServer(dir, port);
      process.stdout.write(`baton view: ${server.url} (read-only, this machine only; Ctrl-C stops)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
