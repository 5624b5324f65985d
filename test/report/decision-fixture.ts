import { buildReport } from '../../src/report/build.js';
import type { Report } from '../../src/report/types.js';
import type { SampleSummary } from '../../src/store/reads.js';
import { run, sample } from './fixtures.js';

/**
 * Four orchestrators on 40 tasks: `single-cheap` (the default baseline: cheapest single model, 50 %),
 * `single-dear` (single, 50 %, pricier), `strong` (right wherever the baseline is plus 16 more: 90 %,
 * 6× the cost per sample, slower) and `close` (55 %: 2 more right, nothing else different); `extra`
 * samples are added first.
 */
export function fourWayReport(configJson = '{}', extra: SampleSummary[] = []): Report {
  const samples: SampleSummary[] = [...extra];
  for (let t = 0; t < 40; t++) {
    const id = `t${String(t).padStart(2, '0')}`;
    const base = t % 2 === 0;
    samples.push(sample('single-cheap', id, base, { family: 'single', costUsd: 0.001, latencyMs: 1000 + t }));
    samples.push(
      sample('single-dear', id, t % 2 === 1, { family: 'single', costUsd: 0.01, latencyMs: 1000 + t }),
    );
    samples.push(
      sample('strong', id, base || t < 32, { family: 'fusion', costUsd: 0.006, latencyMs: 3000 + t }),
    );
    samples.push(
      sample('close', id, base || t === 1 || t === 3, {
        family: 'vote',
        costUsd: 0.001,
        latencyMs: 1000 + t,
      }),
    );
  }
  return buildReport({
    run: { ...run, configJson, planned: samples.length },
    samples: () => samples,
    calls: () => [],
    taskInfo: {
      clusterOf: (s, t) => `${s}/${t}`,
      suiteVersions: {},
      grading: { math: ['maths: equivalent'] },
      clusterField: null,
      note: '',
    },
  });
}
