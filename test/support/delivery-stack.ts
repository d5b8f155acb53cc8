/**
 * The delivery half of the application wired like src/container.ts does it (queues, ledger, run
 * and delivery services, workers), for tests, the worker child process and bench:deliver. No
 * ingestor: tests insert their papers and listings directly.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { testConfig, type Config } from '../../src/config/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.js';
import { loadTemplates } from '../../src/digest/templates.js';
import { createTokens } from '../../src/subscriptions/tokens.js';
import { createLinks } from '../../src/links.js';
import { createSmtpMailer, type Mailer } from '../../src/mail/transport.js';
import { messageIdDomain } from '../../src/mail/message.js';
import { createDeliveryService, type DeliveryService } from '../../src/digest/delivery-service.js';
import { createDigestRunService, type DigestRunService } from '../../src/digest/digest-run-service.js';
import { createRunLedger, type RunLedger } from '../../src/digest/run-ledger.js';
import { createQueues, scheduleSends, type Queues } from '../../src/jobs/queues.js';
import { startWorkers, type WorkerDeps, type Workers } from '../../src/jobs/workers.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createPaperRepository } from '../../src/papers/paper-repository.js';
import type { Ingestor } from '../../src/sources/source.js';
import type { TransactionalSender } from '../../src/mail/transactional-mail.js';
import { dayToDate } from '../../src/time.js';

const root = path.resolve(new URL('../..', import.meta.url).pathname);

export const noIngest: Ingestor = { fetchDay: async (day) => ({ day, sources: [] }) };

export interface DeliveryStack {
  config: Config;
  prisma: PrismaClient;
  redis: Redis;
  queues: Queues;
  mailer: Mailer;
  ledger: RunLedger;
  deliveries: DeliveryService;
  runs: DigestRunService;
  metrics: Metrics;
  logger: Logger;
  startWorkers(overrides?: Partial<WorkerDeps>): Workers;
  close(): Promise<void>;
}

export function createDeliveryStack(options: {
  databaseUrl: string;
  smtpUrl: string;
  redisUrl?: string;
  prefix: string;
  env?: Record<string, string>;
  prisma?: PrismaClient;
  ingestor?: Ingestor;
  afterAccepted?: (deliveryId: string) => Promise<void> | void;
  /** Subscribers per page of the daily run (SUBSCRIBER_PAGE unless set). */
  subscriberPage?: number;
  /** Whether the instance fetches arXiv (createPaperRepository's `arxiv`; default true). */
  arxiv?: boolean;
  /** A new instance's history (HISTORY_DAYS); off unless set. */
  history?: { days: number; sources?: import('../../src/sources/source.js').SourceName[] };
  /** Where the logger writes its JSON lines (default: stdout). */
  logDestination?: NodeJS.WritableStream;
}): DeliveryStack {
  const config = testConfig({
    DATABASE_URL: options.databaseUrl, SMTP_URL: options.smtpUrl, QUEUE_PREFIX: options.prefix,
    REDIS_URL: options.redisUrl ?? 'redis://127.0.0.1:6379', PUBLIC_BASE_URL: 'http://paperboy.test', ...options.env,
  });
  const logger = createLogger(config, options.logDestination);
  const prisma = options.prisma ?? createPrisma(config.databaseUrl, 5);
  const ownPrisma = !options.prisma;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const queues = createQueues(redis, config.queuePrefix, { attempts: config.sendAttempts, backoffMs: config.sendBackoffMs });
  for (const q of [queues.daily, queues.send, queues.mail]) q.on('error', () => undefined); // Redis restarts in fault tests
  const mailer = createSmtpMailer({
    url: config.smtpUrl!, pool: true, maxConnections: config.smtpPoolConnections,
    timeouts: { connection: 2000, greeting: 2000, socket: 5000 },
  });
  const templates = loadTemplates(path.join(root, 'templates'));
  const links = createLinks(config.publicBaseUrl, createTokens(config.secretKey!));
  const metrics = createMetrics({ defaultMetrics: false });
  const ledger = createRunLedger({ prisma, logger });
  const deliveries = createDeliveryService({
    prisma, mailer, templates, links, logger, metrics, afterAccepted: options.afterAccepted,
    mail: { from: config.mailFrom, listId: config.listId, postalAddress: config.postalAddress, maxHardBounces: config.maxHardBounces },
  });
  const runs = createDigestRunService({
    prisma, ingestor: options.ingestor ?? noIngest, papers: createPaperRepository(prisma, { arxiv: options.arxiv }), ledger, logger,
    sends: { schedule: (items) => scheduleSends(queues, items, { batchSize: config.sendBatchSize }) }, messageIdDomain: messageIdDomain(config.mailFrom),
    matchThreads: config.matchThreads, matchPoolFrom: config.matchPoolFrom, subscriberPage: options.subscriberPage,
    history: options.history,
  });
  const started: Workers[] = [];
  const transactional: TransactionalSender = { send: async () => undefined } as unknown as TransactionalSender;
  return {
    config, prisma, redis, queues, mailer, ledger, deliveries, runs, metrics, logger,
    startWorkers(overrides = {}) {
      const w = startWorkers({
        connection: redis, prefix: config.queuePrefix, queues, digestRuns: runs, deliveries, ledger, transactional, logger, metrics,
        concurrency: config.workerConcurrency, ratePerSecond: config.smtpRatePerSecond, digestTimeZone: config.digestTimeZone,
        sendAttempts: config.sendAttempts, throttlePauseMs: config.sendThrottlePauseMs, orphanAfterMs: config.sendOrphanAfterMs,
        errorBreakerPercent: config.sendErrorBreaker, sendBatchSize: config.sendBatchSize, settleDelayMs: 100, only: ['daily', 'send'], ...overrides,
      });
      started.push(w);
      return w;
    },
    async close() {
      for (const w of started) await w.close();
      await queues.close().catch(() => undefined);
      await mailer.close();
      if (ownPrisma) await prisma.$disconnect();
      redis.disconnect();
    },
  };
}

