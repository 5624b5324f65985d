// A minimal OpenAI Chat Completions server for bench:runner, in its own process so it does not share
// the measured process's event loop: answers every request after a fixed latency with a short
// boxed answer and a usage block. Usage: node bench/fake-openai.mjs <latencyMs>; prints "port <n>".
import { createServer } from 'node:http';

const latency = Number(process.argv[2] ?? 200);
const body = (model) =>
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'The answer is $\\boxed{4}$.' },
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
  });
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const model = JSON.parse(Buffer.concat(chunks).toString()).model ?? 'bench';
    setTimeout(() => {
      const data = body(model);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
      res.end(data);
    }, latency);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${server.address().port}\n`));
