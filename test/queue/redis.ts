import { execFileSync } from 'node:child_process';

/**
 * Redis tests run when `redis-cli ping` answers; with BATON_REQUIRE_REDIS=1 (set by .ci/run) a missing
 * server fails them instead of skipping (as BATON_REQUIRE_DOCKER does for Docker).
 */
function redisAnswers(): boolean {
  try {
    return (
      execFileSync('redis-cli', ['-u', REDIS_URL, 'ping'], { encoding: 'utf8', timeout: 3000 }).trim() ===
      'PONG'
    );
  } catch {
    return false;
  }
}

export const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const redisOk = redisAnswers();
export const requireRedis = process.env.BATON_REQUIRE_REDIS === '1';
export const skipRedis = !redisOk && !requireRedis;
if (!redisOk && requireRedis)
  throw new Error(`BATON_REQUIRE_REDIS=1 but redis-cli ping ${REDIS_URL} did not answer PONG`);
