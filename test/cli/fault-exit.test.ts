import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { writeGeneratedMcqSuite } from '../runner/fault-run.js';
import { type Finished, runCli } from './cli-process.js';

// Faults that stop a command, as a real process: a run that cannot go on (RunFault) and a sandbox that
// does not work (SandboxError) exit 2, documented, with one `error:` line and no stack trace.

function expectOneErrorLine(out: Finished, pattern: RegExp): void {
  expect(out.code, out.stderr).toBe(2);
  const errors = out.stderr.split('\n').filter((l) => l.startsWith('error:'));
  expect(errors, out.stderr).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(out.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('a fault that stops a command', () => {
  it('a replay that meets a request its cassette lacks stops the run: exit 2, one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-fault-exit-'));
    const file = join(dir, 'run.yaml');
    writeFileSync(
      file,
      stringify({
        name: 'fault',
        seed: 1,
        output: join(dir, 'runs'),
        scoring: { sandbox: 'local' },
        pool: [
          {
            id: 'gpt',
            provider: 'openai-compatible',
            baseUrl: 'http://127.0.0.1:9/v1',
            apiKeyEnv: 'BATON_TEST_KEY',
            model: 'openai/gpt-5',
            price: { input: 1.25, output: 10 },
          },
        ],
        orchestrators: [{ id: 'single-gpt', family: 'single', agent: 'gpt' }],
        suites: [{ path: writeGeneratedMcqSuite(dir, 2) }],
      }),
    );
    // A cassette that holds no call: the first request of the run is a miss.
    const cassette = join(dir, 'empty.cassette.jsonl');
    writeFileSync(cassette, '');
    const out = await runCli(['run', file, '--quiet', '--replay', cassette]);
    expectOneErrorLine(
      out,
      /^error: cassette .*empty\.cassette\.jsonl has no entry for request [0-9a-f]{64} \(agent gpt/,
    );
  }, 60_000);

  it('a sandbox command without a Docker engine: exit 2, one line', async () => {
    const out = await runCli(['sandbox', 'prune'], {
      DOCKER_HOST: 'unix:///nonexistent/baton-test-docker.sock',
    });
    expectOneErrorLine(out, /^error: no Docker engine answers \(.*nonexistent\/baton-test-docker\.sock/);
  }, 30_000);
});
