import { UsageError } from '../util/errors.js';

/**
 * The API key for a pool member: the first of `names` set in the environment (which includes `.env`,
 * merged by the CLI). Missing keys stop the run before any call, naming every variable tried.
 */
export function apiKeyFrom(env: NodeJS.ProcessEnv, agentId: string, names: readonly string[]): string {
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  throw new UsageError(
    `pool member '${agentId}' needs an API key: set ${names.join(' or ')} in the environment or in .env`,
  );
}
