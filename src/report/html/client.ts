/**
 * The page's script (plain ES2020, no build step, no network). Everything model-written is inserted
 * with textContent, never as HTML: traces hold arbitrary model output.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var charts = JSON.parse(document.getElementById('chart-data').textContent);
  var bundle = JSON.parse(document.getElementById('trace-data').textContent);
  var app = document.getElementById('app');
  var toc = document.getElementById('toc');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k === 'className') node.className = attrs[k];
      else if (k === 'onclick') node.addEventListener('click', attrs[k]);
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function section(id, title, children) {
    toc.appendChild(el('a', { href: '#' + id, text: title }));
    app.appendChild(el('section', { id: id }, [el('h2', { text: title })].concat(children)));
  }
  function table(headers, rows, testid) {
    var head = el('tr', null, headers.map(function (h) { return el('th', { text: h }); }));
    var body = rows.map(function (r) {
      return el('tr', null, r.map(function (c) {
        return el('td', { text: c === null || c === undefined ? '–' : String(c), className: typeof c === 'number' ? 'num' : '' });
      }));
    });
    var t = el('table', testid ? { 'data-testid': testid } : null, [el('thead', null, [head]), el('tbody', null, body)]);
    return rows.length ? t : el('p', { className: 'note', text: 'None.' });
  }
  function pct(x) { return x === null || x === undefined ? '–' : (100 * x).toFixed(1) + '%'; }
  function pp(x) { return x === null || x === undefined ? '–' : (x >= 0 ? '+' : '') + (100 * x).toFixed(1) + ' pp'; }
  function usd(x) { return x === null || x === undefined ? '–' : '$' + (x < 0.01 ? x.toFixed(5) : x.toFixed(4)); }
  function ms(x) { return x === null || x === undefined ? '–' : Math.round(x) + ' ms'; }
  function pval(p) { return p < 0.0001 ? p.toExponential(1) : p.toFixed(4); }
  var prov = report.provenance;
  var allSimulated = prov.simulated.length > 0 && prov.live.length === 0 && prov.replayed.length === 0;
  var sim = !report.simulated ? '' : allSimulated ? ' (SIMULATED)' : ' (PARTLY SIMULATED)';
  // Orchestrators whose rows used a simulated agent, and the simulated agents: marked "(sim)".
  var simOrch = {}, simAgent = {};
  report.rows.forEach(function (r) { if (r.simulated) simOrch[r.orchestrator] = true; });
  prov.simulated.forEach(function (a) { simAgent[a] = true; });
  function mark(name, simulated) { return simulated ? name + ' (sim)' : name; }

  section('summary', 'Results' + sim, [
    table(['orchestrator', 'family', 'suite', 'n', 'errors', 'accuracy', 'scored accuracy', 'Wilson 95% CI (scored)', 'SE clustered (scored)', '$/task', '$/solved', 'p50', 'p95', 'calls/task', 'tokens in/out per task'],
      report.rows.map(function (r) {
        return [mark(r.orchestrator, r.simulated), r.family, r.suite, r.samples, r.errors, pct(r.samples ? r.correct / r.samples : null), pct(r.accuracy), pct(r.ci95.low) + '–' + pct(r.ci95.high),
          r.clusteredSe === null ? '–' : (100 * r.clusteredSe).toFixed(1) + ' pp (' + r.clusters + ' cl.)',
          usd(r.costPerTaskUsd), usd(r.costPerSolvedUsd), ms(r.latencyMs.p50), ms(r.latencyMs.p95), r.callsPerTask.toFixed(1),
          Math.round(r.tokensPerTask.input) + ' / ' + Math.round(r.tokensPerTask.output)];
      }), 'summary-table'),
    el('p', { className: 'note', text: 'n: samples recorded, failed ones included; accuracy: correct / n (a failed sample counts as not solved); scored accuracy, its Wilson 95% CI and clustered SE: correct / (n − errors).' }),
    allSimulated || !report.simulated ? null : el('p', { className: 'note', text: '(sim) marks rows that used a simulated agent (' + prov.simulated.join(', ') + '): their figures are wholly or partly synthetic.' }),
    el('h3', { text: 'Where the answers came from (per agent)' }),
    table(['agent', 'provider', 'live calls', 'simulated calls', 'replayed calls'],
      prov.agents.map(function (a) { return [mark(a.agent, a.calls.simulated > 0), a.provider, a.calls.live, a.calls.simulated, a.calls.replayed]; }), 'provenance-table'),
  ]);

  section('baselines', 'Baselines: oracle and random pool member', [
    report.baselines.length ? table(['pool', 'suite', 'single agents', 'items', 'oracle (any solved)', 'random member (expected)'],
      report.baselines.map(function (b) { return [b.without ? 'without ' + b.without.join(', ') : 'full', b.suite, b.members.join(', '), b.items, pct(b.oracle), pct(b.random)]; }), 'baselines-table')
      : el('p', { className: 'note', text: 'No single-family orchestrators in this run: no oracle or random baseline.' }),
    el('p', { className: 'note', text: 'Oracle: share of items at least one single agent solved (a per-item oracle router). Random member: expected accuracy of a pool member picked at random per item.' }),
  ]);
  section('pareto', 'Accuracy vs cost: Pareto front', [
    table(['orchestrator', '$/task', 'scored accuracy', 'on the front'],
      report.pareto.map(function (p) { return [mark(p.orchestrator, p.simulated), usd(p.costPerTaskUsd), pct(p.accuracy), p.onFront ? 'yes' : 'no']; }), 'pareto-table'),
    el('p', { className: 'note', text: 'On the front: no other orchestrator is at most as expensive and at least as accurate, one of them strictly.' }),
  ]);

  var figures = charts.map(function (c) {
    return el('figure', null, [el('canvas', { id: 'chart-' + c.id, width: '620', height: '360', 'aria-label': c.caption }), el('figcaption', { text: c.caption })]);
  });
  section('charts', 'Charts' + sim, [el('div', { className: 'charts' }, figures)]);
  charts.forEach(function (c) {
    var config = JSON.parse(JSON.stringify(c.config));
    config.options.devicePixelRatio = 1;
    config.options.plugins.legend.labels = Object.assign({}, config.options.plugins.legend.labels, { filter: function (item) { return !config.data.datasets[item.datasetIndex].hideFromLegend; } });
    config.plugins = [{ id: 'baton-point-labels', afterDatasetsDraw: drawPointLabels }];
    new Chart(document.getElementById('chart-' + c.id), config);
  });

  section('paired', 'Paired comparisons on the same items', [
    table(['suite', 'A', 'B', 'shared', 'A only right', 'B only right', 'A − B', '95% CI (paired bootstrap)', 'McNemar exact p'],
      report.paired.map(function (c) {
        return [c.suite, mark(c.a, simOrch[c.a]), mark(c.b, simOrch[c.b]), c.shared, c.onlyA, c.onlyB, pp(c.difference), pp(c.ci95.low) + ' to ' + pp(c.ci95.high), pval(c.mcnemarP)];
      }), 'paired-table'),
    el('p', { className: 'note', text: 'Ordered by the decision summary\'s baseline (' + (report.decision.baseline || '–') + ') first, then by scored accuracy; A is the one listed first. p-values are not adjusted for multiple comparisons.' }),
    el('ul', { className: 'note' }, report.paired.filter(function (c) { return c.disagreement; }).map(function (c) { return el('li', { text: c.suite + ', ' + c.a + ' vs ' + c.b + ': ' + c.disagreement }); })),
  ]);

  section('claims', 'Claims vs measured', [
    table(['claim', 'system', 'source', 'benchmark', 'claimed', 'measured', 'orchestrator / suite', '95% CI', 'gap', 'claim inside CI', 'comparability'],
      report.claims.map(function (c) {
        var v = function (x) { return c.metric === 'accuracy' ? pct(x) : x === null ? '–' : x.toFixed(3); };
        return [c.claim + '/' + c.figure, c.system, [c.source.title, c.source.location, c.source.arxiv ? 'arXiv ' + c.source.arxiv : c.source.url].filter(Boolean).join(', '),
          c.benchmark, (c.approximate ? '≈' : '') + v(c.claimed), c.problem || v(c.measured), c.orchestrator + ' / ' + c.suite,
          c.ci95 ? pct(c.ci95.low) + '–' + pct(c.ci95.high) : '–', c.metric === 'accuracy' ? pp(c.gap) : v(c.gap),
          c.insideCi === null ? '–' : c.insideCi ? 'yes' : 'no',
          c.comparability.verdict + ': ' + (c.comparability.simulated ? 'simulated; ' : '') + 'pool ' + c.comparability.pool + ' (' + c.comparability.poolDetail + '); ' + c.comparability.suite];
      }), 'claims-table'),
  ]);

  function usage(rows, key) {
    return table(['orchestrator', key, 'calls', 'cached', 'input tokens', 'output tokens', 'reasoning tokens', 'cost'],
      rows.map(function (r) { return [r.orchestrator, key === 'agent' ? mark(r.key, simAgent[r.key]) : r.key, r.calls, r.cachedCalls, r.inputTokens, r.outputTokens, r.reasoningTokens, usd(r.costUsd)]; }));
  }
  section('cost', 'Cost and tokens by agent, role and step', [
    el('h3', { text: 'Spending: the cost of the answers, and who paid' }),
    table(['orchestrator', "answers' cost", 'calls paid by this run', 'spent by this run', 'from the shared cache', 'saved by the shared cache'],
      (report.spending || []).map(function (r) { return [r.orchestrator, usd(r.answersUsd), r.paidCalls, usd(r.spentUsd), r.sharedCacheCalls, usd(r.sharedCacheUsd)]; })),
    el('h3', { text: 'By agent' }), usage(report.byAgent, 'agent'),
    el('h3', { text: 'By role' }), usage(report.byRole, 'role'),
    el('h3', { text: 'By orchestrator step' }), usage(report.byStep, 'step'),
  ]);
  section('latency', 'Latency: critical path vs summed model time', [
    table(['orchestrator', 'suite', 'latency p50', 'critical path p50', 'summed model p50', 'latency p95', 'critical path p95', 'summed model p95'],
      report.rows.map(function (r) {
        return [mark(r.orchestrator, r.simulated), r.suite, ms(r.latencyMs.p50), ms(r.criticalPathMs.p50), ms(r.summedModelMs.p50), ms(r.latencyMs.p95), ms(r.criticalPathMs.p95), ms(r.summedModelMs.p95)];
      })),
  ]);
  var setCounts = report.egress.vendorSets.map(function () { return 0; });
  Object.keys(report.egress.sampleVendors).forEach(function (k) { setCounts[report.egress.sampleVendors[k]]++; });
  section('egress', 'Data egress: which vendors received data', [
    table(['orchestrator', 'vendor', 'models (agents)', 'provider @ host', 'calls', 'cached', 'samples', 'input bytes', 'output bytes', 'input tokens', 'output tokens'],
      report.egress.rows.map(function (e) { return [e.orchestrator, e.vendor, e.models.join(', ') + ' (' + e.agents.join(', ') + ')', e.provider + ' @ ' + e.host, e.calls, e.cachedCalls, e.samples, e.inputBytes, e.outputBytes, e.inputTokens, e.outputTokens]; }), 'egress-table'),
    table(['vendors that saw a sample\'s data', 'samples'], report.egress.vendorSets.map(function (v, i) { return [v.join(', ') || '(none)', setCounts[i]]; })),
  ]);
  section('errors', 'Errors and coordination events', [
    table(['orchestrator', 'error', 'samples'], report.errors.map(function (e) { return [e.orchestrator, e.code, e.count]; })),
    table(['orchestrator', 'event', 'total over samples'], report.coordination.map(function (c) { return [c.orchestrator, c.fact, c.total]; })),
  ]);

  // Trace explorer
  var list = el('div', { className: 'sample-list', 'data-testid': 'sample-list' });
  var detail = el('div', { 'data-testid': 'trace-detail' }, [el('p', { className: 'note', text: 'Pick a sample to see each coordination step.' })]);
  var filterOrch = el('select', { 'data-testid': 'filter-orchestrator' }, [el('option', { value: '', text: 'all orchestrators' })].concat(
    Array.from(new Set(bundle.traces.map(function (t) { return t.sample.orchestrator; }))).map(function (o) { return el('option', { value: o, text: o }); })));
  var filterText = el('input', { type: 'search', placeholder: 'task id contains…', 'data-testid': 'filter-task' });
  function verdict(s) { return s.status !== 'ok' ? ['error', 'err'] : s.correct ? ['correct', 'ok'] : ['wrong', 'bad']; }
  function renderList() {
    list.textContent = '';
    var o = filterOrch.value, q = filterText.value.toLowerCase();
    bundle.traces.forEach(function (t, i) {
      if (o && t.sample.orchestrator !== o) return;
      if (q && t.sample.taskId.toLowerCase().indexOf(q) < 0) return;
      var v = verdict(t.sample);
      var b = el('button', { 'data-sample': t.sample.sampleId, onclick: function () { show(i, b); } }, [el('span', { className: v[1], text: v[0] === 'correct' ? '✓ ' : v[0] === 'wrong' ? '✗ ' : '! ' }), t.sample.sampleId]);
      list.appendChild(b);
    });
  }
  filterOrch.addEventListener('change', renderList);
  filterText.addEventListener('input', renderList);
  var ROLE_COLOURS = { planner: '#6a3d9a', worker: '#1f77b4', solver: '#1f77b4', panelist: '#2ca02c', judge: '#d62728', synthesizer: '#ff7f0e', verifier: '#8c564b', thinker: '#17becf' };
  function roleColour(r) { return ROLE_COLOURS[r] || '#555'; }
  function show(i, button) {
    Array.prototype.forEach.call(list.querySelectorAll('button.active'), function (b) { b.classList.remove('active'); });
    if (button) button.classList.add('active');
    var t = bundle.traces[i], s = t.sample, v = verdict(s);
    detail.textContent = '';
    detail.appendChild(el('h3', { text: s.sampleId }));
    detail.appendChild(el('p', null, [el('b', { className: v[1], text: v[0] }),
      ' · ' + s.orchestrator + ' (' + s.family + ') · task ' + s.suite + '/' + s.taskId + ' #' + s.repeat + ' · ' + usd(s.costUsd) + ' · ' + ms(s.latencyMs) + ' · ' + s.calls + ' calls' + (s.simulated ? ' · SIMULATED' : '')]));
    detail.appendChild(el('p', { text: 'Vendors that saw this sample\'s data: ' + (t.vendors.join(', ') || 'none') }));
    if (s.errorCode) detail.appendChild(el('p', { className: 'err', text: 'error ' + s.errorCode + ': ' + (s.errorMessage || '') }));
    var sc = s.score;
    if (sc && sc.kind === 'code' && sc.result) {
      detail.appendChild(el('h4', { text: 'Tests (isolation: ' + (sc.result.isolation || s.isolation || '?') + ')' }));
      detail.appendChild(table(['#', 'status', 'time', 'expected', 'got'], sc.result.verdicts.map(function (x) {
        return [x.index, x.status, x.timeMs === undefined ? '–' : x.timeMs + ' ms', x.expected === undefined ? '' : JSON.stringify(x.expected), x.got === undefined ? '' : JSON.stringify(x.got)];
      }), 'test-verdicts'));
    } else if (sc) {
      detail.appendChild(el('p', { text: 'extracted: ' + JSON.stringify(sc.extracted) + (sc.normalized !== undefined ? ' · normalized: ' + JSON.stringify(sc.normalized) : '') + (sc.reference !== undefined ? ' · reference: ' + JSON.stringify(sc.reference) : '') }));
    }
    var ev = t.events;
    if (ev.length) {
      var t0 = Math.min.apply(null, ev.map(function (e) { return e.startedAt; }));
      var t1 = Math.max.apply(null, ev.map(function (e) { return e.endedAt; }));
      var span = Math.max(1, t1 - t0);
      var lanes = ev.map(function (e) {
        var left = (100 * (e.startedAt - t0)) / span, width = Math.max(0.8, (100 * (e.endedAt - e.startedAt)) / span);
        return el('div', { className: 'lane' }, [el('div', { className: 'bar', style: 'left:' + left + '%;width:' + width + '%;background:' + roleColour(e.role),
          title: 'step ' + e.step + ' ' + e.role + ' ' + e.agentId + ' ' + Math.round(e.latencyMs) + ' ms', text: e.step + ' ' + e.role + ' · ' + e.agentId })]);
      });
      detail.appendChild(el('h4', { text: 'Timeline (' + Math.round(span) + ' ms; parallel calls overlap)' }));
      detail.appendChild(el('div', { className: 'timeline', 'data-testid': 'timeline' }, lanes));
    }
    ev.forEach(function (e) {
      var usage = e.kind === 'nested' ? e.summedUsage : e.usage, cost = e.kind === 'nested' ? e.summedCostUsd : e.costUsd;
      var msgs = e.request.messages.map(function (m) { return el('div', null, [el('b', { text: m.role }), el('pre', { text: m.content })]); });
      detail.appendChild(el('div', { className: 'step', 'data-testid': 'trace-step', style: 'border-left-color:' + roleColour(e.role) }, [
        el('h4', { text: 'step ' + e.step + (e.depth ? ' (nested depth ' + e.depth + ')' : '') + (e.parentStep === null ? '' : ' (parent ' + e.parentStep + ')') + ' · ' + e.role + ' · ' + e.agentId + ' (' + e.model + ') · ' + e.provider + ' ' + e.endpoint }),
        el('div', { className: 'note', text: 'subtask: ' + (e.subtask === null ? '—' : e.subtask) + ' · sees steps: ' + (e.visibleSteps.length ? e.visibleSteps.join(', ') : 'none') +
          ' · tokens in/out/reasoning ' + usage.input + '/' + usage.output + '/' + usage.reasoning + ' · ' + usd(cost) + ' · ' + Math.round(e.latencyMs) + ' ms' +
          (e.provenance ? ' · ' + e.provenance : '') + (e.sharedCache ? ' · shared cache (bought by run ' + e.sharedCache.runId + ', ' + new Date(e.sharedCache.cachedAt).toISOString() + ')' : e.cached ? ' · cached' : '') + (e.attempts > 1 ? ' · attempts ' + e.attempts : '') }),
        e.error ? el('p', { className: 'err', text: 'error: ' + e.error }) : null,
        el('details', null, [el('summary', { text: 'request (' + e.request.messages.length + ' messages, visible context included)' })].concat(msgs)),
        el('div', null, [el('b', { text: 'raw output' }), el('pre', { 'data-testid': 'raw-output', text: e.response === null ? '(no response)' : e.response })]),
      ]));
    });
    if (s.answer !== null && s.answer !== undefined) detail.appendChild(el('div', null, [el('b', { text: 'final answer' }), el('pre', { text: s.answer })]));
  }
  section('traces', 'Trace explorer', [
    el('p', { className: 'note', text: bundle.traces.length < bundle.total ? 'This file holds the traces of ' + bundle.traces.length + ' of ' + bundle.total + ' samples (first tasks in order); all traces are in run.sqlite.' : 'All ' + bundle.total + ' samples.' }),
    el('div', null, [filterOrch, ' ', filterText]),
    el('div', { className: 'explorer' }, [list, detail]),
  ]);
  renderList();

  section('notes', 'Notes', [el('ul', null, report.notes.concat([report.clustering.note]).map(function (n) { return el('li', { text: n }); }))]);
  document.body.setAttribute('data-ready', 'true');
})();
`;
