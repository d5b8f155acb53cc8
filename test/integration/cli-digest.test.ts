/**
 * `paperboy digest --date D [--dry-run]` as an operator runs it (the compiled command in a child
 * process): the recorded arXiv listing of the day is fetched, subscribers matched, digests sent, and
 * the report printed at the end and stored on the run. A dry run records and sends nothing; a second
 * run sends nothing twice. Real PostgreSQL, Redis and SMTP server (answering 550 for one address).
 */
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { rawHeaders, startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { FIXTURES_DIR, uniquePrefix } from '../support/env.js';
import { runPaperboy } from '../support/processes.js';

const DAY = '2024-11-28';
let db: TestDatabase;
let smtp: TestSmtpServer;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpServer();
  smtp.onRcpt = (address) => (address === 'gone@example.org' ? { code: 550, message: '5.1.1 No such user' } : undefined);
  env = {
    DATABASE_URL: db.url, SMTP_URL: smtp.url, QUEUE_PREFIX: uniquePrefix('cli'), LOG_LEVEL: 'warn',
    PUBLIC_BASE_URL: 'http://paperboy.test', FEEDS_DIR: FIXTURES_DIR, SOURCES: 'arxiv-rss',
  };
  const base = { status: 'active' as const, deliveryHour: 23, confirmedAt: new Date('2024-01-01') };
  await db.prisma.subscriber.createMany({
    data: [
      { ...base, email: 'llm@example.org', topics: ['language models'] },
      { ...base, email: 'gnn@example.org', topics: ['graph neural networks', 'cat:cs.LG diffusion'] },
      { ...base, email: 'gone@example.org', topics: ['language models'] },
      { ...base, email: 'nothing@example.org', topics: ['"sourdough fermentation"'] },
      { ...base, email: 'left@example.org', topics: ['language models'], status: 'unsubscribed' },
    ],
  });
});

afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

async function digest(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = runPaperboy(['digest', '--date', DAY, ...args], env);
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  return { code, out: child.output() };
}

function number(out: string, label: RegExp): number {
  const m = label.exec(out);
  if (!m) throw new Error(`no ${label} in:\n${out}`);
  return Number(m[1]);
}

test('a dry run fetches and matches, prints what would be sent, and records and sends nothing', async () => {
  const { code, out } = await digest(['--dry-run']);
  expect(code).toBe(0);
  expect(out).toContain(`digest ${DAY} (dry run: nothing recorded or sent)`);
  expect(number(out, /source arxiv-rss: fetched (\d+)/)).toBeGreaterThan(500);
  expect(out).toMatch(/subscribers considered: 4, matched: 3, new digests composed: 3/);
  expect(out).not.toMatch(/emails sent/);
  expect(smtp.received).toHaveLength(0);
  expect(await db.prisma.delivery.count()).toBe(0);
  expect(await db.prisma.digestRun.count()).toBe(0);
});

test('a run sends each matched subscriber one digest now, reports sent / bounced, and stores the same report', async () => {
  const { code, out } = await digest([]);
  expect(code).toBe(0);
  expect(out).toMatch(/subscribers considered: 4, matched: 3, new digests composed: 3/);
  expect(out).toMatch(/emails sent: 2, skipped: 0, failed: 0, bounced: 1, uncertain: 0, still queued: 0/);
  expect(out).toMatch(/run status: completed/);
  expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['gnn@example.org', 'llm@example.org']);
  for (const m of smtp.received) {
    expect(m.parsed.subject).toMatch(/new papers? for you/);
    expect(rawHeaders(m, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe=One-Click']);
  }
  const run = await db.prisma.digestRun.findUniqueOrThrow({ where: { digestDate: new Date(`${DAY}T00:00:00Z`) } });
  expect(run.status).toBe('completed');
  expect(run.composedAt).not.toBeNull();
  expect(run.report).toMatchObject({
    papersFetched: number(out, /papers fetched: (\d+)/), subscribersConsidered: 4, subscribersMatched: 3, deliveriesCreated: 3,
    deliveries: { sent: 2, bounced: 1, failed: 0, queued: 0, sending: 0 },
  });
  expect((await db.prisma.subscriber.findUniqueOrThrow({ where: { email: 'gone@example.org' } })).hardBounces).toBe(1);
});

test('running the date again composes and sends nothing twice', async () => {
  const before = smtp.received.length;
  const { code, out } = await digest(['--no-fetch']);
  expect(code).toBe(0);
  expect(out).toMatch(/new digests composed: 0/);
  expect(out).toMatch(/emails sent: 2, skipped: 0, failed: 0, bounced: 1/);
  expect(smtp.received).toHaveLength(before);
  expect(await db.prisma.delivery.count()).toBe(3);
});

test('a date that is not one is refused with a message naming the flag', async () => {
  const child = runPaperboy(['digest', '--date', '2024-02-30'], env);
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  expect(code).not.toBe(0);
  expect(child.output()).toMatch(/--date must be a calendar date YYYY-MM-DD, got "2024-02-30"/);
});

test('a recipient greylisted (451) once is retried by the command and gets one digest; exit code 0', async () => {
  const day = '2026-04-27';
  let refused = 0;
  smtp.onRcpt = (address) => (address === 'llm@example.org' && refused++ === 0 ? { code: 451, message: '4.7.1 Greylisted' } : undefined);
  const before = smtp.received.length;
  const child = runPaperboy(['digest', '--date', day], { ...env, SEND_BACKOFF_MS: '50' });
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  const out = child.output();
  expect(code).toBe(0);
  expect(refused).toBe(2); // refused once, accepted on the retry
  const sent = number(out, /emails sent: (\d+)/);
  expect(sent).toBeGreaterThanOrEqual(1);
  expect(out).toMatch(/failed: 0, bounced: 0, uncertain: 0, still queued: 0/);
  const mine = smtp.received.slice(before);
  expect(mine).toHaveLength(sent);
  expect(mine.filter((m) => m.to[0] === 'llm@example.org')).toHaveLength(1);
  const row = await db.prisma.delivery.findFirstOrThrow({ where: { digestDate: new Date(`${day}T00:00:00Z`), subscriber: { email: 'llm@example.org' } } });
  expect(row).toMatchObject({ status: 'sent', attempts: 2 });
});
