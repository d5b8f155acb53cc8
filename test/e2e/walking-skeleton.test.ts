/**
 * The whole product through its public surfaces: sign up on the form → confirm from the link in the
 * received email → the daily run sends a digest with the expected papers → unsubscribe from the
 * digest → the next day's run sends nothing to that address (while a still-subscribed reader gets
 * that day's digest). Real PostgreSQL, Redis, SMTP server and recorded feeds.
 */
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { rawHeaders, startSmtpServer, type TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { configFor, FIXTURES_DIR } from '../support/env.js';
import { waitForJob, waitUntil } from '../support/wait.js';
import { startProcess, type Running } from '../../src/runtime.js';

let db: TestDatabase;
let smtp: TestSmtpServer;
let app: Running;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpServer();
  const config = configFor({
    DATABASE_URL: db.url, SMTP_URL: smtp.url, FEEDS_DIR: FIXTURES_DIR, PORT: '0', HOST: '127.0.0.1',
    PUBLIC_BASE_URL: 'http://paperboy.test', SOURCES: 'arxiv-rss', DIGEST_CRON: '0 3 1 1 *',
  });
  app = await startProcess(config, ['web', 'worker']);
  base = app.url!;
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
  await db?.drop();
});

/** Links in emails point at PUBLIC_BASE_URL; the test server listens elsewhere. */
function local(link: string): string {
  const u = new URL(link);
  return `${base}${u.pathname}${u.search}`;
}

function linkIn(mail: ReceivedMail, pathPrefix: string): string {
  const m = new RegExp(`https?://[^\\s<>"]+${pathPrefix}[^\\s<>"]+`).exec(mail.parsed.text ?? '');
  if (!m) throw new Error(`no ${pathPrefix} link in: ${mail.parsed.text}`);
  return m[0];
}

async function signUpAndConfirm(email: string, topics: string): Promise<void> {
  const before = smtp.to(email).length;
  // The form carries a CSRF field matching a cookie set by the landing page.
  const form = await fetch(`${base}/`);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${base}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ email, topics, consent: 'yes', _csrf: csrf }),
  });
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Check your inbox');
  const mail = await waitUntil(() => smtp.to(email)[before], 15_000, `confirmation to ${email}`);
  expect(mail.parsed.subject).toMatch(/confirm/i);
  const confirm = local(linkIn(mail, '/confirm/'));
  const page = await fetch(confirm); // what a mail scanner does: must not confirm
  expect(page.status).toBe(200);
  expect(await db.prisma.subscriber.count({ where: { email: email.toLowerCase(), status: 'active' } })).toBe(0);
  const done = await fetch(confirm, { method: 'POST' });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain('subscribed');
  expect(await db.prisma.subscriber.count({ where: { email: email.toLowerCase(), status: 'active' } })).toBe(1);
}

async function runDay(date: string): Promise<void> {
  await app.container.queues.daily.add('daily-run', { date }, { jobId: `manual-${date}` });
  await waitForJob(app.container.queues.daily, `manual-${date}`, 60_000);
  // Every send job of the day has finished when no delivery of the day is still queued or sending.
  await waitUntil(async () => (await db.prisma.delivery.count({ where: { digestDate: new Date(date), status: { in: ['queued', 'sending'] } } })) === 0, 30_000, `sends of ${date}`);
}

test('sign up, confirm, receive the digest, unsubscribe, receive nothing more', async () => {
  await signUpAndConfirm('reader@example.org', 'language models');
  await signUpAndConfirm('Other@Example.ORG', 'language models\nanomaly detection');

  await runDay('2024-11-28');
  const [digest] = smtp.to('reader@example.org').filter((m) => /papers? for you/.test(m.parsed.subject ?? ''));
  expect(digest).toBeDefined();
  const text = digest.parsed.text ?? '';
  expect(text).toMatch(/language model/i);
  expect(digest.parsed.html).toContain('https://arxiv.org/abs/');
  const [header] = rawHeaders(digest, 'List-Unsubscribe');
  expect(header).toMatch(/^<http:\/\/paperboy\.test\/unsubscribe\/[A-Za-z0-9_.-]+>$/);
  expect(rawHeaders(digest, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
  // The run for a day with nothing new for anyone sends nothing more (re-running is a no-op).
  const countAfterDay1 = smtp.received.length;
  await app.container.queues.daily.add('daily-run', { date: '2024-11-28' }, { jobId: 'manual-2024-11-28-again' });
  await waitForJob(app.container.queues.daily, 'manual-2024-11-28-again', 60_000);
  expect(smtp.received.length).toBe(countAfterDay1);

  // Unsubscribe with the link in the digest body: GET shows a page, POST unsubscribes.
  const unsubscribe = local(linkIn(digest, '/unsubscribe/'));
  expect((await fetch(unsubscribe)).status).toBe(200);
  expect(await db.prisma.subscriber.count({ where: { email: 'reader@example.org', status: 'active' } })).toBe(1);
  const res = await fetch(unsubscribe, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
  expect(res.status).toBe(200);

  await runDay('2026-04-27');
  const day2 = (address: string) => smtp.to(address).filter((m) => (m.parsed.text ?? '').includes('27 April 2026'));
  expect(day2('other@example.org')).toHaveLength(1);
  expect(day2('reader@example.org')).toHaveLength(0);
  expect(smtp.to('reader@example.org').filter((m) => /papers? for you/.test(m.parsed.subject ?? ''))).toHaveLength(1);
});
