/**
 * The composition root: the only place that constructs PostgreSQL and Redis clients, queues, the
 * mail transport and the services, and hands each its dependencies. `close()` releases everything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config/config.js';
import { usesDevelopmentSecret } from './config/config.js';
import { createLogger, type Logger } from './logger.js';
import { createPrisma, type PrismaClient } from './db/prisma.js';
import { projectRoot } from './paths.js';
import { loadTemplates, type TemplateSet } from './digest/templates.js';
import { createTokens, type Tokens } from './subscriptions/tokens.js';
import { createLinks, type Links } from './links.js';
import { createOutboxMailer, createSmtpMailer, type Mailer } from './mail/transport.js';
import { messageIdDomain } from './mail/message.js';
import { dkimOptions } from './mail/dkim.js';
import { createTransactionalSender, type TransactionalSender } from './mail/transactional-mail.js';
import { createSubscriptionService, type SubscriptionService } from './subscriptions/subscription-service.js';
import { createQueuedTransactionalMail } from './jobs/transactional-queue.js';
import { createRateLimiter, type RateLimiter } from './web/rate-limit.js';
import { createPreview, type Preview } from './web/preview.js';
import { createPaperRepository } from './papers/paper-repository.js';
import type { PaperRepository } from './papers/paper-repository.js';
import { createIngestor, pastDaySources } from './sources/ingestor.js';
import type { SourceName } from './sources/source.js';
import type { Ingestor, PaperLookup } from './sources/source.js';
import { createDigestRunService, type DigestRunService, type SendScheduler } from './digest/digest-run-service.js';
import { createDeliveryService, type DeliveryService } from './digest/delivery-service.js';
import { createQueues, scheduleSends, type Queues } from './jobs/queues.js';
import { createRunLedger, type RunLedger } from './digest/run-ledger.js';
import { createMetrics, type Metrics } from './metrics.js';

export interface Container {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  redis: Redis;
  queues: Queues;
  mailer: Mailer;
  templates: TemplateSet;
  tokens: Tokens;
  links: Links;
  papers: PaperRepository;
  ingestor: Ingestor & PaperLookup;
  subscriptions: SubscriptionService;
  transactional: TransactionalSender;
  deliveries: DeliveryService;
  digestRuns: DigestRunService;
  ledger: RunLedger;
  metrics: Metrics;
  limiter: RateLimiter;
  preview: Preview;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  logger?: Logger;
  mailer?: Mailer;
  now?: () => Date;
  metrics?: Metrics;
}

function createMailer(config: Config, logger: Logger): Mailer {
  const dkim = dkimOptions({ domain: config.dkimDomain, selector: config.dkimSelector, key: config.dkimPrivateKey }, (p) => readFileSync(p, 'utf8'));
  if (dkim) logger.info({ domain: dkim.domainName, selector: dkim.keySelector }, 'mail.dkim.enabled');
  if (!config.smtpUrl) {
    const mailer = createOutboxMailer(path.resolve(config.outboxDir), dkim);
    logger.info({ outbox: path.resolve(config.outboxDir) }, 'mail.outbox.enabled');
    return mailer;
  }
  return createSmtpMailer({
    url: config.smtpUrl, pool: true, maxConnections: config.smtpPoolConnections, dkim,
    ...(config.smtpRatePerSecond > 0 ? { rateLimit: config.smtpRatePerSecond } : {}),
  });
}

export function createContainer(config: Config, overrides: ContainerOverrides = {}): Container {
  const logger = overrides.logger ?? createLogger(config);
  if (usesDevelopmentSecret(config)) logger.warn('SECRET_KEY is not set: using the insecure development key (set it in production)');
  const prisma = createPrisma(config.databaseUrl, config.databasePoolSize);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.error({ err: err.message }, 'redis.error'));
  const queues = createQueues(redis, config.queuePrefix, { attempts: config.sendAttempts, backoffMs: config.sendBackoffMs });
  const metrics = overrides.metrics ?? createMetrics();
  const mailer = overrides.mailer ?? createMailer(config, logger);
  const templates = loadTemplates(path.join(projectRoot, 'templates'));
  const tokens = createTokens(config.secretKey!, config.previousSecretKeys);
  const links = createLinks(config.publicBaseUrl, tokens);
  const papers = createPaperRepository(prisma, { arxiv: config.sources.some((s) => s.startsWith('arxiv')) });
  const ingestor = createIngestor({ config, prisma, redis, repository: papers, logger });

  const transactionalMail = createQueuedTransactionalMail(queues);
  const subscriptions = createSubscriptionService({ prisma, tokens, mail: transactionalMail, now: overrides.now });
  const transactional = createTransactionalSender({
    prisma, mailer, templates, links, from: config.mailFrom, replyTo: config.mailReplyTo, postalAddress: config.postalAddress, logger,
  });
  const deliveries = createDeliveryService({
    prisma, mailer, templates, links, logger, metrics,
    mail: {
      from: config.mailFrom, replyTo: config.mailReplyTo, listId: config.listId, unsubscribeMailto: config.unsubscribeMailto,
      postalAddress: config.postalAddress, maxHardBounces: config.maxHardBounces,
    },
  });
  const sends: SendScheduler = { schedule: (items) => scheduleSends(queues, items, { batchSize: config.sendBatchSize }) };
  const ledger = createRunLedger({ prisma, logger, onCompleted: (_date, seconds) => metrics.recordRun('complete', seconds) });
  const digestRuns = createDigestRunService({
    prisma, ingestor, papers, sends, ledger, messageIdDomain: messageIdDomain(config.mailFrom), logger,
    matchThreads: config.matchThreads, matchPoolFrom: config.matchPoolFrom,
    // Past days come from the export API on the network; recorded files hold any day as it is.
    history: { days: config.historyDays, sources: config.feedsDir ? undefined : pastDaySources(config.sources as SourceName[]) },
  });
  metrics.setCollectors({
    async queueCounts() {
      const [daily, send, mail] = await Promise.all([queues.daily, queues.send, queues.mail].map((q) => q.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized')));
      return { daily, send, mail };
    },
    async runStates() {
      const rows = await prisma.digestRun.groupBy({ by: ['status'], where: { digestDate: { gte: new Date(Date.now() - 30 * 86400_000) } }, _count: { _all: true } });
      return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
    },
  });

  const limiter = createRateLimiter(redis, config.queuePrefix);
  const preview = createPreview({ prisma, papers });

  return {
    config, logger, limiter, preview, prisma, redis, queues, mailer, templates, tokens, links, papers, ingestor,
    subscriptions, transactional, deliveries, digestRuns, ledger, metrics,
    async close() {
      await queues.close().catch(() => undefined);
      await mailer.close().catch(() => undefined);
      await prisma.$disconnect().catch(() => undefined);
      redis.disconnect();
    },
  };
}
