import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HASHED_DIM, hashedFeaturizer } from '../../src/orchestrators/trinity/featurizer/hashed.js';
import { writeHead } from '../../src/orchestrators/trinity/head-file.js';
import { trinityOrchestrator } from '../../src/orchestrators/trinity/index.js';
import { TRINITY_ROLES } from '../../src/orchestrators/trinity/roles.js';
import { UsageError } from '../../src/util/errors.js';
import { repoRoot } from '../runner/helpers.js';
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

describe("trinity on a user's pool: the agents: map", () => {
  const trained = join(repoRoot, 'configs/heads/demo-trained.onnx');
  const slots = ['gpt5', 'claude', 'gemini', 'qwen', 'gemma', 'r1'];
  const renamed = slots.map((s) => `my-${s}`);
  // Replies depend on the head slot behind the agent, so both pools see the same outputs.
  const reply = (slotOf: (id: string) => string) => (agentId: string, meta: { role: string }) =>
    meta.role === 'verifier'
      ? slotOf(agentId) === 'gemini'
        ? 'ACCEPT'
        : 'REVISE: check the sum'
      : `${slotOf(agentId)} says \\boxed{4}`;

  it('a renamed pool mapped slot by slot makes exactly the choices the head makes on its own pool', async () => {
    const own = await trinityOrchestrator.create(options(trained, slots), {
      configDir: repoRoot,
      pool: agents(...slots),
    });
    const map = Object.fromEntries(slots.map((s, i) => [s, renamed[i] as string]));
    const mapped = await trinityOrchestrator.create(
      trinityOrchestrator.optionsSchema.parse({ id: 't', family: 'trinity', head: trained, agents: map }),
      { configDir: repoRoot, pool: agents(...renamed) },
    );
    const a = fakeContext(
      agents(...slots),
      reply((id) => id),
    );
    const b = fakeContext(
      agents(...renamed),
      reply((id) => id.replace(/^my-/, '')),
    );
    const ownSolution = await own.solve(a.ctx);
    const mappedSolution = await mapped.solve(b.ctx);
    expect(a.calls.length).toBeGreaterThan(1);
    expect(b.calls.map((c) => [c.agentId.replace(/^my-/, ''), c.meta.role])).toEqual(
      a.calls.map((c) => [c.agentId, c.meta.role]),
    );
    // The head read the same features each turn: its probabilities are identical, not just its picks.
    const basis = (meta: Record<string, unknown>) =>
      (meta.decisions as { agentProbabilities: number[]; roleProbabilities: number[] }[]).map((d) => [
        d.agentProbabilities,
        d.roleProbabilities,
      ]);
    expect(basis(mappedSolution.meta)).toEqual(basis(ownSolution.meta));
    // The calls went to the renamed pool's members, and the models saw their ids.
    expect(b.calls.every((c) => renamed.includes(c.agentId))).toBe(true);
  });

  it('refuses a list of other ids, a map missing a slot, an unknown slot or two slots on one member', async () => {
    const create = (agentsOption: unknown, pool: string[]) =>
      trinityOrchestrator.create(
        trinityOrchestrator.optionsSchema.parse({
          id: 't',
          family: 'trinity',
          head: trained,
          agents: agentsOption,
        }),
        { configDir: repoRoot, pool: agents(...pool) },
      );
    await expect(create(renamed, renamed)).rejects.toThrow(
      /was made for agents \[gpt5, claude, gemini, qwen, gemma, r1\], but the config lists \[my-gpt5.*map each head slot to a pool member: agents: \{ gpt5: <pool id>/,
    );
    const map = Object.fromEntries(slots.map((s, i) => [s, renamed[i] as string]));
    const { r1: _r1, ...withoutR1 } = map;
    await expect(create(withoutR1, renamed)).rejects.toThrow(/no pool member for head slot\(s\) r1/);
    await expect(create({ ...map, llama: 'my-r1' }, renamed)).rejects.toThrow(/the head has no slot llama/);
    await expect(create({ ...map, r1: 'my-gpt5' }, renamed)).rejects.toThrow(/my-gpt5 mapped to two slots/);
  });

  it('refuses a missing head file as bad input (UsageError: exit 2, one line)', async () => {
    await expect(
      trinityOrchestrator.create(options(join(repoRoot, 'no-such-head.onnx'), slots), {
        configDir: repoRoot,
        pool: agents(...slots),
      }),
    ).rejects.toThrow(UsageError);
    await expect(
      trinityOrchestrator.create(options(join(repoRoot, 'no-such-head.onnx'), slots), {
        configDir: repoRoot,
        pool: agents(...slots),
      }),
    ).rejects.toThrow(/head file .*no-such-head\.onnx does not exist/);
  });
});
