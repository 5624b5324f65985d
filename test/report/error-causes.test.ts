import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { errorCauseLines, errorCausesHtml } from '../../src/report/error-causes.js';
import { renderMarkdown, resultsTable } from '../../src/report/markdown.js';
import type { Report } from '../../src/report/types.js';
import { run, sample } from './fixtures.js';

/** One orchestrator, 8 samples planned 10: 1 right, 1 wrong, 6 failed for three causes. */
function reportWithErrors(): Report {
  const failed = (id: string, errorCode: string, errorCause?: string) =>
    sample('A', id, null, { errorCode, ...(errorCause ? { errorCause } : {}) });
  const samples = [
    sample('A', 'a1', true),
    sample('A', 'a2', false),
    failed('b1', 'call_failed:auth', 'call_failed:auth'),
    failed('b2', 'all_panels_failed', 'call_failed:auth'),
    failed('b3', 'call_failed:auth', 'call_failed:auth'),
    failed('b4', 'call_failed:network', 'network'),
    failed('b5', 'scoring_failed', 'sandbox'),
    // Stored before causes were: derived from its code.
    failed('b6', 'call_failed:network'),
  ];
  const messages: Record<string, string> = {
    'A/s/b1#0':
      'auth: HTTP 401: invalid api key | see docs — openai-compatible at http://127.0.0.1:18080/v1 (agent gpt)',
    'A/s/b4#0': 'network: connect ECONNREFUSED 127.0.0.1:18080\n    at TCPConnectWrap (node:net)',
    'A/s/b5#0': 'baton harness: <died>',
  };
  return buildReport({
    run: { ...run, planned: 10 },
    samples: () => samples,
    calls: () => [],
    errorMessage: (id) => messages[id] ?? null,
    taskInfo: {
      clusterOf: (s, t) => `${s}/${t}`,
      suiteVersions: {},
      grading: {},
      clusterField: null,
      note: '',
    },
  });
}

describe('errors by cause in reports', () => {
  it('groups failed samples by root cause, most frequent first, with the first sample’s message as example', () => {
    const report = reportWithErrors();
    expect(report.errorCauses).toEqual([
      {
        cause: 'call_failed:auth',
        count: 3,
        sampleId: 'A/s/b1#0',
        example:
          'auth: HTTP 401: invalid api key | see docs — openai-compatible at http://127.0.0.1:18080/v1 (agent gpt)',
      },
      {
        cause: 'network',
        count: 2,
        sampleId: 'A/s/b4#0',
        example: 'network: connect ECONNREFUSED 127.0.0.1:18080',
      },
      { cause: 'sandbox', count: 1, sampleId: 'A/s/b5#0', example: 'baton harness: <died>' },
    ]);
    expect(errorCauseLines(report)[0]).toBe(
      'call_failed:auth ×3 — auth: HTTP 401: invalid api key | see docs — openai-compatible at http://127.0.0.1:18080/v1 (agent gpt)',
    );
  });

  it('report.md opens with the same table, before the results, and says which samples were not run', () => {
    const md = renderMarkdown(reportWithErrors());
    const section = md.indexOf('## Errors by cause');
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(md.indexOf('## Results'));
    expect(md).toContain(
      '6 of 8 recorded samples failed (75.0%); 2 of 10 planned samples were not run (not counted as errors).',
    );
    expect(md).toContain('| call_failed:auth | 3 | auth: HTTP 401: invalid api key \\| see docs');
    expect(md).toContain('| network | 2 | network: connect ECONNREFUSED 127.0.0.1:18080 |');
  });

  it('report.html shows it in the page header, escaped', () => {
    const html = errorCausesHtml(reportWithErrors());
    expect(html).toContain('data-testid="error-causes"');
    expect(html).toContain('<td>sandbox</td><td class="num">1</td><td>baton harness: &lt;died&gt;</td>');
  });

  it('no section when nothing failed', () => {
    const report = buildReport({
      run,
      samples: () => [sample('A', 'a1', true)],
      calls: () => [],
      taskInfo: {
        clusterOf: (s, t) => `${s}/${t}`,
        suiteVersions: {},
        grading: {},
        clusterField: null,
        note: '',
      },
    });
    expect(report.errorCauses).toEqual([]);
    expect(renderMarkdown(report)).not.toContain('## Errors by cause');
    expect(errorCausesHtml(report)).toBe('');
  });
});

describe('results table denominators', () => {
  it('n counts failed samples and accuracy is over all of them; scored accuracy and its CI stay over scored ones', () => {
    const report = reportWithErrors();
    const row = report.rows[0];
    // report.json keeps its meaning: accuracy over scored samples.
    expect(row).toMatchObject({ samples: 8, scored: 2, errors: 6, correct: 1, accuracy: 0.5 });
    const [header, , line] = resultsTable(report).split('\n');
    const cells = (l: string | undefined) => (l ?? '').split('|').map((c) => c.trim());
    const at = (name: string) => cells(header).indexOf(name);
    expect(cells(line)[at('n')]).toBe('8');
    expect(cells(line)[at('errors')]).toBe('6');
    expect(cells(line)[at('accuracy')]).toBe('12.5%');
    expect(cells(line)[at('scored accuracy')]).toBe('50.0%');
    expect(at('95% CI (scored)')).toBeGreaterThan(0);
    expect(resultsTable(report)).toContain('accuracy: correct / n (a failed sample counts as not solved)');
  });
});
