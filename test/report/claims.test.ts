import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareClaims, loadClaimFile } from '../../src/report/claims/compare.js';
import { parseStoredConfig } from '../../src/report/run-config.js';
import type { AccuracyRow } from '../../src/report/types.js';
import { InputError } from '../../src/util/errors.js';
import { repoRoot } from '../runner/helpers.js';

const claimsDir = join(repoRoot, 'configs/claims');

function row(
  orchestrator: string,
  correct: number,
  scored: number,
  tokens: number,
  simulated: boolean,
): AccuracyRow {
  return {
    orchestrator,
    simulated,
    suite: 'all',
    scored,
    correct,
    accuracy: correct / scored,
    ci95: { low: correct / scored - 0.05, high: correct / scored + 0.05 },
    tokensPerTask: { input: tokens / 2, output: tokens / 2, reasoning: 0 },
  } as AccuracyRow;
}

describe('claim files', () => {
  it.each(readdirSync(claimsDir))('%s is valid', (file) => {
    expect(loadClaimFile(join(claimsDir, file)).figures.length).toBeGreaterThan(0);
  });

  it('reports a bad figure with file, line, column and field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'baton-claim-')), 'bad.yaml');
    writeFileSync(
      file,
      'id: bad\nsource:\n  title: x\n  arxiv: "2512.04695"\nfigures:\n  - id: a\n    system: s\n    benchmark: b\n    value: "high"\n',
    );
    expect(() => loadClaimFile(file)).toThrow(InputError);
    expect(() => loadClaimFile(file)).toThrow(/bad\.yaml:9:12: figures\[0\]\.value: /);
  });
});

describe('claims vs measured', () => {
  const config = parseStoredConfig(
    JSON.stringify({
      file: join(repoRoot, 'configs/run.yaml'),
      pool: [{ id: 'g', model: 'sim/gpt-5' }],
      claims: [
        {
          file: 'claims/conductor-table11.yaml',
          compare: [
            { figure: 'trained-average', orchestrator: 'conductor' },
            { figure: 'gpt5-average', orchestrator: 'prompted' },
            { figure: 'nope', orchestrator: 'prompted' },
          ],
        },
        {
          file: 'claims/fugu-ultra.yaml',
          compare: [{ figure: 'token-ratio', orchestrator: 'conductor', baseline: 'fusion' }],
        },
      ],
    }),
  );
  // A mixed pool: only the rows that used a simulated agent are simulated.
  const rows = [
    row('conductor', 74, 100, 1000, false),
    row('prompted', 60, 100, 3000, true),
    row('fusion', 80, 100, 6000, true),
  ];
  const claims = compareClaims({ config, rows, suiteVersions: { x: 1 } });

  it('states the gap and whether the claim lies inside the measured interval', () => {
    const [trained, gpt5] = claims;
    expect(trained).toMatchObject({ measured: 0.74, insideCi: true, suite: 'all' });
    expect(trained?.claimed).toBeCloseTo(0.7565, 12);
    expect(trained?.gap).toBeCloseTo(-0.0165, 10);
    expect(gpt5).toMatchObject({ measured: 0.6, insideCi: false });
    expect(gpt5?.claimed).toBeCloseTo(0.7005, 12);
    expect(trained?.source.arxiv).toBe('2512.04388');
  });

  it('says a claim compared against a simulated row is not comparable, and why', () => {
    expect(claims[1]?.comparability).toMatchObject({
      simulated: true,
      pool: 'partial',
      verdict: 'not comparable',
    });
    expect(claims[1]?.comparability.poolDetail).toMatch(/simulated stand-ins.*1 of 6/);
  });

  it('judges a live row of a mixed run on its pool alone', () => {
    expect(claims[0]?.comparability).toMatchObject({
      simulated: false,
      pool: 'partial',
      verdict: 'partly comparable',
    });
    expect(claims[0]?.comparability.poolDetail).not.toMatch(/simulated/);
  });

  it('says a ratio against a simulated baseline is simulated, though its own row is live', () => {
    expect(claims[3]).toMatchObject({ orchestrator: 'conductor', baseline: 'fusion' });
    expect(claims[3]?.comparability).toMatchObject({ simulated: true, verdict: 'not comparable' });
  });

  it('computes token ratios against the named baseline and flags unknown figures', () => {
    expect(claims[3]).toMatchObject({ metric: 'token-ratio', measured: 1000 / 6000, insideCi: null });
    expect(claims[2]?.problem).toMatch(/no figure 'nope'/);
  });
});
