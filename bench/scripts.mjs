// The bench:* scripts of package.json, each as the command it runs once the CLI is built (its
// `npm run build && ` prefix removed): what `npm run bench` runs one after another, and what the
// end-to-end smoke test (test/bench/benches-smoke.test.ts) runs at BENCH_SIZE=smoke, so that a new
// bench cannot be added without being run by both.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
const BUILD = /^npm run build && /;

/** @returns {{ name: string, command: string }[]} in package.json order */
export function benchScripts() {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.entries(scripts)
    .filter(([name]) => name.startsWith('bench:'))
    .map(([name, script]) => {
      if (!BUILD.test(script)) throw new Error(`${name} should start with "npm run build && ": ${script}`);
      return { name, command: script.replace(BUILD, '') };
    });
}
