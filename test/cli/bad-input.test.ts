import { describe, expect, it } from 'vitest';
import { demoConfigCopy } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

describe('baton run on bad input (real process)', () => {
  it('exits 2 naming file:line and the misspelled field, without a stack trace', async () => {
    const { file } = demoConfigCopy((t) => t.replace(/concurrency: (\d+)/, 'concurrencyy: $1'));
    const out = await runCli(['run', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`${file}:\\d+:1: concurrencyy: unknown field 'concurrencyy'`));
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a YAML indentation error with its line', async () => {
    const { file } = demoConfigCopy((t) =>
      t.replace(
        '    provider: sim\n    model: sim/qwen3-32b',
        '    provider: sim\n      model: sim/qwen3-32b',
      ),
    );
    const out = await runCli(['run', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: `));
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a broken suite file, naming the suite file and field', async () => {
    const { dir, file } = demoConfigCopy();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const suite = `${dir}/math.yaml`;
    writeFileSync(
      suite,
      'suite: bad\nversion: 1\nkind: math\ntasks:\n  - id: m1\n    prompt: two plus two\n    anser: "4"\n',
    );
    writeFileSync(file, readFileSync(file, 'utf8').replace(/path: .*math\.yaml/, `path: ${suite}`));
    const out = await runCli(['run', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`${suite}:7:5: tasks[0].anser: unknown field 'anser'`);
  });

  it('exits 2 for a missing config file and for an unknown option', async () => {
    expect((await runCli(['run', '/nonexistent/run.yaml'])).code).toBe(2);
    expect((await runCli(['run', '--frobnicate'])).code).toBe(2);
  });
});