/** `n` active subscribers `reader-<i>@example.org` on topic "graph", and `papers` papers listed on `day`. */
export async function seedDay(prisma: PrismaClient, opts: { subscribers: number; papers?: number; day: string; topic?: string; from?: number; extra?: object }): Promise<string[]> {
  const topic = opts.topic ?? 'graph';
  const papers = opts.papers ?? 2;
  const from = opts.from ?? 0;
  const existing = new Set((await prisma.paper.findMany({ select: { id: true } })).map((p) => p.id));
  for (let i = 0; i < papers; i++) {
    const id = `${opts.day.replace(/-/g, '').slice(2, 6)}.${String(10000 + i).slice(1)}${opts.day.slice(8)}`;
    if (existing.has(id)) continue;
    await prisma.paper.create({
      data: {
        id, title: `On ${topic} paper ${i} of ${opts.day}`, abstract: `We study ${topic} structure number ${i}.`, authors: ['A. Author', 'B. Author'],
        categories: ['cs.LG'], absUrl: `https://arxiv.org/abs/${id}`, aiKeywords: [], sources: ['arxiv-rss'], contentHash: id,
        hfUpvotes: i, listings: { create: { source: 'arxiv-rss', day: dayToDate(opts.day), announceType: 'new' } },
      },
    });
  }
  const emails = Array.from({ length: opts.subscribers }, (_, i) => `reader-${from + i}@example.org`);
  await prisma.subscriber.createMany({
    data: emails.map((email) => ({ email, status: 'active' as const, topics: [topic], deliveryHour: 0, confirmedAt: new Date('2024-01-01'), ...opts.extra })),
    skipDuplicates: true,
  });
  return emails;
}

/** Deliveries of a date per status. */
export async function statusCounts(prisma: PrismaClient, day: string): Promise<Record<string, number>> {
  const rows = await prisma.delivery.groupBy({ by: ['status'], where: { digestDate: dayToDate(day) }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}
