import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  lstatSync,
  openSync,
  realpathSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { isRunId, STORE_FILE } from '../store/run-dir.js';
import { UsageError } from '../util/errors.js';
import { describeFault } from '../util/storage-fault.js';
import { messagePage, runsPage, sideBySidePage } from './pages.js';
import { listRuns } from './runs.js';
import { compareWithBaseline, type RunFigures, readRunFigures } from './side-by-side.js';

/** The only interface the viewer listens on: it is for the person at this machine. */
export const VIEW_HOST = '127.0.0.1';

/** The viewer's own pages: no script at all, styles inline, nothing from anywhere else. */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/**
 * A run's report.html, written by baton but sitting in a folder anyone may have handed over: its
 * inline scripts run (charts, trace explorer), sandboxed to an opaque origin, so a doctored report
 * cannot read the viewer's other pages; nothing is fetched from anywhere.
 */
const REPORT_POLICY =
  "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'";

/** The files of a run folder the viewer serves, and as what; nothing else in the folder is reachable. */
const RUN_FILES: Record<string, string> = {
  'report.html': 'text/html; charset=utf-8',
  'report.json': 'application/json; charset=utf-8',
  'report.md': 'text/plain; charset=utf-8',
};
/** Chart files under `charts/`, as the report writes them. */
const CHART_FILE = /^[a-z0-9][a-z0-9-]*\.png$/;

/**
 * Requests refused before routing: `..` or `.`-segments (raw or percent-encoded), encoded slashes and
 * backslashes, NUL. The URL parser would resolve some of them; refusing them outright keeps the rule
 * simple to check.
 */
