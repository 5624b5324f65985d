import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/report/compare/gate.js';
import type { AccuracyRow } from '../../src/report/types.js';
import type { RunListing } from '../../src/view/runs.js';
import { repoRoot } from '../runner/helpers.js';
import { type Finished, runCli, startViewer } from './cli-process.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '"><img src=x onerror="window.pwned=1;alert(1)"><script>window.pwned=2;alert(2)</script>';

/** Two orchestrators, two suites of 4 tasks each, a fast simulated pool: a run takes seconds. */
const tinyConfig = (seed: number) => `name: tiny
seed: ${seed}
concurrency: 8
suites:
  - { path: ${join(repoRoot, 'suites/demo/math.yaml')}, limit: 4 }
  - { path: ${join(repoRoot, 'suites/demo/mcq.yaml')}, limit: 4 }
pool:
  - id: strong
    provider: sim
    model: sim/gpt-5
    price: { input: 1.25, output: 10 }
    sim: { skill: { math: 0.85, mcq: 0.85 }, judgment: 0.85, firstTokenMs: 5, tokensPerSecond: 5000, outputTokens: 100 }
  - id: weak
    provider: sim
    model: sim/gemma-3-27b
    price: { input: 0.09, output: 0.17 }
    sim: { skill: { math: 0.3, mcq: 0.6 }, judgment: 0.6, firstTokenMs: 5, tokensPerSecond: 5000, outputTokens: 100 }
orchestrators:
  - { id: single-strong, family: single, agent: strong }
  - { id: single-weak, family: single, agent: weak }
`;

let dir: string;
let runs: string;

/** `baton run` as a real process; its run folder under `runs`. */
async function run(config: string, runId: string): Promise<void> {
  // --no-cache: each run buys its own answers (with the shared cache the second would buy none).
  const out = await runCli(['run', config, '--run-id', runId, '--output', runs, '--quiet', '--no-cache']);
  expect(out.code, out.stderr).toBe(0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-view-cli-'));
  runs = join(dir, 'runs');
  writeFileSync(join(dir, 'tiny.yaml'), tinyConfig(7));
  writeFileSync(join(dir, 'tiny-seed-8.yaml'), tinyConfig(8));
  // One after another: the listing is newest first, and the baseline of a side-by-side the oldest.
  await run(join(dir, 'tiny.yaml'), 'first');
  await run(join(dir, 'tiny.yaml'), 'second');
  await run(join(dir, 'tiny-seed-8.yaml'), 'other-seed');
  // A run whose store says hostile things: a copy of `first` with its name, config path and an
  // orchestrator id rewritten in the store (the config schema would refuse such names; a store
  // handed over by someone else need not have been written by baton).
  cpSync(join(runs, 'first'), join(runs, 'hostile'), { recursive: true });
  const db = new Database(join(runs, 'hostile', 'run.sqlite'));
  db.prepare("UPDATE run SET id = 'hostile', name = ?, config_file = ?").run(
    HOSTILE,
    `configs/${HOSTILE}.yaml`,
  );
  db.prepare(
    "UPDATE sample SET orchestrator = ?, json = json_set(json, '$.orchestrator', ?) WHERE orchestrator = 'single-strong'",
  ).run(HOSTILE, HOSTILE);
  db.prepare(
    "UPDATE event SET orchestrator = ?, json = json_set(json, '$.orchestrator', ?) WHERE orchestrator = 'single-strong'",
  ).run(HOSTILE, HOSTILE);
  db.prepare('UPDATE run SET created_at = created_at + 3600000').run(); // the newest
  db.close();
}, 120_000);

