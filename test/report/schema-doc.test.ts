import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/types.js';
import { repoRoot } from '../runner/helpers.js';

describe('docs/report-schema.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs/report-schema.md'), 'utf8');

  it('documents the current schema version and every top-level field of report.json', () => {
    expect(doc).toContain(`schema version ${REPORT_SCHEMA_VERSION}`);
    const report = buildReport({
      run: {
        id: 'r',
        name: 'n',
        configHash: '',
        configJson: '{}',
        configFile: '',
        createdAt: 0,
        simulated: false,
        sessions: 1,
        status: 'complete',
        planned: 0,
        environment: {},
      },
      samples: () => [],
      calls: () => [],
    });
    for (const key of Object.keys(report)) expect(doc, key).toMatch(new RegExp(`\`${key}(\\[\\]|\\.|\`)`));
  });
});
