import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../runner/helpers.js';
import { dockerCheck, skipDocker } from './docker-sandbox.js';

// Runs in a separate Node process (the built dist/, as `npm test` builds first), which then dies
// by SIGKILL with a job in flight: nothing of it may stay on the engine.
const script = `
const dist = ${JSON.stringify(join(repoRoot, 'dist'))};
const { checkDocker } = await import(dist + '/sandbox/docker/engine.js');
const { createDockerSandbox } = await import(dist + '/sandbox/docker/index.js');
const { sandboxImage } = await import(dist + '/sandbox/docker/image.js');
const check = await checkDocker(sandboxImage());
const sandbox = await createDockerSandbox({ docker: check.docker, image: sandboxImage(), warmContainers: 3 });
sandbox.run({ code: 'import time\\ntime.sleep(60)', tests: { style: 'stdin', cases: [{ input: '', output: '' }] }, timeoutMs: 60000, memoryMb: 256, outputLimitBytes: 1024 });
setTimeout(() => { console.log('ready'); }, 300);
setInterval(() => {}, 1000);
`;

describe.skipIf(skipDocker)('a crashed run leaves no sandbox container behind (real Docker)', () => {
  it('removes every container of a process killed with SIGKILL mid-job', async () => {
    if (!dockerCheck.ok) throw new Error(dockerCheck.reason);
    const docker = dockerCheck.docker;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => d.includes('ready') && resolve()),
    );
    const mine = async () =>
      (await docker.listContainers({ all: true, filters: { label: [`baton.owner`] } })).filter((c) =>
        c.Labels['baton.owner']?.endsWith(`:${child.pid}`),
      ).length;
    expect(await mine()).toBe(3);
    child.kill('SIGKILL');
    let left = await mine();
    for (let i = 0; i < 100 && left > 0; i++) {
      await sleep(100);
      left = await mine();
    }
    expect(left).toBe(0);
  });
});
