import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../src/store/run-dir.js';
import { escapeMarkup } from '../../src/util/markup.js';
import { startViewServer, type ViewServer } from '../../src/view/server.js';
import { tempRoot, writeRun } from './fixtures.js';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RUNS-FOLDER';
const HOSTILE = '"><img src=x onerror="alert(1)"><script>alert(2)</script>';

let server: ViewServer;
let root: string;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request: the path goes out as written (no client-side `..` resolution). */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${server.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const base = tempRoot();
  root = join(base, 'runs');
  mkdirSync(root);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  const a = writeRun(root, 'a', { outcomes: { o: [true, false, true], p: [true, true, false] } });
  writeFileSync(join(a, 'report.html'), '<!doctype html><title>report of a</title>');
  writeFileSync(join(a, 'report.json'), '{}');
  mkdirSync(join(a, 'charts'));
  writeFileSync(join(a, 'charts', 'latency.png'), 'PNG');
  writeFileSync(join(a, 'notes.txt'), 'not a report file');
  // Links out of the folder, where a report file or the charts folder would be.
  symlinkSync(join(base, 'secret.txt'), join(a, 'report.md'));
  const b = writeRun(root, 'b', { outcomes: { o: [true, true, true] } });
  symlinkSync(base, join(b, 'charts'));
  writeFileSync(join(base, 'x.png'), SECRET);
  // A whole run folder that is a link to elsewhere.
  const elsewhere = tempRoot();
  writeRun(elsewhere, 'outside');
  writeFileSync(join(elsewhere, 'outside', 'report.html'), SECRET);
  symlinkSync(join(elsewhere, 'outside'), join(root, 'linked'));
  // A run whose store says hostile things (run name, config path, orchestrator ids, suite).
  writeRun(root, 'hostile', {
    name: HOSTILE,
    configFile: `configs/${HOSTILE}.yaml`,
    suite: HOSTILE,
    outcomes: { [HOSTILE]: [true, false, false] },
  });
  server = await startViewServer(root, 0);
});

afterAll(() => server?.close());

describe('baton view: what it serves', () => {
  it('serves the runs table and each known run’s report files', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('href="/runs/a/report.html"');
    const report = await get('/runs/a/report.html');
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(report.body).toContain('report of a');
    expect((await get('/runs/a/charts/latency.png')).body).toBe('PNG');
    expect((await get('/runs/a/report.json')).headers['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    ['/runs/../secret.txt'],
    ['/runs/a/../../secret.txt'],
    ['/runs/%2e%2e/secret.txt'],
    ['/runs/%2E%2E/%2e%2e/secret.txt'],
    ['/runs/a/..%2f..%2fsecret.txt'],
    ['/runs/a/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['/runs/a/..\\..\\secret.txt'],
    ['/runs/a/report.md'], // a link out of the folder
    ['/runs/b/charts/x.png'], // charts/ is a link out of the folder
    ['/runs/linked/report.html'], // the run folder is a link
    ['/runs/a/run.sqlite'], // not a report file
    ['/runs/a/notes.txt'],
    ['/runs/a/charts/../report.html'],
    ['/runs/nope/report.html'],
    ['/runs/.a/report.html'],
    ['//etc/passwd'],
    ['/runs/a/report.html%00.png'],
  ])('refuses %s: never a file outside the fixed report files of a known run', async (path) => {
    const answer = await get(path);
    expect([400, 404]).toContain(answer.status);
    expect(answer.body).not.toContain(SECRET);
    expect(answer.body).not.toContain('report of a');
  });

  it('answers only GET and HEAD (405 with Allow), HEAD without a body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const answer = await get('/', { method });
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
    const head = await get('/runs/a/report.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('refuses a Host header other than 127.0.0.1 or localhost at its port (DNS rebinding)', async () => {
    expect((await get('/', { host: 'attacker.example' })).status).toBe(403);
    expect((await get('/', { host: `attacker.example:${server.port}` })).status).toBe(403);
    expect((await get('/', { host: '127.0.0.1:1' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${server.port}` })).status).toBe(200);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('refuses a port already in use with a usage error that names --port 0', async () => {
    await expect(startViewServer(root, server.port)).rejects.toThrow(
      new RegExp(`port ${server.port} is in use on 127\\.0\\.0\\.1; --port 0 picks a free one`),
    );
  });

  it('sends a policy that forbids every script and remote load on its pages, and sandboxes report.html', async () => {
    const policy = String((await get('/')).headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('script-src');
    const report = String((await get('/runs/a/report.html')).headers['content-security-policy']);
    expect(report).toMatch(/^sandbox allow-scripts;/);
    expect(report).toContain("default-src 'none'");
  });
});

describe('baton view: store contents are text, never markup', () => {
  it('escapes & < > " and \' (attributes and element text alike)', () => {
    expect(escapeMarkup(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
  });

  it('the runs table and the side-by-side carry a hostile run name, config path, orchestrator id and suite as text', async () => {
    const pages = [
      await get('/'),
      await get('/compare?run=hostile&run=a'),
      await get('/compare?run=a&run=hostile'),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.body).not.toMatch(/<img|<script|onerror="/i);
      expect(page.body).toContain(escapeMarkup(HOSTILE));
    }
  });

  it('escapes what it echoes of the request (unknown run ids in a refusal)', async () => {
    const answer = await get(`/compare?run=a&run=${encodeURIComponent(HOSTILE)}`);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toMatch(/<img|<script/i);
  });

  it('shows two comparable runs with the compare statistics, and says why two runs are not comparable', async () => {
    const same = await get('/compare?run=a&run=b');
    expect(same.body).toContain('data-testid="statistics"');
    expect(same.body).toContain('data-orchestrator="o"');
    const root2 = tempRoot();
    writeRun(root2, 'x', { seed: 1 });
    writeRun(root2, 'y', { seed: 2 });
    const other = await startViewServer(root2, 0);
    try {
      const page = await new Promise<string>((resolve, reject) =>
        request({ host: '127.0.0.1', port: other.port, path: '/compare?run=x&run=y' }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => {
            body += d.toString();
          });
          res.on('end', () => resolve(body));
        })
          .on('error', reject)
          .end(),
      );
      expect(page).toContain('data-testid="not-comparable"');
      expect(page).toMatch(
        /<tr data-field="seeds"><td[^>]*>seeds<\/td><td><\/td><td>1<\/td><td>2<\/td><\/tr>/,
      );
      expect(page).not.toContain('data-testid="statistics"');
    } finally {
      await other.close();
    }
  });

  it('refuses fewer than two runs, and says which store cannot be read', async () => {
    expect((await get('/compare?run=a')).status).toBe(400);
    const broken = join(root, 'broken');
    mkdirSync(broken);
    new Database(join(broken, STORE_FILE)).exec('CREATE TABLE t (x)');
    const answer = await get('/compare?run=a&run=broken');
    expect(answer.status).toBe(409);
    expect(answer.body).toMatch(/without the tables of a baton run store/);
  });
});
