/**
 * Worker processes die mid-run (SIGKILL, like the OOM killer) and are restarted; three processes
 * share one run. The orphan policy (docs/delivery.md): the one message a dead process may have had
 * in flight is marked `uncertain` and never resent; everything else is sent exactly once.
 */
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { uniquePrefix } from '../support/env.js';
import { waitUntil } from '../support/wait.js';
import { createDeliveryStack, seedDay, statusCounts, type DeliveryStack } from '../support/delivery-stack.js';
import { spawnWorker, type ChildWorker } from '../support/child-worker.js';

const DAY = '2024-11-28';
let db: TestDatabase;
let smtp: TestSmtpServer;
let stack: DeliveryStack;
let children: ChildWorker[] = [];
let prefix: string;

function workerOptions(concurrency: number) {
  return {
    databaseUrl: db.url, smtpUrl: smtp.url, prefix,
    env: { WORKER_CONCURRENCY: String(concurrency), SEND_BACKOFF_MS: '50', SEND_ERROR_BREAKER: '0', SMTP_POOL_CONNECTIONS: '3' },
    workers: { lockDurationMs: 1500, stalledIntervalMs: 500 },
  };
}

beforeEach(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpServer();
  prefix = uniquePrefix('crash');
  stack = createDeliveryStack({ databaseUrl: db.url, smtpUrl: smtp.url, prefix, prisma: db.prisma });
});

afterEach(async () => {
  for (const c of children) await c.kill();
  children = [];
  await stack.close();
  await smtp.close();
  await db.drop();
});

function perRecipient(): Map<string, number> {
  const m = new Map<string, number>();
  for (const mail of smtp.received) for (const to of mail.to) m.set(to, (m.get(to) ?? 0) + 1);
  return m;
}

/** After the run has drained: orphans older than a second become uncertain. */
async function drainAndRecover(total: number): Promise<Record<string, number>> {
  await waitUntil(async () => {
    const c = await statusCounts(db.prisma, DAY);
    return (c.queued ?? 0) === 0 && (c.sent ?? 0) + (c.sending ?? 0) + (c.uncertain ?? 0) === total;
  }, 30_000, 'the run to drain');
  await new Promise((r) => setTimeout(r, 1100));
  await stack.deliveries.recoverStale(1000);
  return statusCounts(db.prisma, DAY);
}

test('when the worker is killed right after the 40th message was accepted and restarted, then all 100 get exactly one digest', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 100, day: DAY });
  let worker = await spawnWorker(workerOptions(1));
  children.push(worker);
  const killed = new Promise<void>((resolve) => {
    smtp.onData = () => {
      if (smtp.received.length === 39) setImmediate(() => void worker.kill().then(resolve));
      return undefined;
    };
  });
  await stack.runs.run(DAY, { fetch: false });
  await killed;
  smtp.onData = undefined;
  const before = smtp.received.length;
  expect(before).toBeGreaterThanOrEqual(40);
  expect(before).toBeLessThan(100);

  worker = await spawnWorker(workerOptions(1));
  children.push(worker);
  const counts = await drainAndRecover(100);
  await smtp.waitFor(100);

  const got = perRecipient();
  expect(emails.every((e) => got.get(e) === 1)).toBe(true);
  expect(smtp.received).toHaveLength(100);
  expect(counts.sending).toBeUndefined();
  expect((counts.sent ?? 0) + (counts.uncertain ?? 0)).toBe(100);
  expect(counts.uncertain ?? 0).toBeLessThanOrEqual(1);
});

test('when the worker dies while the relay withholds the 250 for message 41, then that one is uncertain, not resent, and the rest go exactly once', async () => {
  const emails = await seedDay(db.prisma, { subscribers: 100, day: DAY });
  let worker = await spawnWorker(workerOptions(1));
  children.push(worker);
  let inFlight: string | undefined;
  const killed = new Promise<void>((resolve) => {
    smtp.onData = (mail) => {
      if (smtp.received.length !== 40 || inFlight) return undefined;
      inFlight = mail.to[0];
      void worker.kill().then(resolve);
      return new Promise(() => undefined); // the 250 never comes
    };
  });
  await stack.runs.run(DAY, { fetch: false });
  await killed;
  smtp.onData = undefined;

  worker = await spawnWorker(workerOptions(1));
  children.push(worker);
  const counts = await drainAndRecover(100);
  await smtp.waitFor(99);

  expect(counts).toEqual({ sent: 99, uncertain: 1 });
  const got = perRecipient();
  expect(got.has(inFlight!)).toBe(false);
  expect(emails.filter((e) => e !== inFlight).every((e) => got.get(e) === 1)).toBe(true);
  const orphan = await db.prisma.delivery.findFirst({ where: { status: 'uncertain' }, include: { subscriber: true } });
  expect(orphan?.subscriber.email).toBe(inFlight);
  expect(await stack.ledger.settle(DAY)).toMatchObject({ status: 'completed', deliveries: { sent: 99, uncertain: 1 } });
});

test('when three worker processes share a run of 1,000, then 1,000 distinct recipients get one digest each', async () => {
  await seedDay(db.prisma, { subscribers: 1000, papers: 1, day: DAY });
  children = await Promise.all([1, 2, 3].map(() => spawnWorker(workerOptions(5))));
  await stack.runs.run(DAY, { fetch: false });
  await smtp.waitFor(1000, 90_000);
  await waitUntil(async () => (await stack.ledger.settle(DAY))?.status === 'completed', 30_000, 'run completed');
  expect(smtp.received).toHaveLength(1000);
  expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(1000);
  expect(await statusCounts(db.prisma, DAY)).toEqual({ sent: 1000 });
}, 120_000);
