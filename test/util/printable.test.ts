import { describe, expect, it } from 'vitest';
import { printable } from '../../src/util/printable.js';

describe('printable', () => {
  it('shows terminal control sequences as escapes, keeping lines, tabs and any other text', () => {
    expect(printable('\u0000got: \u001b[2J\u001b]0;pwned\u0007\r\u009b31m')).toBe(
      '\\u0000got: \\u001b[2J\\u001b]0;pwned\\u0007\\u000d\\u009b31m',
    );
    expect(printable('a\tb\nc – √2 ✓')).toBe('a\tb\nc – √2 ✓');
  });
});
