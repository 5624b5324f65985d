import { join } from 'node:path';
import type { RunConfig } from '../config/schema.js';
import {
  SHARED_CACHE_FILE,
  SharedCache,
  type SharedCacheMode,
  sharedCacheDir,
} from '../store/shared-cache.js';
import type { CallTally, SharedResponses } from './context.js';

/** Where the shared response cache is and how a run may use it; undefined: off. */
export interface SharedCacheChoice {
  dir: string;
  mode: SharedCacheMode;
}

/**
 * The shared cache a command uses: the config's `cache:` (default true), unless `--no-cache`; in
 * `$BATON_CACHE_DIR`, else `$XDG_CACHE_HOME/baton`, else `~/.cache/baton`.
 */
export function chooseSharedCache(
  setting: RunConfig['cache'],
  noCache: boolean,
  env: NodeJS.ProcessEnv,
): SharedCacheChoice | undefined {
  if (noCache || setting === false) return undefined;
  return { dir: sharedCacheDir(env), mode: setting === 'read-only' ? 'read-only' : 'read-write' };
}

/** How a session used the shared cache: its file and mode, or why it did not. */
export type SharedCacheUse =
  | { file: string; mode: SharedCacheMode; read: boolean }
  | { off: 'not configured' | 'replay' | 'queue' };

/** A session's shared cache, opened; `close` writes what it holds. */
export interface OpenedSharedCache {
  use: SharedCacheUse;
  /** For the samples, once the run id is known; undefined when off. */
  responses(runId: string): SharedResponses | undefined;
  close(): void;
}

/**
 * Opens the shared cache for a session, or says why it is off: a replay serves every call from its
 * cassette (nothing else may answer), and queued samples execute on workers, which use only their
 * per-sample cache. A recording run does not read it (a cassette must hold every call it replays) but
 * writes what it buys. Throws SharedCacheError when the cache file is unusable.
 */
export function openSharedCache(
  choice: SharedCacheChoice | undefined,
  session: { replay: boolean; remote: boolean; record: boolean },
  warn: (message: string) => void,
): OpenedSharedCache {
  const off = (why: 'not configured' | 'replay' | 'queue'): OpenedSharedCache => ({
    use: { off: why },
    responses: () => undefined,
    close: () => {},
  });
  if (!choice) return off('not configured');
  if (session.replay) return off('replay');
  if (session.remote) return off('queue');
  const cache = SharedCache.open(choice.dir, choice.mode, { warn });
  const read = !session.record;
  return {
    use: { file: cache?.file ?? join(choice.dir, SHARED_CACHE_FILE), mode: choice.mode, read },
    responses: (runId) => (cache ? { cache, read, runId } : undefined),
    close: () => cache?.close(),
  };
}

/**
 * The run's line about its calls: `0 new calls, 412 from the shared cache (worth $1.23, spent $0)`.
 * Undefined for a queued run (its workers make the calls).
 */
export function callsLine(calls: CallTally, use: SharedCacheUse, spentUsd: number): string | undefined {
  const fromRun = calls.fromRun > 0 ? `, ${calls.fromRun} from this run's store` : '';
  const sent = `${calls.sent} new ${calls.sent === 1 ? 'call' : 'calls'}`;
  if ('off' in use) {
    if (use.off === 'queue') return undefined;
    const why = use.off === 'replay' ? 'not used by a replay' : 'off';
    return `${sent}${fromRun} (shared cache ${why}; spent ${money(spentUsd)})`;
  }
  if (!use.read)
    return `${sent}${fromRun} (--record: the shared cache is not read, so the cassette holds every call; spent ${money(spentUsd)})`;
  const readOnly = use.mode === 'read-only' ? '; read-only: nothing written to it' : '';
  return `${sent}, ${calls.fromShared} from the shared cache (worth ${money(calls.fromSharedUsd)}, spent ${money(spentUsd)}${readOnly})${fromRun}`;
}

function money(usd: number): string {
  if (usd === 0) return '$0';
  return usd >= 0.01 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`;
}
