// The bare loop bench:runner compares baton with: N chat completions through the openai SDK at
// concurrency C, nothing else. Usage: node bench/bare-sdk.mjs <baseURL> <N> <C>
import OpenAI from 'openai';
import pLimit from 'p-limit';

const [baseURL, n, c] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
const limit = pLimit(c);
const started = performance.now();
await Promise.all(
  Array.from({ length: n }, (_, i) =>
    limit(() =>
      client.chat.completions.create({
        model: 'bench',
        seed: i,
        messages: [{ role: 'user', content: `What is 2 + 2? (${i})` }],
      }),
    ),
  ),
);
const seconds = (performance.now() - started) / 1000;
// The loop alone (start-up excluded), in the form bench/runner.mjs reads from `baton run` too.
process.stderr.write(`ran ${n} calls in ${seconds.toFixed(2)} s (${Math.round(n / seconds)} calls/s)\n`);
