import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { environmentWithDotEnv } from '../config/env.js';
import { table } from '../report/markdown.js';
import {
  SHARED_CACHE_FILE,
  SharedCache,
  type SharedCacheStats,
  sharedCacheDir,
} from '../store/shared-cache.js';
import { parseDuration } from '../util/duration.js';
import { formatBytes } from '../util/storage-fault.js';

/** `baton cache stats|prune`: the response cache shared across runs (README "Response cache"). */
export function addCacheCommands(program: Command): void {
  const cache = program
    .command('cache')
    .description('The response cache shared across runs: what it holds, and pruning old entries');
  const dirOption = [
    '--cache-dir <dir>',
    'the cache folder (default: $BATON_CACHE_DIR, else $XDG_CACHE_HOME/baton, else ~/.cache/baton)',
  ] as const;
  cache
    .command('stats')
    .description('Entries, size on disk, oldest and newest, hits, and entries by provider and model')
    .option(...dirOption)
    .option('--json', 'print the figures as JSON')
    .action((opts: { cacheDir?: string; json?: boolean }) => {
      const dir = opts.cacheDir ?? sharedCacheDir(environmentWithDotEnv(process.env));
      // Read-only: looking never changes the cache (nor creates it).
      const opened = SharedCache.open(dir, 'read-only');
      if (!opened) {
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ file: join(dir, SHARED_CACHE_FILE), entries: 0 }, null, 2)}\n`
            : `no shared response cache at ${join(dir, SHARED_CACHE_FILE)} yet (a run writes it)\n`,
        );
        return;
      }
      try {
        const stats = opened.stats();
        process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : statsText(stats));
      } finally {
        opened.close();
      }
    });
  cache
    .command('prune')
    .description('Delete entries not used for a while (last used by a run, else written, before then)')
    .requiredOption('--older-than <duration>', 'e.g. 12h, 30d, 2w (m, h, d, w)')
    .option(...dirOption)
    .action((opts: { olderThan: string; cacheDir?: string }) => {
      const ageMs = parseDuration(opts.olderThan, '--older-than');
      const dir = opts.cacheDir ?? sharedCacheDir(environmentWithDotEnv(process.env));
      if (!existsSync(join(dir, SHARED_CACHE_FILE))) {
        process.stdout.write(
          `no shared response cache at ${join(dir, SHARED_CACHE_FILE)}: nothing to prune\n`,
        );
        return;
      }
      const opened = SharedCache.open(dir, 'read-write') as SharedCache;
      try {
        const cutoff = Date.now() - ageMs;
        const removed = opened.prune(cutoff);
        const { entries, bytesOnDisk } = opened.stats();
        process.stdout.write(
          `pruned ${removed} entries not used since ${new Date(cutoff).toISOString()}; ${entries} left (${formatBytes(bytesOnDisk)} on disk) in ${opened.file}\n`,
        );
      } finally {
        opened.close();
      }
    });
}

function statsText(s: SharedCacheStats): string {
  const at = (ms: number | null) => (ms === null ? '–' : new Date(ms).toISOString());
  const lines = [
    `shared response cache: ${s.file}`,
    `entries: ${s.entries} (${formatBytes(s.bytesOnDisk)} on disk)`,
    `written: oldest ${at(s.oldestAt)}, newest ${at(s.newestAt)}; last used ${at(s.lastUsedAt)}`,
    `hits: ${s.hits} (answers served to runs; read-only runs do not count theirs)`,
    `paid for the entries: $${s.paidUsd.toFixed(4)} (what the calls that bought them cost)`,
  ];
  if (s.byModel.length > 0)
    lines.push(
      '',
      table(
        ['provider', 'model', 'entries', 'hits', 'paid'],
        s.byModel.map((m) => [m.provider, m.model, m.entries, m.hits, `$${m.paidUsd.toFixed(4)}`]),
      ),
    );
  return `${lines.join('\n')}\n`;
}
