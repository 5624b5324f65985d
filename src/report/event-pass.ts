import { noProvenance, PROVENANCES } from '../providers/provenance.js';
import { defaultVendor } from '../providers/vendor.js';
import type { CallFacts } from '../store/reads.js';
import type { AgentProvenance, EgressRow, Report, SpendingRow, UsageRow } from './types.js';

/** What one sample's trace events add up to. */
export interface SampleTiming {
  /** Union of the calls' [start, end] intervals: parallel calls overlap. */
  criticalPathMs: number;
  /** Sum of the calls' latencies. */
  summedModelMs: number;
}

export interface EventPass {
  byAgent: UsageRow[];
  byRole: UsageRow[];
  byStep: UsageRow[];
  spending: SpendingRow[];
  egress: EgressRow[];
  vendorSets: string[][];
  sampleVendors: Record<string, number>;
  timing: Map<string, SampleTiming>;
  provenance: Omit<Report['provenance'], 'inferred'>;
}

/** The host a request went to (never a path or key). */
export function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).hostname || endpoint;
  } catch {
    // Not a URL (e.g. an SDK's default endpoint name): keep it as written.
    return endpoint;
  }
}

/**
 * One pass over the model calls (ordered by sample, then step): usage, egress, timing. Egress is
 * grouped by vendor (`vendorOfAgent`: the pool entry's declared `vendor:`; by default
 * providers/vendor.ts from the call's provider and model), then provider and host.
 */
export function aggregateCalls(
  calls: Iterable<CallFacts>,
  vendorOfAgent: (agentId: string) => string | undefined = () => undefined,
): EventPass {
  const byAgent = new UsageTable();
  const byRole = new UsageTable();
  const byStep = new UsageTable();
  const egress = new Map<string, EgressRow>();
  const vendorSetIndex = new Map<string, number>();
  const vendorSets: string[][] = [];
  const sampleVendors: Record<string, number> = {};
  const timing = new Map<string, SampleTiming>();
  const callsByProvenance = noProvenance();
  const agents = new Map<string, AgentProvenance>();
  const spending = new Map<string, SpendingRow>();

  let current: string | null = null;
  let intervals: [number, number][] = [];
  let summed = 0;
  let vendors = new Set<string>();
  const finishSample = () => {
    if (current === null) return;
    timing.set(current, { criticalPathMs: unionLength(intervals), summedModelMs: summed });
    const set = [...vendors].sort();
    const key = set.join('\u0000');
    let index = vendorSetIndex.get(key);
    if (index === undefined) {
      index = vendorSets.length;
      vendorSets.push(set);
      vendorSetIndex.set(key, index);
    }
    sampleVendors[current] = index;
  };

  for (const e of calls) {
    if (e.sampleId !== current) {
      finishSample();
      current = e.sampleId;
      intervals = [];
      summed = 0;
      vendors = new Set();
    }
    byAgent.add(e, e.agentId);
    let agent = agents.get(e.agentId);
    if (!agent) {
      agent = { agent: e.agentId, provider: e.provider, calls: noProvenance() };
      agents.set(e.agentId, agent);
    }
    agent.calls[e.provenance]++;
    callsByProvenance[e.provenance]++;
    byRole.add(e, e.role);
    byStep.add(e, String(e.step));
    let spent = spending.get(e.orchestrator);
    if (!spent) {
      spent = {
        orchestrator: e.orchestrator,
        answersUsd: 0,
        paidCalls: 0,
        spentUsd: 0,
        sharedCacheCalls: 0,
        sharedCacheUsd: 0,
      };
      spending.set(e.orchestrator, spent);
    }
    spent.answersUsd += e.cost_usd;
    if (e.shared_cache) {
      spent.sharedCacheCalls++;
      spent.sharedCacheUsd += e.cost_usd;
    } else {
      spent.paidCalls++;
      spent.spentUsd += e.cost_usd;
    }
    if (!e.cached) {
      // Cached calls took no time in this session; their original timing is not in the store.
      intervals.push([e.started_at, e.ended_at]);
      summed += e.latency_ms;
    }
    const host = hostOf(e.endpoint);
    const vendor = vendorOfAgent(e.agentId) ?? defaultVendor(e.provider, e.model);
    vendors.add(vendor);
    const id = `${e.orchestrator}\u0000${vendor}\u0000${e.provider}\u0000${host}`;
    let row = egress.get(id);
    if (!row) {
      row = {
        orchestrator: e.orchestrator,
        vendor,
        provider: e.provider,
        host,
        agents: [],
        models: [],
        calls: 0,
        cachedCalls: 0,
        samples: 0,
        inputBytes: 0,
        outputBytes: 0,
        inputTokens: 0,
        outputTokens: 0,
      };
      egress.set(id, row);
    }
    if (!sampleSeen(row, e.sampleId)) row.samples++;
    if (!row.agents.includes(e.agentId)) row.agents.push(e.agentId);
    if (!row.models.includes(e.model)) row.models.push(e.model);
    row.calls++;
    row.cachedCalls += e.cached;
    row.inputBytes += e.input_bytes;
    row.outputBytes += e.output_bytes;
    row.inputTokens += e.input_tokens;
    row.outputTokens += e.output_tokens;
  }
  finishSample();
  return {
    byAgent: byAgent.rows(),
    byRole: byRole.rows(),
    byStep: byStep.rows((a, b) => Number(a.key) - Number(b.key)),
    spending: [...spending.values()].sort((a, b) => a.orchestrator.localeCompare(b.orchestrator)),
    egress: [...egress.values()]
      .map((r) => ({ ...r, agents: r.agents.sort(), models: r.models.sort() }))
      .sort(
        (a, b) =>
          a.orchestrator.localeCompare(b.orchestrator) ||
          a.vendor.localeCompare(b.vendor) ||
          a.provider.localeCompare(b.provider) ||
          a.host.localeCompare(b.host),
      ),
    vendorSets,
    sampleVendors,
    timing,
    provenance: provenanceOfAgents(callsByProvenance, agents),
  };
}

