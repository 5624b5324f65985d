import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, both run by `npm test` (README's and CI's command). `unit` (`npm run test:unit`, the
// quick loop, which adds --no-isolate --maxWorkers=2 for speed): in-process, with fakes, fixtures and
// short-lived child processes. `e2e`: whatever runs real programs end to end — the files below, each
// group with the reason it is here.
const e2e = [
  // The built CLI as real processes (`npm test` builds first; `npm run build` before running these alone).
  'test/cli/**/*.test.ts',
  // Every bench:* script at BENCH_SIZE=smoke.
  'test/bench/**/*.test.ts',
  // Real Docker containers from the sandbox image (they also run their cases in the local driver).
  'test/sandbox/attacks.test.ts',
  'test/sandbox/docker-crash.test.ts',
  'test/sandbox/docker-hostile.test.ts',
  'test/sandbox/lcb-comparison.test.ts',
  'test/sandbox/lcb-fidelity.test.ts',
  // Real headless Chromium drawing report.html.
  'test/report/decision-browser.test.ts',
  'test/report/html-at-a-glance.test.ts',
  // dependency-cruiser (what `npm run lint` runs) as child processes over copies of src/.
  'test/architecture/import-rules.test.ts',
  // Every reference and wrong solution of the shipped suites run by Python (what `baton suites verify` does).
  'test/suites/demo-suite.test.ts',
  // Whole runs against the HTTP fakes: 500 samples through injected faults; an outage mid-run.
  'test/runner/faults.test.ts',
  'test/runner/outage.test.ts',
  // Five whole runs of the simulated pool through one shared response cache.
  'test/runner/shared-cache-simulated.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...e2e],
        },
      },
      { extends: true, test: { name: 'e2e', include: e2e } },
    ],
  },
});
