import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { writeHtml } from '../../src/report/html/render.js';
import { facts, run, sample } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';

/** Three single agents and two pipelines over eight tasks: baselines, a Pareto front and a small sample. */
function glanceReport() {
  const orchestrators = [
    { id: 'single-a', family: 'single', cost: 0.001, right: [1, 1, 0, 0, 1, 0, 1, 0] },
    { id: 'single-b', family: 'single', cost: 0.002, right: [0, 1, 1, 0, 1, 1, 0, 0] },
    { id: 'single-c', family: 'single', cost: 0.004, right: [1, 0, 0, 1, 0, 1, 1, 1] },
    { id: 'fusion', family: 'fusion', cost: 0.02, right: [1, 1, 1, 0, 1, 1, 1, 0] },
    { id: 'vote', family: 'vote', cost: 0.006, right: [1, 1, 0, 0, 1, 1, 1, 0] },
  ];
  const tasks = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4'];
  return buildReport({
    run: {
      ...run,
      configJson: JSON.stringify({ orchestrators: orchestrators.map(({ id, family }) => ({ id, family })) }),
    },
    samples: () =>
      orchestrators.flatMap((o) =>
        tasks.map((t, i) => sample(o.id, t, o.right[i] === 1, { family: o.family, costUsd: o.cost })),
      ),
    calls: () =>
      orchestrators.flatMap((o) =>
        tasks.map((t) => ({
          ...facts(`${o.id}/s/${t}#0`, 0, 0, 400, 'openai-compatible', 'http://localhost:8000/v1'),
          agentId: o.id,
          model: `model-${o.id}`,
        })),
      ),
    taskInfo: {
      clusterOf: (s, t) => `${s}/${t}`,
      suiteVersions: {},
      grading: {},
      clusterField: null,
      note: '',
    },
  });
}

describe.skipIf(!existsSync(CHROMIUM))('report.html at a glance, in headless Chromium', () => {
  it('shows the Pareto front, the baselines, the small-sample banner and labelled chart points', async () => {
    const report = glanceReport();
    expect(report.baselines.length).toBeGreaterThan(0);
    expect(report.smallSample.small).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'baton-glance-'));
    const file = join(dir, 'report.html');
    writeHtml(file, report, []);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      await context.setOffline(true);
      // Record the text every canvas writes with a halo (strokeText): only the point-label plugin does.
      await context.addInitScript(() => {
        const w = window as unknown as {
          haloTexts: { canvas: string; text: string; x: number; y: number }[];
        };
        w.haloTexts = [];
        const stroke = CanvasRenderingContext2D.prototype.strokeText;
        CanvasRenderingContext2D.prototype.strokeText = function (text: string, x: number, y: number) {
          w.haloTexts.push({ canvas: this.canvas.id, text, x, y });
          return stroke.call(this, text, x, y);
        };
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"]');
      expect(errors).toEqual([]);

      // Pareto front: one row per orchestrator, the front marked.
      const pareto = page.locator('[data-testid="pareto-table"] tbody tr');
      await expect(pareto.count()).resolves.toBe(5);
      const paretoRows = await pareto.allTextContents();
      for (const p of report.pareto)
        expect(
          paretoRows.some((r) => r.startsWith(p.orchestrator) && r.endsWith(p.onFront ? 'yes' : 'no')),
        ).toBe(true);
      // Baselines: the oracle and the random member of the three single agents.
      const baselines = await page.locator('[data-testid="baselines-table"] tbody tr').allTextContents();
      expect(baselines).toHaveLength(1);
      const [full] = report.baselines;
      expect(baselines[0]).toContain('single-a, single-b, single-c');
      expect(baselines[0]).toContain(`${(100 * (full?.oracle ?? 0)).toFixed(1)}%`);
      expect(baselines[0]).toContain(`${(100 * (full?.random ?? 0)).toFixed(1)}%`);
      // The small-sample banner, with the n it needs and where the formula comes from.
      const banner = await page.locator('[data-testid="small-sample"]').textContent();
      expect(banner).toContain(`n ≥ ${report.smallSample.requiredItems}`);
      expect(banner).toContain('Connor (1987)');

      // Every orchestrator's point on the accuracy-vs-cost chart is labelled next to the point.
      const labels = await page.evaluate(() => {
        const w = window as unknown as {
          haloTexts: { canvas: string; text: string; x: number; y: number }[];
          Chart: {
            getChart(c: HTMLCanvasElement): {
              data: { datasets: { label: string }[] };
              getDatasetMeta(i: number): { data: { x: number; y: number }[] };
            };
          };
        };
        const canvas = document.getElementById('chart-accuracy-vs-cost') as HTMLCanvasElement;
        const chart = w.Chart.getChart(canvas);
        const points = chart.data.datasets.map((d, i) => ({
          label: d.label,
          point: chart.getDatasetMeta(i).data[0],
        }));
        return { drawn: w.haloTexts.filter((t) => t.canvas === canvas.id), points };
      });
      for (const o of ['single-a', 'single-b', 'single-c', 'fusion', 'vote']) {
        const label = labels.drawn.find((t) => t.text === o);
        const point = labels.points.find((p) => p.label === o)?.point;
        expect(label, o).toBeDefined();
        expect(point, o).toBeDefined();
        // Right (or left, near the edge) of its point, at most a few lines above or below it.
        expect(Math.abs((label?.y ?? 0) - (point?.y ?? 0)), o).toBeLessThanOrEqual(36);
        expect(Math.abs((label?.x ?? 0) - (point?.x ?? 0)), o).toBeLessThan(120);
      }
      expect(labels.drawn.some((t) => t.text.startsWith('oracle (any single agent)'))).toBe(true);
      expect(labels.drawn.some((t) => t.text.startsWith('random pool member'))).toBe(true);

      const shot = join(dir, 'glance.png');
      await page.locator('#charts').screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      process.stdout.write(`report.html charts screenshot: ${shot}\n`);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
