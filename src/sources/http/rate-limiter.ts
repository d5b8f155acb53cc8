/**
 * A cross-process limiter in Redis for one host: one request at a time, and each request starts at
 * least `intervalMs` after the previous one ended — arXiv's "no more than one request every three
 * seconds, on a single connection at a time", for every process and machine sharing the Redis.
 * The server clock (TIME) is used, so machines' clocks need not agree. A holder that dies releases by
 * expiry (`holdMs`).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

// KEYS[1] = lock, KEYS[2] = next-allowed time. ARGV: token, holdMs. Returns 0 when acquired, else ms to wait.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then return ttl end
local nextAt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nextAt then return nextAt - now end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 0
`;
// KEYS[1] = lock, KEYS[2] = next-allowed time. ARGV: token, intervalMs.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[2])
redis.call('SET', KEYS[2], tostring(now + interval), 'PX', interval + 60000)
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

export type Release = () => Promise<void>;

export interface RateLimiter {
  /** Resolves when the caller may send its request; call the returned function when it is done. */
  acquire(): Promise<Release>;
}

export function createRedisRateLimiter(opts: {
  redis: Redis;
  key: string;
  intervalMs: number;
  /** Longest a holder may keep the lock (request timeout plus margin). */
  holdMs: number;
  sleep?: (ms: number) => Promise<void>;
}): RateLimiter {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const keys = [`${opts.key}:lock`, `${opts.key}:next`];
  return {
    async acquire() {
      const token = randomBytes(8).toString('hex');
      for (;;) {
        const wait = Number(await opts.redis.eval(ACQUIRE, 2, ...keys, token, String(opts.holdMs)));
        if (wait <= 0) break;
        await sleep(Math.min(wait, 1000) + Math.floor(Math.random() * 5));
      }
      return async () => {
        await opts.redis.eval(RELEASE, 2, ...keys, token, String(Math.max(0, opts.intervalMs)));
      };
    },
  };
}

/** The key of a host's limiter under QUEUE_PREFIX. */
export function rateLimitKey(prefix: string, host: string): string {
  return `${prefix}:ratelimit:${host}`;
}
