/**
 * A new instance has no history, and its first small days are matched best with earlier papers as
 * context (docs/matching.md, "Context"). Its first daily run fetches the HISTORY_DAYS days before
 * the digest date once, from the sources over the network (a local server answering with the
 * recorded Hugging Face lists), and matches with them.
 */
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { testConfig } from '../../../src/config/config.js';
import { createPaperRepository } from '../../../src/papers/paper-repository.js';
import { createIngestor } from '../../../src/sources/ingestor.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { uniquePrefix } from '../../support/env.js';
import { createDeliveryStack, type DeliveryStack } from '../../support/delivery-stack.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { readFixture } from '../../support/fixtures.js';

// Hugging Face lists of Friday 2026-07-10 (11 papers) and Monday 2026-07-13 (14 papers), as recorded.
const LISTS = readFixture('hf-daily-papers/daily_papers-limit25_2026-07-13_spans-two-days.json');
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

let db: TestDatabase;
let server: FaultServer;
let stack: DeliveryStack | undefined;
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
let log = '';

beforeAll(async () => { await redis.connect(); });
afterAll(() => { redis.disconnect(); });
beforeEach(async () => {
  db = await createTestDatabase();
  server = await startFaultServer();
  log = '';
});
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  await server.close();
  await db.drop();
});

/** A Hugging Face-only instance whose sources are the local server; `failing`: list dates answered 500. */
function instance(historyDays: number, failing: string[] = []) {
  server.script('/api/daily_papers', (req) => {
    const date = req.query.get('date') ?? '';
    if (failing.includes(date)) return { status: 500 };
    return { headers: JSON_TYPE, body: date === '2026-07-10' || date === '2026-07-13' ? LISTS : '[]' };
  });
  const prefix = uniquePrefix('history');
  const config = testConfig({ SOURCES: 'hf', HF_BASE_URL: server.url, HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '2000', QUEUE_PREFIX: prefix });
  const ingestor = createIngestor({ config, prisma: db.prisma, redis, repository: createPaperRepository(db.prisma, { arxiv: false }) });
  stack = createDeliveryStack({
    databaseUrl: db.url, smtpUrl: 'smtp://127.0.0.1:1', prefix, prisma: db.prisma, ingestor, arxiv: false,
    history: { days: historyDays, sources: ['hf'] }, env: { LOG_LEVEL: 'info', SOURCES: 'hf' },
    logDestination: new PassThrough().on('data', (chunk) => { log += String(chunk); }),
  });
  return stack;
}
const logLines = () => log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; [k: string]: unknown });
const listDates = () => server.requests.filter((r) => r.path === '/api/daily_papers').map((r) => r.query.get('date'));

async function reader(confirmed: string) {
  await db.prisma.subscriber.create({
    data: { email: 'reader@example.org', status: 'active', topics: ['panoramic generation'], deliveryHour: 0, confirmedAt: new Date(`${confirmed}T12:00:00Z`) },
  });
}

test('the first run of a new instance fetches the days before once; their papers are context, not its digest', async () => {
  await reader('2026-07-13');
  const s = instance(5, ['2026-07-08']);
  // Tuesday 2026-07-14 carries Monday's list (14 papers): a small first day with nothing stored before it.
  const first = await s.runs.run('2026-07-14');
  expect(first.papers).toBe(14);
  // Digest days 07-09 … 07-13 carry the lists of 07-08 … 07-12: Friday 07-10's 11 papers are stored;
  // the list of 07-08 failed (reported, and the run went on).
  expect(listDates()).toEqual(['2026-07-13', '2026-07-08', '2026-07-09', '2026-07-10', '2026-07-11', '2026-07-12']);
  expect(first.history).toEqual({
    days: ['2026-07-09', '2026-07-10', '2026-07-11', '2026-07-12', '2026-07-13'], papers: 11,
    errors: [expect.stringMatching(/^2026-07-09 hf: .*500/)],
  });
  expect(first.candidatePapers).toBe(25); // 07-10 is inside the week: its papers are in the window's week
  expect(await db.prisma.paperListing.count({ where: { day: new Date('2026-07-10') } })).toBe(11);
  expect(logLines().find((l) => l.msg.startsWith('digest.run.history-fetched'))).toMatchObject({ papers: 11, errors: 1 });
  expect((await s.ledger.report('2026-07-14'))?.history?.papers).toBe(11);
  // The reader confirmed on 07-13: Monday's panorama paper is theirs; Friday's (07-10) is only context.
  const sent = (await db.prisma.deliveryPaper.findMany()).map((d) => d.paperId);
  expect(sent).toContain('2607.09661'); // PanoWorld: Real-World Panoramic Generation (listed 07-13)
  expect(sent).not.toContain('2607.08765'); // In-context Panoramic Generation (listed 07-10)

  // The next day fetches its own list only: the history was fetched once.
  const asked = listDates().length;
  const second = await s.runs.run('2026-07-15');
  expect(second.history).toBeUndefined();
  expect(listDates().slice(asked)).toEqual(['2026-07-14']);
});

test('HISTORY_DAYS 0 fetches nothing before the day; a run without fetching never does', async () => {
  await reader('2026-07-13');
  const off = instance(0);
  expect((await off.runs.run('2026-07-14')).history).toBeUndefined();
  expect(listDates()).toEqual(['2026-07-13']);
  await off.close();
  const on = instance(5);
  expect((await on.runs.run('2026-07-14', { fetch: false })).history).toBeUndefined();
  expect(listDates()).toEqual(['2026-07-13']);
});
