import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot } from '../runner/helpers.js';
import { skipDocker } from '../sandbox/docker-sandbox.js';
import { runCli } from './cli-process.js';

/** A suite of each kind with one broken answer key each, written the way a user writes them. */
function writeSuites(dir: string, broken: boolean): void {
  const code = {
    suite: 'mine-code',
    version: 1,
    kind: 'code',
    tasks: [
      {
        id: 'code-double',
        prompt: 'Read n and print 2n.',
        tests: {
          style: 'stdin',
          cases: [
            { input: '3\n', output: '6\n' },
            { input: '-4\n', output: '-8\n' },
          ],
        },
        reference: 'print(2 * int(input()))',
        distractors: ['print(int(input()) + 2)'],
      },
      {
        id: 'code-sum',
        prompt: 'Write add(a, b).',
        tests: {
          style: 'call',
          functionName: 'add',
          cases: [
            { args: [1, 2], expected: 3 },
            { args: [-5, 5], expected: 0 },
          ],
        },
        // The broken reference subtracts: it fails the first case.
        reference: broken ? 'def add(a, b):\n    return a - b\n' : 'def add(a, b):\n    return a + b\n',
        distractors: ['def add(a, b):\n    return a * b\n'],
      },
    ],
  };
  const math = {
    suite: 'mine-math',
    version: 1,
    kind: 'math',
    tasks: [
      {
        id: 'math-half',
        prompt: 'What is 1/2 + 0?',
        answer: '\\frac{1}{2}',
        equivalents: ['0.5'],
        distractors: ['2'],
      },
      // `\sqrtt` is no LaTeX command: the maths engine cannot read the key, so only its exact text would count.
      {
        id: 'math-root',
        prompt: 'What is the square root of 12?',
        answer: broken ? '2\\sqrtt{3}' : '2\\sqrt{3}',
      },
    ],
  };
  const mcq = {
    suite: 'mine-mcq',
    version: 1,
    kind: 'mcq',
    tasks: [
      { id: 'mcq-first', question: 'Which is first?', choices: ['one', 'two', 'three'], answer: 'A' },
      {
        id: 'mcq-last',
        question: 'Which is last?',
        choices: ['one', 'two', 'three'],
        answer: broken ? 'D' : 'C',
      },
    ],
  };
  writeFileSync(join(dir, 'code.yaml'), stringify(code));
  writeFileSync(join(dir, 'math.yaml'), stringify(math));
  writeFileSync(join(dir, 'mcq.yaml'), stringify(mcq));
}

function writeConfig(dir: string, sandbox: 'local' | 'docker'): string {
  const file = join(dir, 'run.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'mine',
      scoring: { sandbox },
      suites: [{ path: 'code.yaml' }, { path: 'math.yaml' }, { path: 'mcq.yaml' }],
      pool: [{ id: 'a', provider: 'sim', model: 'sim/a', sim: { skill: { default: 0.5 } } }],
      orchestrators: [{ id: 'single-a', family: 'single', agent: 'a' }],
    }),
  );
  return file;
}

interface VerifiedSuite {
  name: string;
  skipped: { field: string; message: string }[];
  answerKeys: {
    findings: { taskId: string; what: string; verdict: string }[];
    codeRuns: number;
    isolation: string | null;
  };
}

