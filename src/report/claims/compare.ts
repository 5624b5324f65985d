import { dirname, resolve } from 'node:path';
import { InputError, UsageError } from '../../util/errors.js';
import { loadYamlFile } from '../../util/yaml.js';
import type { StoredConfig } from '../run-config.js';
import type { AccuracyRow, ClaimRow } from '../types.js';
import { type ClaimFigure, type ClaimFile, claimFileSchema } from './schema.js';

export interface ClaimContext {
  config: StoredConfig;
  /** Each row says whether it used a simulated agent: a claim compared against one says so. */
  rows: AccuracyRow[];
  suiteVersions: Record<string, string | number | null>;
}

/** Reads a claim file, reporting problems as file:line:col and field. */
export function loadClaimFile(file: string): ClaimFile {
  return loadYamlFile(file, claimFileSchema);
}

/** Claimed vs measured for every figure the run config points at. */
export function compareClaims(ctx: ClaimContext): ClaimRow[] {
  const base = ctx.config.file ? dirname(ctx.config.file) : process.cwd();
  const out: ClaimRow[] = [];
  for (const ref of ctx.config.claims) {
    const path = resolve(base, ref.file);
    let claim: ClaimFile | null = null;
    let problem: string | null = null;
    try {
      claim = loadClaimFile(path);
    } catch (err) {
      if (!(err instanceof InputError || err instanceof UsageError)) throw err;
      problem = err.message;
    }
    for (const cmp of ref.compare) {
      const figure = claim?.figures.find((f) => f.id === cmp.figure);
      if (!claim || !figure) {
        out.push(unresolved(ref.file, cmp, problem ?? `no figure '${cmp.figure}' in ${ref.file}`));
        continue;
      }
      out.push(compareFigure(ctx, claim, figure, cmp));
    }
  }
  return out;
}

function compareFigure(
  ctx: ClaimContext,
  claim: ClaimFile,
  figure: ClaimFigure,
  cmp: { orchestrator: string; suite: string; baseline?: string | undefined },
): ClaimRow {
  const row = ctx.rows.find((r) => r.orchestrator === cmp.orchestrator && r.suite === cmp.suite);
  const claimed = figure.metric === 'accuracy' ? figure.value / 100 : figure.value;
  let measured: number | null = null;
  let ci95: ClaimRow['ci95'] = null;
  let problem: string | null = null;
  // The figures compared: the measured row, and for a ratio its baseline row too.
  const compared: AccuracyRow[] = row ? [row] : [];
  if (!row) problem = `no measured row for orchestrator '${cmp.orchestrator}' on suite '${cmp.suite}'`;
  else if (figure.metric === 'accuracy') {
    measured = row.accuracy;
    ci95 = row.ci95;
  } else {
    const baseline = ctx.rows.find((r) => r.orchestrator === cmp.baseline && r.suite === cmp.suite);
    if (!baseline) problem = `token-ratio needs 'baseline': an orchestrator measured on '${cmp.suite}'`;
    else {
      compared.push(baseline);
      const tokens = (r: AccuracyRow) => r.tokensPerTask.input + r.tokensPerTask.output;
      measured = tokens(baseline) > 0 ? tokens(row) / tokens(baseline) : null;
    }
  }
  const insideCi = ci95 === null ? null : ci95.low <= claimed && claimed <= ci95.high;
  return {
    claim: claim.id,
    figure: figure.id,
    system: figure.system,
    benchmark: figure.benchmark,
    source: {
      title: claim.source.title,
      arxiv: claim.source.arxiv ?? null,
      url: claim.source.url ?? null,
      location: claim.source.location ?? null,
    },
    metric: figure.metric,
    claimed,
    approximate: figure.approximate,
    orchestrator: cmp.orchestrator,
    suite: cmp.suite,
    baseline: cmp.baseline ?? null,
    measured,
    ci95,
    gap: measured === null ? null : measured - claimed,
    insideCi,
    comparability: comparability(
      ctx,
      claim,
      figure,
      cmp.suite,
      compared.some((r) => r.simulated),
    ),
    problem,
  };
}

const modelName = (m: string) => m.toLowerCase().replace(/^.*\//, '');

function comparability(
  ctx: ClaimContext,
  claim: ClaimFile,
  figure: ClaimFigure,
  suite: string,
  simulated: boolean,
): ClaimRow['comparability'] {
  const ours = new Set(ctx.config.pool.map((a) => modelName(a.model)));
  const theirs = claim.setup.pool.map(modelName);
  const shared = theirs.filter((m) => ours.has(m));
  let pool: ClaimRow['comparability']['pool'] = 'unknown';
  let poolDetail = 'the source does not publish its pool';
  if (theirs.length > 0) {
    pool =
      shared.length === theirs.length && ours.size === theirs.length
        ? 'same'
        : shared.length > 0
          ? 'partial'
          : 'different';
    const missing = theirs.filter((m) => !ours.has(m));
    poolDetail = `${shared.length} of ${theirs.length} source models in our pool${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''}`;
  }
  if (simulated) poolDetail = `simulated stand-ins, not the models themselves (${poolDetail})`;
  const version = suite === 'all' ? null : (ctx.suiteVersions[suite] ?? null);
  const suiteText =
    suite === 'all'
      ? `all of this run's suites pooled (${Object.keys(ctx.suiteVersions).join(', ') || 'unknown'}) vs ${figure.benchmark}`
      : `suite '${suite}'${version === null ? '' : ` v${version}`} vs ${figure.benchmark}${figure.suiteVersion === undefined ? '' : ` (${figure.suiteVersion})`}`;
  const verdict =
    simulated || pool === 'different'
      ? 'not comparable'
      : pool === 'same'
        ? 'comparable'
        : 'partly comparable';
  return { simulated, pool, poolDetail, suite: suiteText, verdict };
}

function unresolved(
  file: string,
  cmp: { figure: string; orchestrator: string; suite: string },
  problem: string,
): ClaimRow {
  return {
    claim: file,
    figure: cmp.figure,
    system: '',
    benchmark: '',
    source: { title: '', arxiv: null, url: null, location: null },
    metric: 'accuracy',
    claimed: null,
    approximate: false,
    orchestrator: cmp.orchestrator,
    suite: cmp.suite,
    baseline: null,
    measured: null,
    ci95: null,
    gap: null,
    insideCi: null,
    comparability: {
      simulated: false,
      pool: 'unknown',
      poolDetail: '',
      suite: '',
      verdict: 'not comparable',
    },
    problem,
  };
}
