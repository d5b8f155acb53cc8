/**
 * The web app wired as the composition root wires it (real PostgreSQL, Redis, queues, templates),
 * built without src/container.ts so web tests only depend on what the web edge uses.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Express } from 'express';
import type { Config } from '../../src/config/config.js';
import { loadTemplates } from '../../src/digest/templates.js';
import { createLinks, type Links } from '../../src/links.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { createQueues, type Queues } from '../../src/jobs/queues.js';
import { createQueuedTransactionalMail } from '../../src/jobs/transactional-queue.js';
import { createSubscriptionService, type SubscriptionService } from '../../src/subscriptions/subscription-service.js';
import { createTokens, type Tokens } from '../../src/subscriptions/tokens.js';
import { createApp } from '../../src/web/app.js';
import { createPreview } from '../../src/web/preview.js';
import { createPaperRepository } from '../../src/papers/paper-repository.js';
import { createRateLimiter } from '../../src/web/rate-limit.js';
import type { PrismaClient } from '../../src/db/prisma.js';
import type { TestDatabase } from './db.js';
import { configFor } from './env.js';

export interface TestWeb {
  app: Express;
  config: Config;
  redis: Redis;
  queues: Queues;
  tokens: Tokens;
  links: Links;
  subscriptions: SubscriptionService;
  /** Jobs in the mail queue (waiting or delayed), oldest first. */
  mailJobs(): Promise<{ name: string; subscriberId: string }[]>;
  close(): Promise<void>;
}

/** The signing key of the link-page tests (tokens made with it are valid for linkPagesWeb). */
export const LINK_SECRET = 'k'.repeat(40);

/**
 * The web app over a test's database, signing with LINK_SECRET; the manage rate limit is generous
 * unless `env` sets it (or any other setting) for a test of the limits.
 */
export function linkPagesWeb(db: TestDatabase, env: Record<string, string> = {}): TestWeb {
  return buildWeb(configFor({ DATABASE_URL: db.url, SECRET_KEY: LINK_SECRET, RATE_LIMIT_MANAGE_IP: '1000/1m', ...env }), db.prisma);
}

export function buildWeb(config: Config, prisma: PrismaClient, options: { redis?: Redis; now?: () => Date } = {}): TestWeb {
  const redis = options.redis ?? new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queues = createQueues(redis, config.queuePrefix);
  const tokens = createTokens(config.secretKey!, config.previousSecretKeys, options.now ? () => options.now!().getTime() : Date.now);
  const links = createLinks(config.publicBaseUrl, tokens);
  const subscriptions = createSubscriptionService({ prisma, tokens, mail: createQueuedTransactionalMail(queues), now: options.now });
  const app = createApp({
    prisma, redis, tokens, links, subscriptions,
    templates: loadTemplates(path.join(projectRoot, 'templates')),
    logger: createLogger(config),
    limiter: createRateLimiter(redis, config.queuePrefix),
    preview: createPreview({ prisma, papers: createPaperRepository(prisma), cacheMs: 0 }),
    settings: config,
  });
  return {
    app, config, redis, queues, tokens, links, subscriptions,
    async mailJobs() {
      const jobs = await queues.mail.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'], 0, -1, true);
      return jobs.map((j) => ({ name: j.name, subscriberId: j.data.subscriberId }));
    },
    async close() {
      await queues.mail.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      const keys = await redis.keys(`${config.queuePrefix}:*`).catch(() => [] as string[]);
      if (keys.length) await redis.del(...keys).catch(() => undefined);
      redis.disconnect();
    },
  };
}

/** Posts `allowed` times (each answered 200), then once more: refused with 429 and a Retry-After in seconds. */
export async function expectRateLimitedAfter(post: () => Promise<{ status: number; headers: Record<string, string> }>, allowed: number): Promise<void> {
  for (let i = 0; i < allowed; i++) expect((await post()).status).toBe(200);
  const limited = await post();
  expect(limited.status).toBe(429);
  expect(limited.headers['retry-after']).toMatch(/^\d+$/);
}