function provenanceOfAgents(
  calls: Report['provenance']['calls'],
  byId: Map<string, AgentProvenance>,
): EventPass['provenance'] {
  const agents = [...byId.values()].sort((a, b) => a.agent.localeCompare(b.agent));
  const [live, simulated, replayed] = PROVENANCES.map((p) =>
    agents.filter((a) => a.calls[p] > 0).map((a) => a.agent),
  ) as [string[], string[], string[]];
  return { calls, agents, simulated, live, replayed };
}

/** Events arrive grouped by sample, so "new sample for this row" only needs the last one seen. */
const lastSampleOf = new WeakMap<EgressRow, string>();
function sampleSeen(row: EgressRow, sampleId: string): boolean {
  if (lastSampleOf.get(row) === sampleId) return true;
  lastSampleOf.set(row, sampleId);
  return false;
}

class UsageTable {
  private readonly table = new Map<string, UsageRow>();

  add(e: CallFacts, key: string): void {
    const id = `${e.orchestrator}\u0000${key}`;
    let row = this.table.get(id);
    if (!row) {
      row = {
        orchestrator: e.orchestrator,
        key,
        calls: 0,
        cachedCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        reasoningTokens: 0,
        costUsd: 0,
      };
      this.table.set(id, row);
    }
    row.calls++;
    row.cachedCalls += e.cached;
    row.inputTokens += e.input_tokens;
    row.outputTokens += e.output_tokens;
    row.reasoningTokens += e.reasoning_tokens;
    row.costUsd += e.cost_usd;
  }

  rows(order: (a: UsageRow, b: UsageRow) => number = (a, b) => b.costUsd - a.costUsd): UsageRow[] {
    return [...this.table.values()].sort(
      (a, b) => a.orchestrator.localeCompare(b.orchestrator) || order(a, b),
    );
  }
}

/** Total length covered by a set of intervals. */
export function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > start) total += end - start;
      start = s;
      end = e;
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}
