import type { Isolation, Sandbox } from './types.js';

/**
 * A sandbox opened on first use: runs without code tasks never start containers or check for an
 * engine. `isolation` is only meaningful once a job has run, which is when the runner reads it.
 */
export function lazySandbox(open: () => Promise<Sandbox>): Sandbox {
  let opening: Promise<Sandbox> | undefined;
  let opened: Sandbox | undefined;
  return {
    get isolation(): Isolation {
      return opened?.isolation ?? 'none';
    },
    async run(job) {
      opening ??= open();
      opened = await opening;
      return opened.run(job);
    },
    async close() {
      if (opening) await (await opening).close();
    },
  };
}
