import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { TrainingConfig } from '../config/train-schema.js';
import type { Featurizer } from '../orchestrators/trinity/featurizer/types.js';
import { headFromBytes } from '../orchestrators/trinity/head.js';
import { encodeHead, type HeadMeta, writeHead } from '../orchestrators/trinity/head-file.js';
import {
  agentSlots,
  featurizerFor,
  type TrinityOptions,
  trinityOrchestrator,
  trinityWithHead,
} from '../orchestrators/trinity/index.js';
import type { ConfiguredOrchestrator } from '../runner/orchestrators.js';
import { runBenchmark } from '../runner/run.js';
import { loadSuites } from '../runner/setup.js';
import type { SharedCacheChoice } from '../runner/shared-cache.js';
import type { Sandbox } from '../sandbox/types.js';
import type { Scorer } from '../scoring/types.js';
import { STORE_FILE } from '../store/run-dir.js';
import { RunStore } from '../store/run-store.js';
import type { Task } from '../suites/types.js';
import { RunFault, UsageError } from '../util/errors.js';
import { mulberry32, seedFrom } from '../util/random.js';
import { type Checkpoint, type GenerationRecord, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { type ParameterLayout, parameterLayout } from './parameters.js';
import { ask, initSepCma, tell } from './sep-cma-es.js';

export interface TrainOptions {
  config: LoadedConfig;
  env: NodeJS.ProcessEnv;
  command: string;
  sandbox: Sandbox;
  scorer: Scorer;
  /** The response cache shared across runs: generations reuse answers to identical requests. */
  sharedCache?: SharedCacheChoice | undefined;
  onGeneration?: (record: GenerationRecord, total: number) => void;
  /** Head file to write (`baton train --output`); default: `training.output`, else head.onnx in the training folder. */
  headFile?: string | undefined;
  /** Replace an existing head file (`--force`); without it an existing one stops training before it starts. */
  overwrite?: boolean | undefined;
}

export interface TrainOutcome {
  head: string;
  baselineHead: string | undefined;
  curve: GenerationRecord[];
  /** What the answers of every generation cost (the checkpoint's `spentUsd`), whoever paid them. */
  spentUsd: number;
  /** Money this process sent for (earlier processes' and the response caches' answers left out). */
  paidUsd: number;
  dir: string;
}

/**
 * TRINITY's training (arXiv 2512.04695): sep-CMA-ES over the head's weights, each candidate's
 * fitness the mean binary reward on `evaluations` training tasks drawn per generation, at most
 * `maxTurns` turns. Every candidate runs as an ordinary run through the runner — cache, budget, cost
 * accounting and traces included — one run folder per generation, so training is costed like any
 * run and an interrupted generation resumes without re-paying for finished calls.
 */
export async function train(opts: TrainOptions): Promise<TrainOutcome> {
  const { config } = opts;
  const t = config.training;
  if (!t) throw new UsageError(`${config.file} has no training: section`);
  const options = trinityOrchestrator.optionsSchema.parse(
    config.orchestrators.find((o) => o.id === t.orchestrator),
  ) as TrinityOptions;
  const configDir = dirname(config.file);
  const featurizer = await featurizerFor(options.featurizer, configDir);
  // The head's slots, and the pool member trained behind each (the same ids unless an agents: map renames).
  const slots = agentSlots(options.agents);
  const layout = parameterLayout(t.parameters, featurizer.dim, slots.length);
  const suites = loadSuites(config);
  const tasks = suites.flatMap((s) => s.tasks);
  const suiteHashes = suites.map((s) => s.contentHash);
  if (tasks.length === 0) throw new UsageError('training: the suites hold no tasks');

  const dir = resolve(config.output, `${config.name}-training`);
  const head = opts.headFile ?? (t.output ? resolve(configDir, t.output) : join(dir, 'head.onnx'));
  const baselineFile = t.baseline === 'random-search' ? randomSearchHeadFile(head) : undefined;
  // Checked before any generation: a finished training must not end by refusing to write its result.
  for (const file of [head, baselineFile]) {
    if (file && !opts.overwrite && existsSync(file)) {
      throw new UsageError(
        `${file} exists: pass --force to overwrite it, or --output <file> to write elsewhere`,
      );
    }
  }
  mkdirSync(dir, { recursive: true });
  const checkpointFile = join(dir, 'checkpoint.json');
  let checkpoint: Checkpoint = readCheckpoint(checkpointFile, config.hash) ?? {
    version: 1,
    configHash: config.hash,
    generation: 0,
    state: initSepCma({
      mean: new Array(layout.size).fill(0),
      sigma: t.sigma,
      populationSize: t.population,
      seed: config.seed,
    }),
    curve: [],
    baselineBest: null,
    spentUsd: 0,
  };
  const metaFor = (origin: string): HeadMeta => ({
    version: 1,
    agents: slots.map((s) => s.slot),
    featurizer: featurizer.name,
    dim: featurizer.dim,
    origin,
  });

  let paidUsd = 0;
  while (checkpoint.generation < t.generations) {
    const g = checkpoint.generation;
    const asked = ask(checkpoint.state);
    const baseline = t.baseline === 'random-search' ? randomCandidates(layout.size, t, config.seed, g) : [];
    const generationTasks = drawTasks(tasks, t.evaluations, seedFrom(config.seed, 'tasks', g));
    const candidates = [
      ...(await Promise.all(
        asked.candidates.map((c, i) =>
          candidate(`cma-${i}`, c.x, layout, metaFor('candidate'), featurizer, options),
        ),
      )),
      ...(await Promise.all(
        baseline.map((x, i) => candidate(`rs-${i}`, x, layout, metaFor('candidate'), featurizer, options)),
      )),
    ];
    const runId = `gen-${String(g).padStart(4, '0')}`;
    const outcome = await runBenchmark({
      config: { ...config, output: dir },
      ...(existsSync(join(dir, runId, STORE_FILE)) ? { resume: runId } : { runId }),
      orchestrators: candidates,
      tasks: generationTasks,
      env: opts.env,
      command: opts.command,
      sandbox: opts.sandbox,
      scorer: opts.scorer,
      sharedCache: opts.sharedCache,
    });
    paidUsd += outcome.spentUsd;
    if (outcome.status !== 'complete') {
      throw new RunFault(`training stopped in generation ${g}: run ${outcome.runDir} is ${outcome.status}`);
    }
    const { fitness, costUsd } = readGeneration(join(outcome.runDir, STORE_FILE));
    const cma = asked.candidates.map((_, i) => fitness.get(`cma-${i}`) ?? 0);
    const rs = baseline.map((_, i) => fitness.get(`rs-${i}`) ?? 0);
    const rsBestIndex = rs.indexOf(Math.max(...rs));
    const baselineBest =
      rs.length > 0 &&
      (checkpoint.baselineBest === null || (rs[rsBestIndex] as number) > checkpoint.baselineBest.fitness)
        ? { fitness: rs[rsBestIndex] as number, params: baseline[rsBestIndex] as number[] }
        : checkpoint.baselineBest;
    const record: GenerationRecord = {
      generation: g,
      best: Math.max(...cma),
      mean: mean(cma),
      baselineBest: rs.length > 0 ? Math.max(...rs) : null,
      baselineMean: rs.length > 0 ? mean(rs) : null,
      spentUsd: costUsd,
    };
    checkpoint = {
      ...checkpoint,
      generation: g + 1,
      state: tell(
        asked.state,
        asked.candidates,
        cma.map((f) => -f),
      ),
      curve: [...checkpoint.curve, record],
      baselineBest,
      spentUsd: checkpoint.spentUsd + costUsd,
    };
    writeCheckpoint(checkpointFile, checkpoint);
    opts.onGeneration?.(record, t.generations);
  }

  const training = {
    command: opts.command,
    date: new Date().toISOString(),
    suiteHashes,
    tasks: tasks.length,
    generations: t.generations,
    population: t.population,
    evaluations: t.evaluations,
    sigma: t.sigma,
    parameters: t.parameters,
    seed: config.seed,
    spentUsd: checkpoint.spentUsd,
    simulated: config.pool.some((a) => a.provider === 'sim'),
    curve: checkpoint.curve,
  };
  // Which pool the weights learned: a head trained on the simulated pool is flagged when it drives live agents.
  const trainedOn = {
    simulated: training.simulated,
    models: Object.fromEntries(
      slots.map(({ slot, agentId }) => {
        const member = config.pool.find((a) => a.id === agentId);
        return [slot, member ? `${member.provider} ${member.model}` : agentId];
      }),
    ),
  };
  mkdirSync(dirname(head), { recursive: true });
  writeHead(head, layout.weights(checkpoint.state.mean), {
    ...metaFor('sep-cma-es'),
    training,
    trainedOn,
  });
  let baselineHead: string | undefined;
  if (checkpoint.baselineBest && baselineFile) {
    baselineHead = baselineFile;
    writeHead(baselineHead, layout.weights(checkpoint.baselineBest.params), {
      ...metaFor('random-search'),
      trainedOn,
      training: { ...training, bestFitness: checkpoint.baselineBest.fitness },
    });
  }
  return { head, baselineHead, curve: checkpoint.curve, spentUsd: checkpoint.spentUsd, paidUsd, dir };
}

async function candidate(
  id: string,
  params: readonly number[],
  layout: ParameterLayout,
  meta: HeadMeta,
  featurizer: Featurizer,
  options: TrinityOptions,
): Promise<ConfiguredOrchestrator> {
  const head = await headFromBytes(encodeHead(layout.weights(params), meta), id);
  const agents = agentSlots(options.agents).map((s) => s.agentId);
  return { id, family: 'trinity', orchestrator: trinityWithHead(head, featurizer, { ...options, agents }) };
}

/** Random search: λ independent draws from the search's starting distribution, N(0, σ²·I). */
function randomCandidates(size: number, t: TrainingConfig, seed: number, generation: number): number[][] {
  const random = mulberry32(seedFrom(seed, 'random-search', generation));
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: t.population }, () => Array.from({ length: size }, () => t.sigma * normal()));
}

