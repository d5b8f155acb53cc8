/**
 * The relay pushes back: 451 for a fifth of the recipients, 550 for three, throttling, refused
 * credentials, a doubled trigger, a crash between the relay's 250 and the `sent` write. Real
 * PostgreSQL, Redis and SMTP server; workers in this process with short backoffs.
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { uniquePrefix } from '../support/env.js';
import { waitUntil } from '../support/wait.js';
import { createDeliveryStack, seedDay, statusCounts, type DeliveryStack } from '../support/delivery-stack.js';

const FAST = { SEND_BACKOFF_MS: '50', SEND_ATTEMPTS: '5', SEND_THROTTLE_PAUSE_MS: '300', SEND_ERROR_BREAKER: '0', WORKER_CONCURRENCY: '5' };

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

async function runToEnd(s: DeliveryStack, day: string): Promise<void> {
  await s.runs.run(day, { fetch: false });
  await waitUntil(async () => (await s.ledger.settle(day))?.status !== 'running', 20_000, `run ${day} to finish`);
}

test('when 20% of recipients get 451 at first, then everyone is delivered after a retry and the attempts are recorded', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 30, day: '2024-11-28' });
  const greylisted = new Set(emails.filter((_, i) => i % 5 === 0));
  const refusedOnce = new Set<string>();
  smtp.onRcpt = (address) => {
    if (greylisted.has(address) && !refusedOnce.has(address)) {
      refusedOnce.add(address);
      return { code: 451, message: '4.7.1 Greylisted, try again later' };
    }
    return undefined;
  };
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('d451'), prisma: db.prisma, env: FAST });
  stack.startWorkers();
  await runToEnd(stack, '2024-11-28');

  expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(30);
  expect(smtp.received).toHaveLength(30);
  const rows = await db.prisma.delivery.findMany({ include: { subscriber: true } });
  expect(rows.every((r) => r.status === 'sent')).toBe(true);
  for (const r of rows) expect(r.attempts).toBe(greylisted.has(r.subscriber.email) ? 2 : 1);
  expect(await db.prisma.subscriber.count({ where: { hardBounces: { gt: 0 } } })).toBe(0);
  const run = await stack.ledger.report('2024-11-28');
  expect(run).toMatchObject({ status: 'completed', deliveries: { sent: 30, failed: 0, bounced: 0 } });
});

test('when three recipients get 550, then they are bounced without a retry and left out of the next day', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 12, day: '2024-11-28' });
  const dead = new Set(emails.slice(0, 3));
  const rcpts = new Map<string, number>();
  smtp.onRcpt = (address) => {
    rcpts.set(address, (rcpts.get(address) ?? 0) + 1);
    return dead.has(address) ? { code: 550, message: '5.1.1 No such user' } : undefined;
  };
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('d550'), prisma: db.prisma, env: FAST });
  stack.startWorkers();
  await runToEnd(stack, '2024-11-28');

  expect(await statusCounts(db.prisma, '2024-11-28')).toEqual({ sent: 9, bounced: 3 });
  for (const a of dead) expect(rcpts.get(a)).toBe(1);
  const bounced = await db.prisma.subscriber.findMany({ where: { email: { in: [...dead] } } });
  expect(bounced.map((s) => [s.status, s.hardBounces])).toEqual([['suspended', 1], ['suspended', 1], ['suspended', 1]]);
  expect(await stack.ledger.report('2024-11-28')).toMatchObject({ status: 'completed', deliveries: { sent: 9, bounced: 3 } });

  await seedDay(db.prisma, { subscribers: 0, day: '2024-11-29' });
  await runToEnd(stack, '2024-11-29');
  const next = await db.prisma.delivery.findMany({ where: { digestDate: new Date('2024-11-29') }, include: { subscriber: true } });
  expect(next).toHaveLength(9);
  expect(next.some((d) => dead.has(d.subscriber.email))).toBe(false);
  for (const a of dead) expect(rcpts.get(a)).toBe(1);
});

test('when the day is triggered twice at once, then there is one run and one digest per subscriber', async () => {
  await seedDay(db.prisma, { subscribers: 40, day: '2024-11-28' });
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('dtwice'), prisma: db.prisma, env: FAST });
  stack.startWorkers();
  await Promise.all([stack.runs.run('2024-11-28', { fetch: false }), stack.runs.run('2024-11-28', { fetch: false })]);
  await stack.runs.run('2024-11-28', { fetch: false });
  await waitUntil(async () => (await stack!.ledger.settle('2024-11-28'))?.status === 'completed', 20_000, 'run completed');
  expect(await db.prisma.digestRun.count()).toBe(1);
  expect(await db.prisma.delivery.count()).toBe(40);
  expect(smtp.received).toHaveLength(40);
  expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(40);
});

test('when the relay throttles with 421, then sending pauses, no attempt is used up and everyone is delivered', async () => {
  await seedDay(db.prisma, { subscribers: 10, day: '2024-11-28' });
  let throttled = 0;
  smtp.onRcpt = () => (throttled++ < 3 ? { code: 421, message: '4.7.0 Too many messages, slow down' } : undefined);
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('dthrottle'), prisma: db.prisma, env: { ...FAST, SEND_ATTEMPTS: '1' } });
  stack.startWorkers();
  await runToEnd(stack, '2024-11-28');
  // With a single attempt allowed, any consumed attempt would have ended as `failed`.
  expect(await statusCounts(db.prisma, '2024-11-28')).toEqual({ sent: 10 });
  expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(10);
  expect((await db.prisma.delivery.findMany()).every((d) => d.attempts === 1)).toBe(true);
});

test('when the relay refuses our credentials (535), then the run pauses with nobody bounced, and resumes once fixed', async () => {
  await seedDay(db.prisma, { subscribers: 8, day: '2024-11-28' });
  let refuse = true;
  let authTries = 0;
  const relay = new SMTPServer({
    authOptional: false, allowInsecureAuth: true, disabledCommands: ['STARTTLS'], logger: false,
    onAuth(_auth, _session, cb) {
      authTries++;
      if (refuse) return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      cb(null, { user: 'paperboy' });
    },
    onData(stream, _session, cb) { stream.resume(); stream.on('end', () => cb()); },
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
  const port = (relay.server.address() as AddressInfo).port;
  try {
    stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: `smtp://paperboy:wrong@127.0.0.1:${port}`, prefix: uniquePrefix('dauth'), prisma: db.prisma, env: FAST });
    stack.startWorkers();
    await stack.runs.run('2024-11-28', { fetch: false });
    await waitUntil(async () => (await stack!.ledger.report('2024-11-28'))?.status === 'paused', 10_000, 'run paused');
    expect(await stack.queues.send.isPaused()).toBe(true);
    const counts = await statusCounts(db.prisma, '2024-11-28');
    expect(counts.bounced ?? 0).toBe(0);
    expect(counts.failed ?? 0).toBe(0);
    expect(await db.prisma.subscriber.count({ where: { status: 'suspended' } })).toBe(0);
    expect((await stack.ledger.report('2024-11-28'))?.pausedReason).toMatch(/authentication/i);
    const triesWhilePaused = authTries;

    refuse = false;
    await stack.queues.send.resume();
    await stack.ledger.resumeAll();
    await waitUntil(async () => (await stack!.ledger.settle('2024-11-28'))?.status === 'completed', 45_000, 'run completed');
    expect(await statusCounts(db.prisma, '2024-11-28')).toEqual({ sent: 8 });
    expect(triesWhilePaused).toBeLessThanOrEqual(5);
  } finally {
    await stack?.close();
    stack = undefined;
    await new Promise<void>((r) => relay.close(() => r()));
  }
}, 90_000);

test('when the process dies after the relay accepted but before `sent` is written, then the retry sends nothing and recovery marks it uncertain', async () => {
  await seedDay(db.prisma, { subscribers: 3, day: '2024-11-28' });
  let failOnce = true;
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('dguard'), prisma: db.prisma, env: FAST,
    afterAccepted: () => {
      if (failOnce) {
        failOnce = false;
        throw new Error('database connection lost');
      }
    },
  });
  stack.startWorkers();
  await stack.runs.run('2024-11-28', { fetch: false });
  await waitUntil(async () => {
    const c = await statusCounts(db.prisma, '2024-11-28');
    return c.sent === 2 && c.sending === 1;
  }, 10_000, 'two sent, one stuck in sending');
  await new Promise((r) => setTimeout(r, 400)); // the job's retries (50 ms backoff) have run by now
  expect(smtp.received).toHaveLength(3);
  expect((await statusCounts(db.prisma, '2024-11-28')).failed).toBeUndefined();
  expect((await stack.ledger.report('2024-11-28'))?.status).toBe('running');

  await db.prisma.$executeRaw`UPDATE delivery SET claimed_at = claimed_at - interval '1 hour' WHERE status = 'sending'`;
  const recovered = await stack.deliveries.recoverStale(60_000);
  expect(recovered).toEqual({ count: 1, dates: ['2024-11-28'] });
  expect(await statusCounts(db.prisma, '2024-11-28')).toEqual({ sent: 2, uncertain: 1 });
  expect(await stack.ledger.settle('2024-11-28')).toMatchObject({ status: 'completed', deliveries: { sent: 2, uncertain: 1 } });
  expect(smtp.received).toHaveLength(3);
});

test('when sending overlaps composing (several pages), the run completes only after the last page is composed, everyone sent once', async () => {
  const day = '2024-11-28';
  await seedDay(db.prisma, { subscribers: 1_200, day }); // three pages of 500
  let composing = true;
  const statusesWhileComposing: string[] = [];
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('dpages'), prisma: db.prisma, env: { ...FAST, WORKER_CONCURRENCY: '20' },
    afterAccepted: async () => {
      if (!composing) return;
      const run = await db.prisma.digestRun.findUnique({ where: { digestDate: new Date(`${day}T00:00:00Z`) } });
      statusesWhileComposing.push(run!.status);
    },
  });
  stack.startWorkers();
  const report = await stack.runs.run(day, { fetch: false });
  composing = false;
  expect(report.deliveriesCreated).toBe(1_200);
  // Whatever was sent before composing ended, the run was never reported completed meanwhile.
  expect(statusesWhileComposing.every((s) => s === 'running')).toBe(true);
  await waitUntil(async () => (await stack!.ledger.settle(day))?.status !== 'running', 30_000, 'run to finish');
  expect(await statusCounts(db.prisma, day)).toEqual({ sent: 1_200 });
  expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(1_200);
  expect(smtp.received).toHaveLength(1_200);
});

test('a run whose deliveries are all sent stays running until its composing has finished', async () => {
  const day = '2024-11-29';
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix: uniquePrefix('dledger'), prisma: db.prisma, env: FAST });
  await stack.ledger.start(day);
  expect((await stack.ledger.settle(day))?.status).toBe('running'); // nothing queued, but not composed yet
  await stack.ledger.recordCompose(day, { date: day, papers: 0, candidatePapers: 0, subscribersConsidered: 0, subscribersMatched: 0, deliveriesCreated: 0, deliveriesScheduled: 0, composeMs: 1 });
  expect((await stack.ledger.settle(day))?.status).toBe('completed');
  // Triggered again: completed runs keep their status.
  await stack.ledger.start(day);
  expect((await stack.ledger.settle(day))?.status).toBe('completed');
});
