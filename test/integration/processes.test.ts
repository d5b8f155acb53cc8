/**
 * Web and worker run as separate processes against the same PostgreSQL and Redis: a signup on the
 * web process is mailed by a worker process; SIGTERM stops each gracefully with exit code 0.
 */
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { uniquePrefix } from '../support/env.js';
import { runPaperboy, type Child } from '../support/processes.js';
import { waitUntil } from '../support/wait.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

let db: TestDatabase;
let smtp: TestSmtpServer;
const children: Child[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpServer();
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await smtp?.close();
  await db?.drop();
});

test('paperboy web and two paperboy workers share the work; SIGTERM exits cleanly', async () => {
  const env = {
    DATABASE_URL: db.url, SMTP_URL: smtp.url, QUEUE_PREFIX: uniquePrefix('proc'), LOG_LEVEL: 'info',
    HOST: '127.0.0.1', PUBLIC_BASE_URL: 'http://paperboy.test', DIGEST_CRON: '0 3 1 1 *',
  };
  const port = 20000 + Math.floor(Math.random() * 20000);
  const web = runPaperboy(['web'], { ...env, PORT: String(port) });
  const workers = [runPaperboy(['worker'], env), runPaperboy(['worker'], env)];
  children.push(web, ...workers);
  await web.waitForOutput(/web\.listening/);
  await Promise.all(workers.map((w) => w.waitForOutput(/worker\.started/)));
  expect(web.output()).not.toMatch(/worker\.started/);

  // The form carries a CSRF field matching a cookie set by the landing page.
  const form = await fetch(`http://127.0.0.1:${port}/`);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ email: `reader${i}@example.org`, topics: 'graph neural networks', consent: 'yes', _csrf: csrf }),
    });
    expect(res.status).toBe(200);
  }
  const mails = await smtp.waitFor(6);
  expect(new Set(mails.flatMap((m) => m.to)).size).toBe(6);
  await waitUntil(async () => (await db.prisma.subscriber.count()) === 6);

  // One daily schedule whatever the number of processes that upserted it.
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const daily = new Queue('daily', { connection: redis, prefix: env.QUEUE_PREFIX });
  const schedulers = await daily.getJobSchedulers();
  expect(schedulers.map((s) => s.key).sort()).toEqual(['daily-digest', 'maintenance']);
  expect(schedulers.find((s) => s.key === 'daily-digest')).toMatchObject({ pattern: '0 3 1 1 *', tz: 'UTC' });
  await daily.obliterate({ force: true });
  await daily.close();
  redis.disconnect();

  const codes = await Promise.all([web.stop('SIGTERM'), ...workers.map((w) => w.stop('SIGTERM'))]);
  expect(codes).toEqual([0, 0, 0]);
  for (const c of [web, ...workers]) expect(c.output()).toMatch(/process\.stopped/);
});
