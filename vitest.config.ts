import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, both run by `npm test`: `unit` (in-process, fakes and fixtures) and `e2e` (the built
// CLI as real processes, and every bench:* script at BENCH_SIZE=smoke).
const e2e = ['test/cli/**/*.test.ts', 'test/bench/**/*.test.ts'];

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
