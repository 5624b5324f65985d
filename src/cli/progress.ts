import cliProgress from 'cli-progress';
import type { SampleResult } from '../store/records.js';

export interface Progress {
  start(total: number, done: number): void;
  update(sample: SampleResult, done: number, spentUsd: number): void;
  stop(): void;
}

/** Done/total, ETA and running cost on stderr; plain periodic lines when stderr is not a terminal. */
export function createProgress(simulated: boolean | 'partly'): Progress {
  let errors = 0;
  const bar = new cliProgress.SingleBar(
    {
      format: `{bar} {value}/{total} samples | ETA {eta_formatted} | spent \${spent}${simulated === 'partly' ? ' (partly simulated)' : simulated ? ' (simulated)' : ''} | {errors} errors`,
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(total, done) {
      bar.start(total, done, { spent: '0.0000', errors: 0 });
    },
    update(sample, done, spentUsd) {
      if (sample.status === 'error') errors++;
      bar.update(done, { spent: spentUsd.toFixed(4), errors });
    },
    stop() {
      bar.stop();
    },
  };
}