describe.each([
  ['local', false],
  ['docker', skipDocker],
] as const)('baton suites verify, code in the %s sandbox', (sandbox, skip) => {
  it.skipIf(skip)(
    'lists exactly the broken reference, the unreadable maths key and the MCQ key beyond its choices (exit 2), then passes once fixed',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'baton-verify-'));
      const config = writeConfig(dir, sandbox);
      writeSuites(dir, true);

      // The text output once (Docker's start-up is slow); the JSON in each sandbox.
      if (sandbox === 'local') {
        const text = await runCli(['suites', 'verify', config]);
        expect(text.code, text.stderr).toBe(2);
        expect(text.stdout).toMatch(/code-sum: reference solution: wrong_answer on test 1 of 2/);
        expect(text.stdout).toMatch(/math-root: answer key: compared as text only/);
        expect(text.stdout).toMatch(
          /mcq\.yaml:\d+:\d+: tasks\[1\]\.answer: answer letter is beyond the last choice \(task mcq-last\)/,
        );
      }

      const json = await runCli(['suites', 'verify', config, '--json']);
      expect(json.code, json.stderr).toBe(2);
      expect(json.stderr).toMatch(
        sandbox === 'docker' ? /code answers run in Docker/ : /NOT an isolation boundary/,
      );
      const suites = JSON.parse(json.stdout) as VerifiedSuite[];
      const listed = suites.flatMap((s) => [
        ...s.answerKeys.findings.map((f) => `${s.name}/${f.taskId}: ${f.what}`),
        ...s.skipped.map((p) => `${s.name}: ${p.field}: ${p.message}`),
      ]);
      expect(listed.sort()).toEqual([
        'mine-code/code-sum: reference solution',
        'mine-math/math-root: answer key',
        'mine-mcq: tasks[1].answer: answer letter is beyond the last choice (task mcq-last)',
      ]);
      // Both references and both wrong solutions ran, in the sandbox the config names.
      const code = suites.find((s) => s.name === 'mine-code');
      expect(code?.answerKeys).toMatchObject({
        codeRuns: 4,
        isolation: sandbox === 'docker' ? 'docker' : 'none',
      });

      writeSuites(dir, false);
      const fixed = await runCli(['suites', 'verify', config]);
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(fixed.stdout).toMatch(/mine-code \(baton\): 2 tasks/);
      expect(fixed.stdout).toMatch(/answer keys: 0 problem\(s\); 4 reference and wrong solutions run/);
    },
  );
});

describe('baton suites verify --no-run', () => {
  it('checks maths and MCQ keys without executing any code, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-verify-norun-'));
    writeSuites(dir, true);
    const out = await runCli(['suites', 'verify', join(dir, 'code.yaml'), '--no-run', '--sandbox', 'docker']);
    // No engine is needed: nothing runs, so the broken reference goes unnoticed and the suite is clean.
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/answer keys: 0 problem\(s\); 2 code task\(s\) not run \(--no-run\)/);
    expect(out.stderr).not.toMatch(/code answers run/);
  });
});

describe('baton schema --suite', () => {
  it('prints the JSON Schema of suite files, the same as the committed suites/baton-suite.schema.json', async () => {
    const out = await runCli(['schema', '--suite']);
    expect(out.code, out.stderr).toBe(0);
    const printed = JSON.parse(out.stdout) as { title: string; oneOf: unknown[] };
    expect(printed).toEqual(
      JSON.parse(readFileSync(join(repoRoot, 'suites/baton-suite.schema.json'), 'utf8')),
    );
    expect(printed.title).toBe('baton suite');
    expect(printed.oneOf).toHaveLength(3);
    const refused = await runCli(['schema', '--suite', '--config', 'configs/demo.yaml']);
    expect(refused.code).toBe(2);
  });
});

describe('baton suites verify on the docs', () => {
  it("passes on docs/suites.md's code example, running its solutions in the sandbox (all examples: test/suites/suites-doc-examples.test.ts)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-verify-docs-'));
    const doc = readFileSync(join(repoRoot, 'docs/suites.md'), 'utf8');
    const examples = [...doc.matchAll(/<!-- suite example: (\w+) -->\n```yaml\n([\s\S]*?)\n```/g)];
    expect(examples).toHaveLength(3);
    for (const [, kind, text] of examples.filter(([, kind]) => kind === 'code')) {
      const file = join(dir, `${kind}.yaml`);
      writeFileSync(file, `${text}\n`);
      const out = await runCli(['suites', 'verify', file, '--sandbox', 'local']);
      expect(out.code, `${kind}: ${out.stdout}${out.stderr}`).toBe(0);
      expect(out.stdout).toMatch(
        /answer keys: 0 problem\(s\); \d+ (?:reference and wrong solutions run|maths\/MCQ keys graded)/,
      );
    }
  });
});

describe('baton suites verify never runs suite code on the host when the config says docker', () => {
  it('fails with one error line when no engine answers, running nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-verify-nodocker-'));
    writeSuites(dir, false);
    const out = await runCli(['suites', 'verify', writeConfig(dir, 'docker')], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^error: scoring\.sandbox is docker, but no Docker engine answers/m);
    expect(out.stderr).not.toMatch(/local driver|solutions run/);
    expect(out.stdout).toBe('');
  });
});
