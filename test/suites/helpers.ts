import { join } from 'node:path';
import { repoRoot } from '../runner/helpers.js';

export const fixture = (...parts: string[]) => join(repoRoot, 'test/fixtures/suites', ...parts);
export const fenced = (code: string) => `Here is my solution.\n\n\`\`\`python\n${code}\n\`\`\`\n`;