describe('baton runs (real process)', () => {
  it('lists the runs newest first with their counts, status, spending and config; --json the same', async () => {
    const text = await runCli(['runs', runs]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+status\s+samples\s+errors\s+spent\s+created \(UTC\)\s+config$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      'hostile',
      'other-seed',
      'second',
      'first',
    ]);
    for (const line of lines.slice(1))
      expect(line).toMatch(/ complete +16\/16 +0 +\$0\.\d+ \(sim\) +2\d{3}-/);
    expect(lines.find((l) => l.startsWith('other-seed'))).toMatch(/tiny-seed-8\.yaml$/);

    const json = await runCli(['runs', runs, '--json']);
    const listed = (JSON.parse(json.stdout) as { runs: RunListing[] }).runs;
    const byId = Object.fromEntries(listed.map((r) => [r.id, r]));
    for (const id of ['first', 'second', 'other-seed']) {
      const report = JSON.parse(readFileSync(join(runs, id, 'report.json'), 'utf8')) as {
        samples: { recorded: number; planned: number; errors: number };
      };
      expect(byId[id]).toMatchObject({
        status: 'complete',
        recorded: 16,
        planned: 16,
        errors: 0,
        simulated: true,
        report: 'current',
      });
      expect(report.samples).toEqual({ recorded: 16, planned: 16, errors: 0 });
    }
    expect(byId.first?.configFile).toBe(join(dir, 'tiny.yaml'));
    // report.json of the copy still names the original run's figures, not the renamed orchestrator.
    expect(byId.hostile?.report).toBe('current');
  });

  it('says so when the folder holds no runs (exit 0) or does not exist (exit 2, one line)', async () => {
    const empty = await runCli(['runs', dir]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^no runs in /);
    const missing = await runCli(['runs', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: no folder .*nope/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('baton view in headless Chromium (real process)', () => {
  let browser: Browser;
  let url: string;
  let stopView: () => Promise<Finished>;
  /** Every request the pages made, and every dialog (an alert would mean a script ran). */
  const requests: string[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ url, stop: stopView } = await startViewer(runs));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stopView?.();
  });

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(new URL(path, url).href);
    return page;
  }

  const reportRows = (id: string) =>
    (JSON.parse(readFileSync(join(runs, id, 'report.json'), 'utf8')) as { rows: AccuracyRow[] }).rows;

  /** Ticks the boxes of these runs in the runs table and submits: the side-by-side page. */
  async function sideBySide(ids: string[]): Promise<Page> {
    const page = await open('/');
    for (const id of ids) await page.check(`tr[data-run="${id}"] input[type="checkbox"]`);
    await Promise.all([page.waitForURL(/\/compare\?/), page.click('button[type="submit"]')]);
    return page;
  }

  it('shows the runs table; a run’s link opens its report.html, which draws', async () => {
    const page = await open('/');
    const ids = await page
      .locator('table[data-testid="runs"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run')));
    expect(ids).toEqual(['hostile', 'other-seed', 'second', 'first']);
    const first = page.locator('tr[data-run="first"]');
    await expect(first.locator('[data-testid="samples"]').textContent()).resolves.toBe('16/16');
    await expect(first.locator('[data-testid="status"]').textContent()).resolves.toBe('complete');
    await Promise.all([page.waitForURL(/\/runs\/first\/report\.html$/), first.locator('a').click()]);
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.title()).resolves.toMatch(/baton report: tiny/);
    await expect(page.locator('#app table').count()).resolves.toBeGreaterThan(0);
  });

  it('puts two comparable runs side by side: each figure as in its report.json, then baton compare’s statistics', async () => {
    const page = await sideBySide(['first', 'second']);
    // The older run is the baseline A.
    const section = page.locator('[data-testid="comparison"]');
    await expect(section.getAttribute('data-baseline')).resolves.toBe('first');
    await expect(section.getAttribute('data-candidate')).resolves.toBe('second');
    // Every figure of every run, suite and orchestrator equals its report.json row.
    const metrics: [string, (r: AccuracyRow) => number | null][] = [
      ['samples', (r) => r.samples],
      ['scored-accuracy', (r) => r.accuracy],
      ['cost-per-solved', (r) => r.costPerSolvedUsd],
      ['latency-p50', (r) => r.latencyMs.p50],
      ['latency-p95', (r) => r.latencyMs.p95],
    ];
    let checked = 0;
    for (const id of ['first', 'second']) {
      const rows = reportRows(id);
      expect(rows.map((r) => r.suite).sort()).toContain('all');
      for (const row of rows)
        for (const [metric, of] of metrics) {
          const cell = page.locator(
            `table[data-suite="${row.suite}"] tr[data-orchestrator="${row.orchestrator}"] td[data-run="${id}"][data-metric="${metric}"]`,
          );
          const shown = await cell.getAttribute('data-value');
          expect(
            shown === '' ? null : Number(shown),
            `${id} ${row.suite} ${row.orchestrator} ${metric}`,
          ).toBe(of(row));
          checked++;
        }
    }
    expect(checked).toBe(2 * 6 * metrics.length); // 2 runs × (3 suites × 2 orchestrators) × 5
    // The statistics are baton compare's, orchestrator by orchestrator.
    for (const orchestrator of ['single-strong', 'single-weak']) {
      const file = join(dir, `${orchestrator}.json`);
      const cli = await runCli([
        'compare',
        join(runs, 'first'),
        join(runs, 'second'),
        '--a',
        orchestrator,
        '--b',
        orchestrator,
        '--json',
        file,
      ]);
      expect([0, 1], cli.stderr).toContain(cli.code);
      const c = JSON.parse(readFileSync(file, 'utf8')) as Comparison;
      const row = section.locator(`[data-testid="statistics"] tr[data-orchestrator="${orchestrator}"]`);
      for (const [metric, gate] of [
        ['accuracy-difference', 'accuracy'],
        ['cost-increase', 'cost per item'],
        ['latency-p50-increase', 'latency p50'],
        ['latency-p95-increase', 'latency p95'],
      ] as const) {
        const g = c.gates.find((x) => x.gate === gate);
        const cell = row.locator(`[data-metric="${metric}"]`);
        expect(Number(await cell.getAttribute('data-value')), `${orchestrator} ${metric}`).toBe(g?.estimate);
        expect(Number(await cell.getAttribute('data-low'))).toBe(g?.ci.low);
        expect(Number(await cell.getAttribute('data-high'))).toBe(g?.ci.high);
      }
      await expect(row.locator('[data-metric="shared"]').textContent()).resolves.toBe(
        String(c.accuracy?.shared),
      );
      await expect(row.locator('[data-metric="verdict"]').textContent()).resolves.toBe(c.verdict);
    }
  });

  it('lists why two runs are not comparable (different seeds) and shows only the figures', async () => {
    const page = await sideBySide(['first', 'other-seed']);
    const refused = page.locator('[data-testid="not-comparable"]');
    await expect(refused.count()).resolves.toBe(1);
    const cells = await refused.locator('tr[data-field="seeds"] td').allTextContents();
    expect(cells).toEqual(['seeds', '', '7', '8']);
    await expect(page.locator('[data-testid="statistics"]').count()).resolves.toBe(0);
    await expect(page.locator('table[data-testid="figures"]').count()).resolves.toBe(3);
  });

  it('renders a hostile run name, config path and orchestrator id as text: nothing runs, nothing is injected', async () => {
    const index = await open('/');
    await expect(index.locator('tr[data-run="hostile"] [data-testid="config"]').textContent()).resolves.toBe(
      `configs/${HOSTILE}.yaml`,
    );
    const page = await sideBySide(['first', 'hostile']);
    await expect(
      page
        .locator(`tr[data-orchestrator="${HOSTILE.replace(/["\\]/g, '\\$&')}"]`)
        .first()
        .textContent(),
    ).resolves.toContain(HOSTILE);
    for (const p of [index, page]) {
      await expect(p.evaluate(() => (window as { pwned?: number }).pwned)).resolves.toBeUndefined();
      await expect(p.locator('img, script, iframe, object, embed').count()).resolves.toBe(0);
    }
    expect(dialogs).toEqual([]);
  });

  it('renders the hostile run’s own report.html (rebuilt by baton report) without running what its names say', async () => {
    const rebuilt = await runCli(['report', join(runs, 'hostile')]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const page = await open('/runs/hostile/report.html');
    await page.waitForSelector('body[data-ready="true"]');
    await expect(page.title()).resolves.toContain(HOSTILE);
    await expect(page.evaluate(() => (window as { pwned?: number }).pwned)).resolves.toBeUndefined();
    await expect(page.locator('img').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  // Last, over every page the tests above opened.
  it('sent no request anywhere but the viewer on 127.0.0.1, and no page script failed', () => {
    expect(requests.length).toBeGreaterThanOrEqual(10); // the ten pages the tests above opened
    for (const r of requests) expect(r.startsWith(url), r).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const finished = await stopView();
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toBe('');
  });
});