const SUSPECT_PATH = /(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|%00|\\/i;

export interface ViewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `dir`'s runs read-only on 127.0.0.1: GET and HEAD only; a Host header naming anything but
 * 127.0.0.1 or localhost at our port is refused (a DNS-rebinding page would name its own host).
 */
export async function startViewServer(dir: string, port: number): Promise<ViewServer> {
  const root = resolve(dir);
  listRuns(root); // a missing folder fails here, before the server starts
  const server = createServer((req, res) => {
    let reply: Reply;
    try {
      reply = route(root, actualPort(server), req);
    } catch (err) {
      reply = refusal(500, 'Error', describeFault(err));
    }
    respond(req, res, reply);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} is in use on ${VIEW_HOST}; --port 0 picks a free one`)
          : new UsageError(`cannot listen on ${VIEW_HOST}:${port}: ${describeFault(err)}`),
      ),
    );
    server.listen(port, VIEW_HOST, done);
  });
  const bound = actualPort(server);
  return {
    url: `http://${VIEW_HOST}:${bound}/`,
    port: bound,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function actualPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function securityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}

/** What a request gets: a page or message (text), or a file of a run folder (an open descriptor). */
type Reply = {
  status: number;
  type: string;
  policy: string;
  headers?: Record<string, string>;
} & ({ text: string } | { fd: number; size: number });

const page = (status: number, html: string): Reply => ({
  status,
  type: 'text/html; charset=utf-8',
  policy: PAGE_POLICY,
  text: html,
});

const refusal = (status: number, title: string, why: string, headers?: Record<string, string>): Reply => ({
  ...page(status, messagePage(title, why)),
  ...(headers ? { headers } : {}),
});

function respond(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const body = 'text' in reply ? Buffer.from(reply.text, 'utf8') : null;
  res.writeHead(reply.status, {
    ...securityHeaders(reply.policy),
    ...reply.headers,
    'Content-Type': reply.type,
    'Content-Length': String(body ? body.length : 'size' in reply ? reply.size : 0),
  });
  if ('fd' in reply) {
    if (req.method === 'HEAD') {
      closeSync(reply.fd);
      res.end();
    } else createReadStream('', { fd: reply.fd }).pipe(res);
    return;
  }
  res.end(req.method === 'HEAD' ? undefined : body);
}

const NOT_SERVED = 'that path is not one the viewer serves';

/** Routes one request (method, Host header and path checked first). */
export function route(
  root: string,
  port: number,
  req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>,
): Reply {
  const allowedHosts = new Set([`${VIEW_HOST}:${port}`, `localhost:${port}`]);
  if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
    return refusal(
      403,
      'Forbidden',
      `this viewer answers only requests addressed to ${VIEW_HOST}:${port} or localhost:${port}`,
    );
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return refusal(405, 'Method not allowed', 'the viewer is read-only: GET and HEAD only', {
      Allow: 'GET, HEAD',
    });
  const raw = req.url ?? '/';
  const rawPath = raw.split('?')[0] ?? '';
  if (!rawPath.startsWith('/') || SUSPECT_PATH.test(rawPath)) return refusal(400, 'Bad request', NOT_SERVED);
  const url = new URL(raw, `http://${VIEW_HOST}:${port}`);
  const segments = url.pathname.split('/').slice(1).map(decodeSegment);
  if (segments.some((s) => s === null)) return refusal(400, 'Bad request', NOT_SERVED);
  const path = segments as string[];
  if (path.length === 1 && path[0] === '') return page(200, runsPage(root, listRuns(root)));
  if (path.length === 1 && path[0] === 'compare') return comparePage(root, url);
  if (path[0] === 'runs' && path.length >= 3) return runFile(root, path.slice(1));
  return refusal(404, 'Not found', 'no such page');
}

/** One path segment, percent-decoded; null when malformed or when decoding makes it a path of its own. */
function decodeSegment(segment: string): string | null {
  try {
    const decoded = decodeURIComponent(segment);
    return /[/\\\0]/.test(decoded) || decoded === '.' || decoded === '..' ? null : decoded;
  } catch {
    return null;
  }
}

/** A run folder directly inside the root, named as a run id, a real folder (not a link) with a store. */
function knownRunDir(root: string, id: string): string | null {
  if (!isRunId(id)) return null;
  const dir = join(root, id);
  try {
    return lstatSync(dir).isDirectory() && lstatSync(join(dir, STORE_FILE)).isFile() ? dir : null;
  } catch {
    return null;
  }
}

function comparePage(root: string, url: URL): Reply {
  const ids = [...new Set(url.searchParams.getAll('run'))];
  if (ids.length < 2)
    return refusal(
      400,
      'Pick two runs or more',
      'tick two runs or more in the runs table to see them side by side',
    );
  const dirs = ids.map((id) => knownRunDir(root, id));
  const unknown = ids.filter((_, i) => dirs[i] === null);
  if (unknown.length > 0) return refusal(404, 'No such run', `no run ${unknown.join(', ')} in ${root}`);
  const baseline = url.searchParams.get('baseline');
  if (baseline !== null && !ids.includes(baseline))
    return refusal(400, 'Bad request', 'the baseline must be one of the runs picked');
  const figures: RunFigures[] = [];
  for (const [i, id] of ids.entries()) {
    try {
      figures.push(readRunFigures(id, dirs[i] as string));
    } catch (err) {
      // As in the listing: a damaged or doctored store is this run's refusal, not a server error.
      return refusal(409, `Run ${id} cannot be read`, err instanceof Error ? err.message : String(err));
    }
  }
  // Oldest first: the baseline A is the earlier run unless the page says which.
  figures.sort(
    (x, y) => Number(y.id === baseline) - Number(x.id === baseline) || x.run.createdAt - y.run.createdAt,
  );
  return page(200, sideBySidePage(figures, listRuns(root), compareWithBaseline(figures)));
}

/**
 * `runs/<id>/report.html|report.json|report.md` and `runs/<id>/charts/<name>.png`: known runs and fixed
 * names only; no link is followed (the run folder and `charts/` are checked not to be links, the file
 * is opened with O_NOFOLLOW, and O_NONBLOCK against pipes) and the file's real path must lie inside the run folder.
 */
function runFile(root: string, path: string[]): Reply {
  const missing = refusal(404, 'Not found', 'no such file of a known run');
  const [id, first, second, ...rest] = path;
  const runDir = id === undefined ? null : knownRunDir(root, id);
  if (runDir === null || first === undefined) return missing;
  let file: string;
  let type: string;
  if (second === undefined && RUN_FILES[first] !== undefined) {
    file = join(runDir, first);
    type = RUN_FILES[first];
  } else if (first === 'charts' && second !== undefined && rest.length === 0 && CHART_FILE.test(second)) {
    try {
      if (!lstatSync(join(runDir, 'charts')).isDirectory()) return missing;
    } catch {
      return missing;
    }
    file = join(runDir, 'charts', second);
    type = 'image/png';
  } else return missing;
  let fd: number;
  try {
    // O_NONBLOCK: opening a named pipe for reading would wait for a writer, stalling every request.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return missing;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || !realpathSync(file).startsWith(realpathSync(runDir) + sep)) {
      closeSync(fd);
      return missing;
    }
    // Report files run their own scripts, sandboxed; charts are plain images.
    const policy = type === 'image/png' ? PAGE_POLICY : REPORT_POLICY;
    return { status: 200, type, policy, fd, size: stat.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}
