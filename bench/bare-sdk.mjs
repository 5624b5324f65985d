// The bare loops bench:runner compares baton with: N chat completions through the openai SDK at
// concurrency C, nothing else — on the SDK's default transport (the global fetch), or with `baton` as
// fourth argument on the transport baton hands the SDK (src/providers/http-transport.ts), so that
// baton's own work per call can be told apart from what its transport saves.
// Usage: node bench/bare-sdk.mjs <baseURL> <N> <C> [default|baton]
import OpenAI from 'openai';
import pLimit from 'p-limit';

const [baseURL, n, c, transport = 'default'] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  process.argv[5],
];
if (transport !== 'default' && transport !== 'baton') throw new Error(`unknown transport ${transport}`);
const fetch =
  transport === 'baton' ? (await import('../dist/providers/http-transport.js')).sdkFetch : undefined;
const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0, ...(fetch ? { fetch } : {}) });
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
