import { describe, expect, it } from 'vitest';
import { EARLY_STOP_CALLS, FailingEndpointWatch } from '../../src/runner/failing-endpoint.js';
import { causeOfCode, exampleLine, sampleFailure } from '../../src/store/error-causes.js';
import type { CallEvent } from '../../src/store/records.js';

/** A traced call: `outcome` 'ok' or the kind of its last failed attempt; `attempts: 0` = refused unsent. */
function call(
  outcome: string,
  opts: { endpoint?: string; provider?: string; cached?: boolean; attempts?: number; step?: number } = {},
): CallEvent {
  const attempts = opts.attempts ?? 1;
  const message = outcome === 'auth' ? 'HTTP 401: invalid api key' : 'connect ECONNREFUSED 127.0.0.1:9';
  return {
    kind: 'call',
    sampleId: 's',
    step: opts.step ?? 0,
    agentId: 'gpt',
    provider: opts.provider ?? 'openai-compatible',
    endpoint: opts.endpoint ?? 'http://127.0.0.1:9/v1',
    cached: opts.cached ?? false,
    attempts,
    attemptLog: Array.from({ length: attempts }, (_, i) => ({
      attempt: i + 1,
      outcome,
      usage: null,
      costUsd: 0,
      latencyMs: 1,
      waitMs: 0,
      concurrencyLimit: 4,
    })),
    error: outcome === 'ok' ? null : `${outcome}: ${message}`,
  } as CallEvent;
}

describe('error causes', () => {
  it('a call failure is grouped by the kind of the call that failed and names where it went', () => {
    const failed = call('auth');
    const f = sampleFailure('call_failed:auth', 'auth: HTTP 401: invalid api key', [failed], {
      failedCall: failed,
      codeTask: false,
    });
    expect(f.cause).toBe('call_failed:auth');
    expect(f.message).toBe(
      'auth: HTTP 401: invalid api key — openai-compatible at http://127.0.0.1:9/v1 (agent gpt)',
    );
    expect(sampleFailure('call_failed:network', 'x', [call('network')], { codeTask: false }).cause).toBe(
      'network',
    );
  });

  it('an orchestrator whose calls all failed takes the cause of its first failed call; other codes stay', () => {
    const trace = [call('ok', { step: 0 }), call('network', { step: 1 }), call('auth', { step: 2 })];
    const panels = sampleFailure('all_panels_failed', 'every panel call failed', trace, { codeTask: false });
    expect(panels.cause).toBe('network');
    expect(panels.message).toMatch(
      /^every panel call failed; first failed call: network: connect ECONNREFUSED/,
    );
    // A judge that answered badly is not explained by an earlier failed panelist.
    expect(sampleFailure('judge_not_valid_json', 'judge said no JSON', trace, { codeTask: false })).toEqual({
      cause: 'judge_not_valid_json',
      message: 'judge said no JSON',
    });
  });

  it('scoring failures are sandbox failures on code tasks; internal errors are internal', () => {
    expect(sampleFailure('scoring_failed', 'harness died', [], { codeTask: true }).cause).toBe('sandbox');
    expect(sampleFailure('scoring_failed', 'bad regex', [], { codeTask: false }).cause).toBe('scoring');
    expect(sampleFailure('internal_error', 'TypeError', [], { codeTask: false }).cause).toBe('internal');
  });

  it('stored codes of older samples map to the same causes', () => {
    expect(causeOfCode('call_failed:network')).toBe('network');
    expect(causeOfCode('call_failed:rate_limit')).toBe('call_failed:rate_limit');
    expect(causeOfCode('scoring_failed')).toBe('scoring');
    expect(causeOfCode('internal_error')).toBe('internal');
    expect(causeOfCode('too_few_panels')).toBe('too_few_panels');
    expect(causeOfCode(null)).toBe('unknown');
  });

  it('examples are one line of bounded length', () => {
    expect(exampleLine('first line\n    at stack (x.js:1)')).toBe('first line');
    expect(exampleLine('y'.repeat(500))).toHaveLength(240);
  });
});

describe('failing endpoint watch', () => {
  it(`trips when the first ${EARLY_STOP_CALLS} calls to one endpoint all fail with auth or connection errors`, () => {
    const watch = new FailingEndpointWatch();
    for (let i = 0; i < EARLY_STOP_CALLS - 1; i++)
      expect(watch.observe([call(i % 2 ? 'auth' : 'network')])).toBeUndefined();
    const failing = watch.observe([call('auth')]);
    expect(failing).toMatchObject({
      provider: 'openai-compatible',
      endpoint: 'http://127.0.0.1:9/v1',
      calls: EARLY_STOP_CALLS,
      causes: { network: 2, 'call_failed:auth': 3 },
    });
    expect(failing?.example).toMatch(/ECONNREFUSED .* — openai-compatible at http:\/\/127\.0\.0\.1:9\/v1/);
    // Once: the run is stopping.
    expect(watch.observe([call('auth')])).toBeUndefined();
  });

  it('one success among the first calls clears the endpoint for good', () => {
    const watch = new FailingEndpointWatch(3);
    expect(watch.observe([call('auth'), call('auth'), call('ok')])).toBeUndefined();
    for (let i = 0; i < 10; i++) expect(watch.observe([call('auth')])).toBeUndefined();
  });

  it('other failures (rate limits, server errors, timeouts) clear it too: the endpoint answers', () => {
    for (const kind of ['rate_limit', 'server', 'timeout', 'bad_request']) {
      const watch = new FailingEndpointWatch(2);
      expect(watch.observe([call(kind), call('auth'), call('auth'), call('auth')]), kind).toBeUndefined();
    }
  });

  it('counts endpoints apart, and neither cached answers nor calls refused unsent', () => {
    const watch = new FailingEndpointWatch(2);
    expect(
      watch.observe([
        call('auth', { endpoint: 'http://a/v1' }),
        call('auth', { endpoint: 'http://b/v1' }),
        call('auth', { endpoint: 'http://a/v1', cached: true }),
        call('unavailable', { endpoint: 'http://a/v1', attempts: 0 }),
      ]),
    ).toBeUndefined();
    expect(watch.observe([call('network', { endpoint: 'http://b/v1' })])?.endpoint).toBe('http://b/v1');
  });
});
