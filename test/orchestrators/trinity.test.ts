import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HASHED_DIM, hashedFeaturizer } from '../../src/orchestrators/trinity/featurizer/hashed.js';
import { writeHead } from '../../src/orchestrators/trinity/head-file.js';
import { trinityOrchestrator } from '../../src/orchestrators/trinity/index.js';
import { TRINITY_ROLES } from '../../src/orchestrators/trinity/roles.js';
import { agents, fakeContext } from './fake-context.js';

// Offsets in the hashed featurizer's statistics block (see structure()).
const S = HASHED_DIM - 24;
const NO_TURN = S + 2;
const LAST_WORKER = S + 4;

/** A head that picks agent A as worker on the first turn, then agent B as verifier. */
function scriptedHead(dir: string, pool: string[], a: string, b: string): string {
  const outputs = pool.length + 3;
  const w = new Float32Array(HASHED_DIM * outputs);
  const set = (feature: number, output: number, v: number) => {
    w[feature * outputs + output] = v;
  };
  set(NO_TURN, pool.indexOf(a), 10);
  set(NO_TURN, pool.length + TRINITY_ROLES.indexOf('worker'), 10);
  set(LAST_WORKER, pool.indexOf(b), 10);
  set(LAST_WORKER, pool.length + TRINITY_ROLES.indexOf('verifier'), 10);
  const file = join(dir, 'scripted.onnx');
  writeHead(file, w, {
    version: 1,
    agents: pool,
    featurizer: hashedFeaturizer.name,
    dim: HASHED_DIM,
    origin: 'hand-built',
  });
  return file;
}

const options = (head: string, pool: string[]) =>
  trinityOrchestrator.optionsSchema.parse({ id: 'trinity', family: 'trinity', head, agents: pool });

describe('trinity with an ONNX head (onnxruntime-node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-head-'));
  const pool = ['alpha', 'beta', 'gamma'];

  it('follows the head: A works, B verifies, the run stops at ACCEPT and answers with the worker output', async () => {
    const head = scriptedHead(dir, pool, 'alpha', 'beta');
    const orchestrator = await trinityOrchestrator.create(options(head, pool), {
      configDir: dir,
      pool: agents(...pool),
    });
    const { ctx, calls } = fakeContext(agents(...pool), (agentId, meta) =>
      meta.role === 'verifier' ? 'ACCEPT' : `work by ${agentId}: \\boxed{4}`,
    );
    const solution = await orchestrator.solve(ctx);
    expect(calls.map((c) => [c.agentId, c.meta.role, c.meta.visibleSteps])).toEqual([
      ['alpha', 'worker', []],
      ['beta', 'verifier', [0]],
    ]);
    expect(solution.answer).toBe('work by alpha: \\boxed{4}');
    expect(solution.meta).toMatchObject({ turns: 2, accepted: true });
    // The verifier saw the worker's output, tagged with its role.
    expect(calls[1]?.messages.at(-1)?.content).toContain('<output index="0" agent="alpha" role="worker">');
  });

  it('stops after maxTurns without an ACCEPT', async () => {
    const head = scriptedHead(dir, pool, 'alpha', 'beta');
    const o = { ...options(head, pool), maxTurns: 3 };
    const orchestrator = await trinityOrchestrator.create(o, { configDir: dir, pool: agents(...pool) });
    const { ctx, calls } = fakeContext(agents(...pool), (_a, meta) =>
      meta.role === 'verifier' ? 'REVISE: wrong' : 'x',
    );
    const solution = await orchestrator.solve(ctx);
    expect(calls).toHaveLength(3);
    expect(solution.meta).toMatchObject({ turns: 3, accepted: false });
  });

  it('refuses a head made for another pool, naming both', async () => {
    const head = scriptedHead(dir, pool, 'alpha', 'beta');
    const other = ['alpha', 'gamma', 'beta'];
    await expect(
      trinityOrchestrator.create(options(head, other), { configDir: dir, pool: agents(...other) }),
    ).rejects.toThrow(/made for agents \[alpha, beta, gamma\], but the config lists \[alpha, gamma, beta\]/);
  });

  it('refuses a file that is not a baton head', async () => {
    const bogus = join(dir, 'bogus.onnx');
    (await import('node:fs')).writeFileSync(bogus, 'not onnx');
    await expect(
      trinityOrchestrator.create(options(bogus, pool), { configDir: dir, pool: agents(...pool) }),
    ).rejects.toThrow();
  });
});
