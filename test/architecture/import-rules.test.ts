import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const run = promisify(execFile);

/** dependency-cruiser on `src` of `dir` with the repository's rules: exit code and violations report. */
async function cruise(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'],
      { cwd: dir },
    );
    return { code: 0, output: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const BAD_IMPORTS: [what: string, file: string, text: string, rule: string][] = [
  [
    'report importing the runner',
    'src/report/bad.ts',
    "import { runBenchmark } from '../runner/run.js';\nexport const x = runBenchmark;\n",
    'layer-report',
  ],
  [
    'the simulated provider reading prompts from the orchestrators',
    'src/providers/sim/bad.ts',
    "import { solverMessages } from '../../orchestrators/prompts.js';\nexport const x = solverMessages;\n",
    'layer-providers',
  ],
  [
    'an orchestrator importing a provider implementation',
    'src/orchestrators/bad.ts',
    "import { simProvider } from '../providers/sim/index.js';\nexport const x = simProvider;\n",
    'orchestrators-use-provider-types-only',
  ],
  ['anything below the CLI importing it', 'src/queue/bad.ts', "import '../cli/main.js';\n", 'layer-queue'],
  [
    'a file outside the known layers',
    'src/stray.ts',
    "import { UsageError } from './util/errors.js';\nexport const x = UsageError;\n",
    'only-known-folders',
  ],
  [
    'a helper at the bottom importing a layer above it (a cycle: suites import util)',
    'src/util/bad.ts',
    "import { loadSuiteDetailed } from '../suites/load.js';\nexport const x = loadSuiteDetailed;\n",
    'layer-util',
  ],
];

describe('import rules (.dependency-cruiser.cjs, run by npm run lint)', () => {
  it('src/ as committed breaks none of them', async () => {
    const { code, output } = await cruise(ROOT);
    expect(output).toContain('no dependency violations found');
    expect(code).toBe(0);
  });

  it('fails on each deliberately bad import, naming the rule and the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-imports-'));
    copies.push(dir);
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    cpSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    for (const [, file, text] of BAD_IMPORTS) writeFileSync(join(dir, file), text);
    const { code, output } = await cruise(dir);
    expect(code).not.toBe(0);
    for (const [what, file, , rule] of BAD_IMPORTS) expect(output, what).toContain(`error ${rule}: ${file}`);
    expect(output).toMatch(/error no-folder-cycle: src\/util →\s+src\/suites →\s+src\/util/);
  });
});
