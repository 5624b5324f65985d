import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunConfig, readRunConfig } from '../../src/config/load.js';
import { InputError } from '../../src/util/errors.js';

const demoFile = join(import.meta.dirname, '../../configs/demo.yaml');
const demo = readFileSync(demoFile, 'utf8');

/** The demo config plus a report block, validated (suite files are not looked for). */
async function read(extra: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'baton-report-baseline-')), 'run.yaml');
  writeFileSync(file, `${demo}\n${extra}\n`);
  return { file, config: await readRunConfig(file).catch((e: unknown) => e) };
}

describe('report.baseline in the run config', () => {
  it('is optional (default: the cheapest single model, chosen by the report)', async () => {
    expect((await loadRunConfig(demoFile)).report).toBeUndefined();
  });

  it('names an orchestrator of the config', async () => {
    const { config } = await read('report:\n  baseline: fusion');
    expect(config).not.toBeInstanceOf(Error);
    expect((config as { report?: { baseline?: string } }).report).toEqual({ baseline: 'fusion' });
  });

  it('is refused, at its line, when no orchestrator has that id', async () => {
    const { file, config } = await read('report:\n  baseline: no-such-orchestrator');
    expect(config).toBeInstanceOf(InputError);
    const line = `${demo}\n`.split('\n').length + 1;
    expect((config as InputError).message).toMatch(
      new RegExp(
        `^${file}:${line}:\\d+: report\\.baseline: no orchestrator with id 'no-such-orchestrator'`,
        'm',
      ),
    );
  });

  it('takes no other field', async () => {
    const { config } = await read('report:\n  baseline: fusion\n  basline: fusion');
    expect((config as InputError).message).toContain("unknown field 'basline'");
  });
});
