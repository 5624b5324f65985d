import { describe, expect, it } from 'vitest';
import { parseAnalysis } from '../../src/orchestrators/fusion/analysis.js';

const analysis = {
  consensus: ['x'],
  contradictions: [{ topic: 't', stances: [{ model: 'a', stance: 's' }] }],
  partial_coverage: [],
  unique_insights: [{ model: 'b', insight: 'i' }],
  blind_spots: [],
};

describe('Fusion judge analysis', () => {
  it('accepts bare JSON and JSON in a fenced block', () => {
    expect(parseAnalysis(JSON.stringify(analysis))).toEqual(analysis);
    expect(parseAnalysis(`Here:\n\`\`\`json\n${JSON.stringify(analysis)}\n\`\`\``)).toEqual(analysis);
  });

  it('rejects prose and JSON missing the documented fields', () => {
    expect(parseAnalysis('The second answer looks best.')).toBeUndefined();
    expect(parseAnalysis(JSON.stringify({ consensus: [] }))).toBeUndefined();
  });
});
