import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../runner/helpers.js';
import { skipDocker } from '../sandbox/docker-sandbox.js';

/*
 * Benchmarks that cannot rot: every bench:* script of package.json runs here at BENCH_SIZE=smoke
 * (the same code paths on seconds of work), through the command its npm script runs once built.
 * Only that it completes and prints its result lines with numbers in them is asserted, never a
 * timing: the figures themselves are `npm run bench`'s business (README, Performance).
 */

const number = String.raw`\d+(?:\.\d+)?`;

interface SmokeCase {
  /** What the smoke size runs, for the test's name. */
  size: string;
  /** Result lines the bench must print, each with its numbers. */
  lines: RegExp[];
  /** Runs only where a Docker engine answers (or fails without one under BATON_REQUIRE_DOCKER=1). */
  docker?: boolean;
}

const cases: Record<string, SmokeCase> = {
  'bench:report': {
    size: 'report over 2 000 synthetic samples',
    lines: [
      new RegExp(
        `^bench:report 2000 samples: ${number} s .*, peak RSS ${number} MB .*, ${number} files`,
        'm',
      ),
    ],
  },
  'bench:sandbox': {
    size: 'node bin/baton.js sandbox bench, 3 iterations per way',
    docker: true,
    lines: ['trivial', '20 stdin tests'].map(
      (task) =>
        new RegExp(
          `^${task}: warm pool / bare host = ${number}×; docker run / warm pool = ${number}× \\(p50\\)$`,
          'm',
        ),
    ),
  },
  'bench:runner': {
    size: 'bench:runner, 200 calls, one repeat, L = 200 and 50 ms',
    lines: [
      ...[200, 50].map(
        (l) =>
          new RegExp(`^\\| ${l} ms \\| baton run \\(trace \\+ store \\+ cache\\) \\| ${number} \\(`, 'm'),
      ),
      ...[200, 50].map(
        (l) =>
          new RegExp(
            `^L = ${l} ms: baton throughput / bare \\(default transport\\) = ${number} for the whole process.*, ${number} for the loop alone; CPU per call .* = ${number} .*replayed from the cassette.*: ${number} samples/s in the run phase`,
            'm',
          ),
      ),
    ],
  },
  'bench:grading': {
    size: 'bench:grading, 40 seeded responses per corpus, 2 passes, worst cases twice',
    lines: [
      ...['equivalent', 'hendrycks', 'aime', 'gsm8k', 'mcq', 'text'].map(
        (grader) =>
          new RegExp(`^\\| ${grader} \\| ${number} \\| ${number}–${number} \\| ${number} \\| `, 'm'),
      ),
      ...['equivalent', 'hendrycks', 'aime', 'gsm8k', 'mcq', 'text'].flatMap((grader) =>
        [
          '200 KB response ending in a box',
          '64 KB boxed answer',
          'braces nested 10 000 deep in a box',
          'unbalanced braces',
          '64 KB seeded binary garbage',
        ].map(
          (input) =>
            new RegExp(
              `^\\| ${grader} \\| ${input}.* \\| ${number} \\| ${number} \\| (?:yes|\\*\\*no\\*\\*) \\| `,
              'm',
            ),
        ),
      ),
      ...['200 KB of standalone capitals', '200 KB on one line'].map(
        (input) => new RegExp(`^\\| mcq \\| ${input}.* \\| ${number} \\| ${number} \\| `, 'm'),
      ),
      ...['equivalent', 'hendrycks', 'aime', 'gsm8k'].flatMap((grader) =>
        ['KB of boxes that agree', 'box of 30 fractions', 'polynomial in a box'].map(
          (input) => new RegExp(`^\\| ${grader} \\| .*${input}.* \\| ${number} \\| ${number} \\| `, 'm'),
        ),
      ),
      ...['equivalent', 'hendrycks', 'aime', 'gsm8k', 'mcq', 'text'].map(
        (grader) =>
          new RegExp(
            `^${grader}: ${number} answers/s \\(median of 2\\); worst case ${number} ms on .*; ${number}/${number} worst-case verdicts boolean$`,
            'm',
          ),
      ),
      /^worst cases over 50 ms: /m,
      /^worst cases without a boolean verdict: /m,
    ],
  },
};

/** package.json's bench:* scripts, each as the command it runs once built (as bench/scripts.mjs). */
function benchScripts(): { name: string; command: string }[] {
  const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return Object.entries(scripts)
    .filter(([name]) => name.startsWith('bench:'))
    .map(([name, script]) => ({ name, command: script.replace(/^npm run build && /, '') }));
}

const work = mkdtempSync(join(tmpdir(), 'baton-bench-smoke-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runSmoke(
  name: string,
  command: string,
): Promise<{ code: number | null; stdout: string; stderr: string; resultFile: string }> {
  const resultFile = join(work, `${name.replace(/\W/g, '_')}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_SIZE: 'smoke', BENCH_RESULT: resultFile };
  // Overrides of the full size would turn the smoke run into something else.
  for (const key of ['BENCH_N', 'BENCH_REPEAT', 'BENCH_C']) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: repoRoot, shell: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, resultFile }));
  });
}

describe('bench:* scripts at BENCH_SIZE=smoke (end to end, no timing asserted)', () => {
  it('every bench:* script of package.json has a smoke case here', () => {
    expect(
      benchScripts()
        .map((s) => s.name)
        .sort(),
    ).toEqual(Object.keys(cases).sort());
  });

  for (const { name, command } of benchScripts()) {
    const smoke = cases[name];
    if (!smoke) continue;
    it.skipIf(smoke.docker === true && skipDocker)(
      `${name} smoke (${smoke.size}): \`BENCH_SIZE=smoke ${command}\` completes and prints its result lines`,
      async () => {
        const out = await runSmoke(name, command);
        expect(out.code, `${command} failed:\n${out.stderr}`).toBe(0);
        const printed = smoke.lines.map((line) => {
          const match = line.exec(out.stdout);
          expect(match, `${name} printed no line like ${line}:\n${out.stdout}`).not.toBeNull();
          // The whole line (each pattern starts at a line's start).
          return out.stdout.slice((match as RegExpExecArray).index).split('\n')[0];
        });
        // The figures handed to `npm run bench`: numbers, and no target judged at this size.
        const { size, figures } = JSON.parse(readFileSync(out.resultFile, 'utf8')) as {
          size: string;
          figures: { what: string; value: number; target: string | null }[];
        };
        expect(size).toBe('smoke');
        expect(figures.length).toBeGreaterThan(0);
        for (const f of figures) {
          expect(Number.isFinite(f.value), `${f.what}: ${f.value}`).toBe(true);
          expect(f.target).toBeNull();
        }
        console.log(`${name} (smoke):\n${printed.join('\n')}`);
      },
      300_000,
    );
  }
});
