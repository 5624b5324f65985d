import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeHtml } from '../../src/report/html/render.js';
import { fourWayReport } from './decision-fixture.js';
import { sample } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 1000 };

/** RGBA pixels of a PNG (a Playwright screenshot). */
async function pixels(png: Buffer): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return {
    data: ctx.getImageData(0, 0, image.width, image.height).data,
    width: image.width,
    height: image.height,
  };
}

describe.skipIf(!existsSync(CHROMIUM))('decision summary in report.html, headless Chromium', () => {
  it('is the first thing on the page: above every other section, inside the first viewport, drawn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-decision-html-'));
    // One failed sample, so the errors-by-cause section (also at the top) is on the page too.
    const report = fourWayReport('{}', [
      sample('single-dear', 't99', null, { family: 'single', costUsd: 0.01, latencyMs: 900 }),
    ]);
    expect(report.errorCauses.length).toBeGreaterThan(0);
    const file = join(dir, 'report.html');
    writeHtml(file, report, []);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext({ viewport: VIEWPORT });
      await context.setOffline(true);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-ready="true"]');
      expect(errors).toEqual([]);

      const summary = page.locator('[data-testid="decision-summary"]');
      await expect(summary.locator('h2').textContent()).resolves.toBe(
        'Decision summary: every orchestrator vs single-cheap',
      );
      const rows = summary.locator('[data-testid="decision-table"] tbody tr');
      await expect(rows.count()).resolves.toBe(3);
      await expect(rows.first().locator('td').nth(0).textContent()).resolves.toBe('strong');
      await expect(rows.first().locator('td').nth(1).textContent()).resolves.toBe('better');

      // Geometry: the summary starts in the first screen and ends before anything else begins.
      const box = await summary.boundingBox();
      if (!box) throw new Error('decision summary not laid out');
      expect(box.y).toBeLessThan(VIEWPORT.height / 3);
      expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
      const others = await page.$$eval(
        'section:not([data-testid="decision-summary"]), nav#toc, table:not([data-testid="decision-table"]), canvas',
        (nodes) =>
          nodes.map((n) => ({
            what: `${n.tagName.toLowerCase()}#${n.id || n.getAttribute('data-testid') || ''}`,
            top: n.getBoundingClientRect().top + window.scrollY,
          })),
      );
      expect(others.map((o) => o.what)).toEqual(
        expect.arrayContaining(['section#error-causes', 'section#summary', 'section#paired', 'nav#toc']),
      );
      for (const o of others) expect(o.top, o.what).toBeGreaterThanOrEqual(box.y + box.height);

      // The pixels: a screenshot of the first viewport is not blank where the summary is — text
      // (dark pixels), its frame (#2b4c7e) and the green of a "better" verdict are drawn there.
      const shot = await page.screenshot({ fullPage: false });
      const screenshotFile = join(dir, 'decision-top.png');
      writeFileSync(screenshotFile, shot);
      const { data, width } = await pixels(shot);
      let dark = 0;
      let frame = 0;
      let green = 0;
      const [x0, x1] = [Math.floor(box.x), Math.min(width, Math.ceil(box.x + box.width))];
      const [y0, y1] = [Math.floor(box.y), Math.ceil(box.y + box.height)];
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = 4 * (y * width + x);
          const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
          if (r + g + b < 200) dark++;
          if (Math.abs(r - 0x2b) < 24 && Math.abs(g - 0x4c) < 24 && Math.abs(b - 0x7e) < 24) frame++;
          if (g > 90 && r < 60 && b < 80) green++;
        }
      }
      expect(dark).toBeGreaterThan(2_000);
      expect(frame).toBeGreaterThan(2 * (x1 - x0)); // top and bottom borders at least
      expect(green).toBeGreaterThan(20);
      // Above the summary: only the title and the banners — the same pixels are not the summary's.
      process.stdout.write(`decision summary screenshot: ${screenshotFile}\n`);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
