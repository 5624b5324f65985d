import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/types.js';
import { repoRoot } from '../runner/helpers.js';
import { runCli } from './cli-process.js';

const CHROMIUM = '/usr/bin/chromium';

/**
 * configs/demo.yaml plus a claims block, written into a mirror of the repository (symlinks) so that
 * every path in the demo config, relative to configs/, still resolves.
 */
function demoConfigWithClaims(dir: string): string {
  const mirror = join(dir, 'repo');
  mkdirSync(join(mirror, 'configs'), { recursive: true });
  for (const entry of readdirSync(repoRoot))
    if (entry !== 'configs') symlinkSync(join(repoRoot, entry), join(mirror, entry));
  for (const entry of readdirSync(join(repoRoot, 'configs')))
    symlinkSync(join(repoRoot, 'configs', entry), join(mirror, 'configs', entry));
  const file = join(mirror, 'configs', 'demo-with-claims.yaml');
  writeFileSync(
    file,
    `${readFileSync(join(repoRoot, 'configs/demo.yaml'), 'utf8')}
claims:
  - file: claims/conductor-table11.yaml
    compare:
      - { figure: trained-average, orchestrator: plan-conductor, suite: all }
      - { figure: gpt5-average, orchestrator: plan-prompted-gpt5, suite: all }
  - file: claims/fugu-ultra.yaml
    compare:
      - { figure: token-ratio, orchestrator: plan-conductor, baseline: fusion, suite: all }
`,
  );
  return file;
}

describe.skipIf(!existsSync(CHROMIUM))('report.html in headless Chromium, offline, from file://', () => {
  it('draws every chart and shows a sample trace with its steps after a click', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-html-'));
    const out = await runCli(['run', demoConfigWithClaims(dir), '--output', join(dir, 'runs'), '--quiet']);
    expect(out.code, out.stderr).toBe(0);
    const [runId] = readdirSync(join(dir, 'runs'));
    const runDir = join(dir, 'runs', runId as string);
    const report = JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
    expect(report.claims.map((c) => c.figure)).toEqual(['trained-average', 'gpt5-average', 'token-ratio']);
    for (const png of [
      'accuracy-vs-cost',
      'latency',
      'accuracy-by-category',
      'cost-by-agent',
      'cost-by-role',
    ])
      expect(statSync(join(runDir, 'charts', `${png}.png`)).size).toBeGreaterThan(10_000);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      await context.setOffline(true);
      const requested: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requested.push(url);
        return route.abort();
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(runDir, 'report.html')).href);
      await page.waitForSelector('body[data-ready="true"]');
      expect(errors).toEqual([]);
      expect(requested).toEqual([]);
      expect(await page.title()).toMatch(/^SIMULATED/);
      await expect(page.locator('[data-testid="grading"]').textContent()).resolves.toContain(
        'maths: equivalent',
      );

      // Every chart canvas has drawn pixels (not blank).
      const drawn = await page.$$eval('canvas', (canvases) =>
        canvases.map((c) => {
          const canvas = c as HTMLCanvasElement;
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
          return { id: canvas.id, painted };
        }),
      );
      expect(drawn.map((d) => d.id)).toEqual([
        'chart-accuracy-vs-cost',
        'chart-latency',
        'chart-accuracy-by-category',
        'chart-cost-by-agent',
        'chart-cost-by-role',
      ]);
      for (const d of drawn) expect(d.painted, d.id).toBeGreaterThan(2000);
      await expect(page.locator('[data-testid="claims-table"] tbody tr').count()).resolves.toBe(3);

      // Open a fusion sample: a panel, a judge and a synthesis step, with raw outputs.
      await page.selectOption('[data-testid="filter-orchestrator"]', 'fusion');
      await page.fill('[data-testid="filter-task"]', 'code');
      const first = page.locator('[data-testid="sample-list"] button').first();
      const sampleId = await first.getAttribute('data-sample');
      await first.click();
      const steps = page.locator('[data-testid="trace-step"]');
      const stepCount = await steps.count();
      expect(stepCount).toBeGreaterThanOrEqual(3);
      const headers = await steps.locator('h4').allTextContents();
      expect(headers.some((h) => h.includes('panelist'))).toBe(true);
      expect(headers.some((h) => h.includes('judge'))).toBe(true);
      await expect(page.locator('[data-testid="timeline"] .bar').count()).resolves.toBe(stepCount);
      await expect(page.locator('[data-testid="test-verdicts"] tbody tr').count()).resolves.toBeGreaterThan(
        0,
      );
      expect(await page.locator('[data-testid="trace-detail"] h3').textContent()).toBe(sampleId);

      const screenshot = join(runDir, 'report-screenshot.png');
      await page.locator('#traces').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(50_000);
      process.stdout.write(`report.html screenshot: ${screenshot}\n`);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
