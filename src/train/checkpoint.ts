import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../util/errors.js';
import type { SepCmaState } from './sep-cma-es.js';

export interface GenerationRecord {
  generation: number;
  /** Best and mean fitness (mean reward) of the sep-CMA-ES candidates. */
  best: number;
  mean: number;
  /** The same for the random-search baseline, on the same tasks. */
  baselineBest: number | null;
  baselineMean: number | null;
  /**
   * USD the generation's samples cost (both searches), as recorded in its store: answers served from
   * the response cache shared across runs count at their cost, so the curve does not depend on what
   * the cache held (TrainOutcome.paidUsd is the money a process sent).
   */
  spentUsd: number;
}

export interface Checkpoint {
  version: 1;
  configHash: string;
  /** The next generation to run. */
  generation: number;
  state: SepCmaState;
  curve: GenerationRecord[];
  baselineBest: { fitness: number; params: number[] } | null;
  spentUsd: number;
}

const checkpointSchema = z.object({ version: z.literal(1), configHash: z.string() }).passthrough();

export function readCheckpoint(file: string, configHash: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const parsed = checkpointSchema.parse(value);
  if (parsed.configHash !== configHash) {
    throw new UsageError(
      `${file} belongs to another training config (hash ${parsed.configHash}); move it away to start over`,
    );
  }
  return value as Checkpoint;
}

/** Written to a temporary file and renamed: a crash never leaves half a checkpoint. */
export function writeCheckpoint(file: string, checkpoint: Checkpoint): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(checkpoint));
  renameSync(`${file}.tmp`, file);
}