/** The generation's tasks: a seeded draw without replacement (all tasks when there are fewer). */
function drawTasks(tasks: readonly Task[], count: number, seed: number): Task[] {
  const random = mulberry32(seed);
  const shuffled = [...tasks];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as Task, shuffled[i] as Task];
  }
  return shuffled.slice(0, Math.min(count, shuffled.length));
}

/**
 * Mean binary reward per candidate (a sample that failed — a provider error — earns 0, like a wrong
 * answer) and what the generation's samples cost, read from its store: the same whether the
 * generation ran in one go or was resumed after a crash.
 */
function readGeneration(storeFile: string): { fitness: Map<string, number>; costUsd: number } {
  const store = new RunStore(storeFile);
  try {
    const totals = new Map<string, { correct: number; n: number }>();
    let costUsd = 0;
    for (const s of store.samples()) {
      costUsd += s.costUsd;
      const row = totals.get(s.orchestrator) ?? { correct: 0, n: 0 };
      row.n++;
      if (s.correct) row.correct++;
      totals.set(s.orchestrator, row);
    }
    return { fitness: new Map([...totals].map(([id, r]) => [id, r.correct / r.n])), costUsd };
  } finally {
    store.close();
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The random-search baseline's head, written beside the trained one. */
function randomSearchHeadFile(head: string): string {
  return `${head.replace(/\.onnx$/, '')}.random-search.onnx`;
}
