// The toy completion API that toy-provider.mjs speaks, on 127.0.0.1 (no network beyond this machine).
// Run it by hand for the examples: TOY_API_KEY=toy-secret node examples/plugins/toy-server.mjs
// The tests start it with their own key and port.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** The toy "model" knows quiz.yaml and answers in lower case ("b", not "B"). */
export const QUIZ_ANSWERS = [
  ['largest planet', 'b'],
  ['chemical symbol for gold', 'a'],
  ['how many sides', 'c'],
];

/**
 * Starts the toy API: POST /v1/complete with `authorization: Bearer <key>`. `answer(prompt)` picks the
 * reply; every request is kept in `requests` (with its headers) for tests to inspect.
 */
export async function startToyServer({ key, port = 0, answer = quizAnswer }) {
  const requests = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const reply = (status, value) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      requests.push({ url: req.url, headers: req.headers, body });
      if (req.method !== 'POST' || req.url !== '/v1/complete') return reply(404, { error: 'not found' });
      if (req.headers.authorization !== `Bearer ${key}`) return reply(401, { error: 'invalid api key' });
      const { messages } = JSON.parse(body);
      const prompt = messages.map((m) => m.content).join('\n');
      const text = answer(prompt);
      reply(200, { text, usage: { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: 1 } });
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function quizAnswer(prompt) {
  const lower = prompt.toLowerCase();
  return QUIZ_ANSWERS.find(([question]) => lower.includes(question))?.[1] ?? 'a';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startToyServer({ key: process.env.TOY_API_KEY ?? 'toy-secret', port: 8765 });
  process.stdout.write(`toy API on ${server.url}\n`);
}
