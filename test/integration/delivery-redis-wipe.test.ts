/**
 * Redis loses everything mid-run (FLUSHALL on a private redis-server, never the shared one), then the
 * day is triggered again: PostgreSQL decides, so nobody is missed and nobody gets a second digest.
 * Also: composition rules across days, and the operator routes.
 */
import express from 'express';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { uniquePrefix } from '../support/env.js';
import { waitUntil } from '../support/wait.js';
import { startPrivateRedis } from '../support/redis.js';
import { createDeliveryStack, seedDay, statusCounts, type DeliveryStack } from '../support/delivery-stack.js';
import { createOpsRouter } from '../../src/web/ops-routes.js';

const DAY = '2024-11-28';
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

test('when Redis is flushed halfway through the sends and the day is triggered again, then nobody is missed and nobody gets two', async () => {
  const redis = await startPrivateRedis();
  try {
    const emails = await seedDay(db.prisma, { subscribers: 60, day: DAY });
    stack = createDeliveryStack({
      databaseUrl: db.url, smtpUrl: smtp.url, redisUrl: redis.url, prefix: uniquePrefix('wipe'), prisma: db.prisma,
      env: { WORKER_CONCURRENCY: '2', SEND_BATCH_SIZE: '5', SEND_BACKOFF_MS: '50', SEND_ERROR_BREAKER: '0' },
    });
    let flushed: Promise<unknown> | undefined;
    smtp.onData = () => {
      if (smtp.received.length === 29 && !flushed) flushed = stack!.redis.flushall();
      return undefined;
    };
    stack.startWorkers();
    await stack.runs.run(DAY, { fetch: false });
    await waitUntil(() => flushed, 20_000, 'the flush');
    await flushed;
    await new Promise((r) => setTimeout(r, 300)); // in-flight sends finish; the rest of the jobs are gone
    const afterFlush = await statusCounts(db.prisma, DAY);
    expect(afterFlush.queued ?? 0).toBeGreaterThan(0);

    await stack.runs.run(DAY, { fetch: false }); // the re-trigger
    await waitUntil(async () => (await stack!.ledger.settle(DAY))?.status === 'completed', 20_000, 'run completed');
    expect(smtp.received).toHaveLength(60);
    expect(new Set(smtp.received.map((m) => m.to[0]))).toEqual(new Set(emails));
    expect(await statusCounts(db.prisma, DAY)).toEqual({ sent: 60 });
    expect(await db.prisma.digestRun.count()).toBe(1);
  } finally {
    await stack?.close();
    stack = undefined;
    await redis.destroy();
  }
});

test('a paper is never sent twice across days; weekly readers get their week; nothing matched means no email unless asked for', async () => {
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('compose'), prisma: db.prisma, env: { SEND_ERROR_BREAKER: '0' } });
  await seedDay(db.prisma, { subscribers: 1, papers: 3, day: '2024-11-25' }); // reader-0, daily
  await seedDay(db.prisma, { subscribers: 1, papers: 0, day: '2024-11-25', from: 1, extra: { frequency: 'weekly', weeklyDay: 4 } }); // reader-1, Thursdays
  await seedDay(db.prisma, { subscribers: 1, papers: 0, day: '2024-11-25', from: 2, topic: 'nothing-matches-this', extra: { nothingToday: true } });
  await seedDay(db.prisma, { subscribers: 1, papers: 0, day: '2024-11-25', from: 3, topic: 'nothing-matches-this' });
  await seedDay(db.prisma, { subscribers: 0, papers: 2, day: '2024-11-28' }); // a Thursday

  const mon = await stack.runs.run('2024-11-25', { fetch: false });
  expect(mon).toMatchObject({ deliveriesCreated: 2, subscribersMatched: 2 });
  const thu = await stack.runs.run('2024-11-28', { fetch: false });
  const rerun = await stack.runs.run('2024-11-28', { fetch: false });
  expect(thu.deliveriesCreated).toBe(3);
  expect(rerun.deliveriesCreated).toBe(0);

  const rows = await db.prisma.delivery.findMany({ include: { subscriber: true, papers: true }, orderBy: [{ digestDate: 'asc' }] });
  const of = (email: string, day: string) => rows.find((r) => r.subscriber.email === email && r.digestDate.toISOString().startsWith(day));
  expect(of('reader-0@example.org', '2024-11-25')?.papers).toHaveLength(3);
  expect(of('reader-0@example.org', '2024-11-28')?.papers.map((p) => p.paperId).sort()).toEqual(['2411.000028', '2411.000128']);
  expect(of('reader-1@example.org', '2024-11-25')).toBeUndefined();
  expect(of('reader-1@example.org', '2024-11-28')?.papers).toHaveLength(5);
  expect(of('reader-2@example.org', '2024-11-28')?.papers).toHaveLength(0);
  expect(of('reader-3@example.org', '2024-11-28')).toBeUndefined();
  // Ranked: equal relevance, so the most upvoted first.
  const ranks = of('reader-0@example.org', '2024-11-28')!.papers.sort((a, b) => a.rank - b.rank).map((p) => p.paperId);
  expect(ranks).toEqual(['2411.000128', '2411.000028']);

  const stored = await stack.ledger.report('2024-11-28');
  expect(stored).toMatchObject({ papers: 2, candidatePapers: 5, subscribersConsidered: 4, subscribersMatched: 3, deliveries: { queued: 3 } });

  // A day without an arXiv announcement (a Saturday) is no digest day: nothing for daily readers,
  // not even the "nothing today" note.
  const sat = await stack.runs.run('2024-11-30', { fetch: false });
  expect(sat).toMatchObject({ papers: 0, deliveriesCreated: 0 });
});

test('operators get /metrics and a dashboard behind basic auth', async () => {
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('ops'), prisma: db.prisma });
  stack.metrics.recordSend('sent', 0.01);
  stack.metrics.setCollectors({ queueCounts: async () => ({ send: await stack!.queues.send.getJobCounts('wait', 'delayed') }) });
  const app = express();
  app.use(createOpsRouter({ metrics: stack.metrics, queues: [stack.queues.send], adminUser: 'ops', adminPassword: 's3cret-pass' }));
  const metrics = await request(app).get('/metrics');
  expect(metrics.status).toBe(200);
  expect(metrics.text).toContain('paperboy_digest_sends_total{outcome="sent"} 1');
  expect(metrics.text).toContain('paperboy_queue_jobs{queue="send",state="wait"} 0');
  expect((await request(app).get('/admin/queues')).status).toBe(401);
  expect((await request(app).get('/admin/queues').auth('ops', 'wrong')).status).toBe(401);
  const ok = await request(app).get('/admin/queues').auth('ops', 's3cret-pass');
  expect(ok.status).toBe(200);
  expect(ok.text).toMatch(/<html/i);
  const api = await request(app).get('/admin/queues/api/queues').auth('ops', 's3cret-pass');
  expect(api.status).toBe(200);
  expect(JSON.stringify(api.body)).toContain('send');
});
