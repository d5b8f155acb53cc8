/**
 * Long-running processes: `start` (web + worker + scheduler in one process), `web`, `worker`.
 * Any number of each may run against the same PostgreSQL and Redis. SIGTERM/SIGINT shut down
 * gracefully: stop accepting requests and jobs, let in-flight jobs finish (BullMQ's close waits
 * for them) within SHUTDOWN_GRACE_MS, then close connections.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import type { Config } from './config/config.js';
import { createContainer, type Container, type ContainerOverrides } from './container.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { projectRoot } from './paths.js';
import { createApp, type WebDeps } from './web/app.js';
import { startWorkers, type Workers } from './jobs/workers.js';
import { upsertSchedules } from './jobs/queues.js';
import { createOpsRouter } from './web/ops-routes.js';

export type Role = 'web' | 'worker';

export interface Running {
  container: Container;
  server?: Server;
  url?: string;
  workers?: Workers;
  stop(): Promise<void>;
}

export async function prepareDatabase(config: Config): Promise<void> {
  if (config.databaseCreate) await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl, path.join(projectRoot, 'prisma/migrations'));
}

export async function checkRedisPolicy(container: Container): Promise<void> {
  // BullMQ needs keys never to be evicted; any policy but noeviction can silently drop jobs.
  const info = await container.redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is "${policy}"; Paperboy needs "noeviction" (queued jobs must never be evicted)`);
  }
}

/** Re-upsert the schedules this often: a Redis that lost everything gets them back by itself. */
const RESCHEDULE_EVERY_MS = 5 * 60_000;
/** What the web app takes from the container. */
export function webDeps(container: Container): WebDeps {
  const { prisma, redis, templates, subscriptions, tokens, links, logger, limiter, preview, config } = container;
  return { prisma, redis, templates, subscriptions, tokens, links, logger, limiter, preview, settings: config };
}

export async function startProcess(config: Config, roles: Role[], overrides: ContainerOverrides = {}): Promise<Running> {
  await prepareDatabase(config);
  const container = createContainer(config, overrides);
  const { logger } = container;
  await checkRedisPolicy(container);
  let server: Server | undefined;
  let url: string | undefined;
  let workers: Workers | undefined;
  let reschedule: NodeJS.Timeout | undefined;

  if (roles.includes('worker')) {
    await upsertSchedules(container.queues, config.digestCron, config.digestTimeZone);
    reschedule = setInterval(() => {
      upsertSchedules(container.queues, config.digestCron, config.digestTimeZone).catch((err) => logger.error({ err: (err as Error).message }, 'schedule.upsert_failed'));
    }, RESCHEDULE_EVERY_MS).unref();
    workers = startWorkers({
      connection: container.redis,
      prefix: config.queuePrefix,
      queues: container.queues,
      digestRuns: container.digestRuns,
      deliveries: container.deliveries,
      ledger: container.ledger,
      transactional: container.transactional,
      logger,
      metrics: container.metrics,
      concurrency: config.workerConcurrency,
      ratePerSecond: config.smtpRatePerSecond,
      digestTimeZone: config.digestTimeZone,
      sendAttempts: config.sendAttempts,
      throttlePauseMs: config.sendThrottlePauseMs,
      orphanAfterMs: config.sendOrphanAfterMs,
      errorBreakerPercent: config.sendErrorBreaker,
      sendBatchSize: config.sendBatchSize,
      purgePendingSignups: () => container.subscriptions.purgePending(config.pendingPurgeDays * 86_400_000),
    });
    logger.info({ cron: config.digestCron, tz: config.digestTimeZone, mail: container.mailer.description }, 'worker.started');
  }
  if (roles.includes('web')) {
    const app = createApp(webDeps(container), createOpsRouter({
      metrics: container.metrics, queues: [container.queues.daily, container.queues.send, container.queues.mail],
      adminUser: config.adminUser, adminPassword: config.adminPassword,
    }));
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, config.host, () => resolve(s));
      s.once('error', reject);
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url, publicBaseUrl: config.publicBaseUrl }, 'web.listening');
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('process.stopping');
      if (reschedule) clearInterval(reschedule);
      const closeServer = server
        ? new Promise<void>((resolve) => { server!.close(() => resolve()); server!.closeIdleConnections?.(); })
        : Promise.resolve();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceMs).unref());
      await Promise.race([Promise.all([closeServer, workers?.close()]), grace]);
      server?.closeAllConnections?.();
      await container.close();
      logger.info('process.stopped');
    })();
    return stopping;
  };
  return { container, server, url, workers, stop };
}

/** Run until SIGTERM/SIGINT, then stop gracefully. Resolves with the exit code. */
export async function runUntilSignal(running: Running): Promise<number> {
  return new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      running.container.logger.info({ signal }, 'process.signal');
      running.stop().then(() => resolve(0), () => resolve(1));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}
