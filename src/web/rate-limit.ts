/**
 * Fixed-window rate limits counted in Redis (one INCR + PEXPIRE in a Lua script, so every process
 * shares the same buckets). When Redis is not connected the limiter fails fast with
 * ServiceUnavailableError rather than queueing the command: the page answers 503 within milliseconds.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Rate } from '../config/config.js';
import { ServiceUnavailableError } from './errors.js';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the bucket resets (for Retry-After). */
  retryAfter: number;
}

export interface RateLimiter {
  /** Count one hit for `id` in `bucket`; `rate` null = unlimited. */
  hit(bucket: string, id: string, rate: Rate | null): Promise<RateDecision>;
}

const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

const COMMAND_TIMEOUT_MS = 1000;

/** A client still making its first connection gets a moment; one that lost its connection fails at once. */
async function whenReady(redis: Redis): Promise<void> {
  if (!['wait', 'connecting', 'connect'].includes(redis.status)) throw new ServiceUnavailableError(`redis ${redis.status}`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { redis.off('ready', onReady); reject(new ServiceUnavailableError('redis not ready')); }, COMMAND_TIMEOUT_MS);
    const onReady = () => { clearTimeout(timer); resolve(); };
    redis.once('ready', onReady);
  });
}

export function createRateLimiter(redis: Redis, prefix: string): RateLimiter {
  const sha = createHash('sha1').update(SCRIPT).digest('hex');
  const run = async (key: string, windowMs: number): Promise<[number, number]> => {
    try {
      return (await redis.evalsha(sha, 1, key, windowMs)) as [number, number];
    } catch (err) {
      if (!/NOSCRIPT/.test((err as Error).message)) throw err;
      return (await redis.eval(SCRIPT, 1, key, windowMs)) as [number, number];
    }
  };
  return {
    async hit(bucket, id, rate) {
      if (!rate) return { allowed: true, retryAfter: 0 };
      if (redis.status !== 'ready') await whenReady(redis);
      // Ids (IPs, addresses) are hashed so Redis holds no personal data in clear.
      const key = `${prefix}:rl:${bucket}:${createHash('sha256').update(id).digest('base64url').slice(0, 22)}`;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ServiceUnavailableError('redis timeout')), COMMAND_TIMEOUT_MS);
      });
      try {
        const [count, ttl] = await Promise.race([run(key, rate.windowMs), timeout]);
        return { allowed: count <= rate.limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
