// The CLI as one ESM bundle (plus lazily loaded chunks): `npm run build` runs this after tsc.
// Loading ~400 modules one by one cost a `baton run` ~0.2 s before its first request (the openai SDK
// alone is 154 files, zod 95); as one file the same code starts in about half the time.
// Packages on the start-up path are bundled; native, optional and lazily loaded ones stay in
// node_modules (they load as before, when used). bin/baton.js runs dist/cli-bundle/main.js; tests run
// the TypeScript sources, and the CLI tests this bundle.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const BUNDLED = new Set([
  'openai',
  'zod',
  'yaml',
  'commander',
  'p-limit',
  'cli-progress',
  'simple-statistics',
]);
const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outdir = join(root, 'dist', 'cli-bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.has(name)),
  // Bundled CommonJS packages call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __batonRequire } from 'node:module'; const require = __batonRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
