import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PngWriter } from '../../src/report/png.js';
import { exampleReport } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('PNG charts drawn in a worker thread', () => {
  const writers: PngWriter[] = [];
  const start = () => {
    const writer = new PngWriter();
    writers.push(writer);
    return writer;
  };
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.close()));
  });

  it('names every chart at once and writes each as a PNG once `written` settles', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'baton-png-')), 'charts');
    const { charts, written } = start().render(exampleReport(), dir);
    expect(charts.map((c) => c.file)).toContain('charts/latency.png');
    await written;
    for (const chart of charts) {
      const png = readFileSync(join(dir, '..', chart.file));
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(png.length).toBeGreaterThan(5_000);
    }
  });

  it('rejects with the failing file when a chart cannot be written, instead of hanging', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'baton-png-')), 'charts');
    // A directory where a chart's file should go: the worker's write fails with EISDIR.
    mkdirSync(join(dir, 'latency.png'), { recursive: true });
    const { written } = start().render(exampleReport(), dir);
    await expect(written).rejects.toThrow(/PNG charts: .*EISDIR.*latency\.png/s);
  });

  it('draws for successive reports with one worker', async () => {
    const writer = start();
    for (const n of [1, 2]) {
      const dir = join(mkdtempSync(join(tmpdir(), `baton-png-${n}-`)), 'charts');
      await writer.render(exampleReport(), dir).written;
      expect(readFileSync(join(dir, 'cost-by-agent.png')).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    }
  });
});
