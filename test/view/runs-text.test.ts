import { describe, expect, it } from 'vitest';
import { runsText } from '../../src/cli/view-command.js';
import { listRuns } from '../../src/view/runs.js';
import { tempRoot, writeRun } from './fixtures.js';

const ESC = String.fromCharCode(0x1b);
const CSI = String.fromCharCode(0x9b);

describe('baton runs, as text on a terminal', () => {
  it('prints a handed-over store’s config path and status without its terminal control sequences', () => {
    const root = tempRoot();
    // Clears the screen, retitles the window, and moves the cursor over the row above.
    const configFile = `configs/x.yaml${ESC}[2J${ESC}]0;pwned${String.fromCharCode(7)}${CSI}1A`;
    writeRun(root, 'hostile', { configFile });
    const text = runsText(listRuns(root));
    expect(text).toContain('configs/x.yaml');
    const controls = [...text].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n' && c !== '\t') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
  });
});
