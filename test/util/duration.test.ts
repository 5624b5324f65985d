import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/util/duration.js';
import { UsageError } from '../../src/util/errors.js';

describe('parseDuration (cache prune --older-than)', () => {
  it('reads minutes, hours, days and weeks', () => {
    expect(parseDuration('90m', '--older-than')).toBe(90 * 60_000);
    expect(parseDuration('30d', '--older-than')).toBe(30 * 86_400_000);
    expect(parseDuration('2w', '--older-than')).toBe(14 * 86_400_000);
  });

  it('refuses a duration no date lies behind (a usage error, not a crash on an invalid date)', () => {
    for (const text of ['99999999999w', `${'9'.repeat(400)}d`])
      expect(() => parseDuration(text, '--older-than')).toThrow(UsageError);
  });
});
