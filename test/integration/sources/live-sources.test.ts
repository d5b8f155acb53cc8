// The network sources against a local server that serves the recorded payloads and injects faults.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testConfig } from '../../../src/config/config.js';
import { createPaperRepository } from '../../../src/papers/paper-repository.js';
import { createIngestor, isEmptyDay } from '../../../src/sources/ingestor.js';
import type { SourceName } from '../../../src/sources/source.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { readFixture } from '../../support/fixtures.js';

const RSS_LG = readFixture('arxiv-rss/rss2-2026-04-27_cs.LG_3-items_trimmed.xml'); // Monday 2026-04-27
const RSS_SAT = readFixture('arxiv-rss/rss2-2026-08-01_cs.CL_saturday_EMPTY.xml');
const RSS_XML = { 'content-type': 'application/rss+xml; charset=utf-8' };
const ATOM_XML = { 'content-type': 'application/atom+xml; charset=utf-8' };
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const INTERVAL = 150;

let db: TestDatabase;
let server: FaultServer;
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
const prefix = `test-sources-${process.pid}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  await redis.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.drop();
});
beforeEach(async () => {
  server = await startFaultServer();
  await db.prisma.$executeRawUnsafe('TRUNCATE "paper", "fetch_cache" CASCADE');
});
afterEach(async () => { await server.close(); });

function setup(env: Record<string, string> = {}, extra: { sleep?: (ms: number) => Promise<void>; redis?: Redis } = {}) {
  const config = testConfig({
    QUEUE_PREFIX: `${prefix}-${randomBytes(3).toString('hex')}`,
    ARXIV_RSS_BASE_URL: server.url, ARXIV_API_BASE_URL: server.url, HF_BASE_URL: server.url,
    ARXIV_CATEGORIES: 'cs.LG', SOURCES: 'arxiv-rss,hf', ARXIV_MIN_INTERVAL_MS: String(INTERVAL), ARXIV_API_ENRICH: 'false', // enrichment: arxiv-lookup.test.ts
    HTTP_RETRY_BASE_MS: '20', HTTP_RETRIES: '3', HTTP_TIMEOUT_MS: '2000', CONTACT_EMAIL: 'ops@example.org', ...env,
  });
  const repository = createPaperRepository(db.prisma);
  const ingestor = createIngestor({ config, prisma: db.prisma, redis: extra.redis ?? redis, repository, sleep: extra.sleep });
  return { config, repository, ingestor, run: (day: string, sources: SourceName[]) => ingestor.fetchDay(day, { sources }) };
}

const rssRequests = () => server.requests.filter((r) => r.path === '/rss/cs.LG');

test('500 then 200: retried, stored, with the User-Agent and arXiv request spacing', async () => {
  server.script('/rss/cs.LG', [{ status: 500 }, { status: 503 }, { headers: RSS_XML, body: RSS_LG }]);
  const { run, repository } = setup();
  const report = await run('2026-04-27', ['arxiv-rss']);
  expect(report.sources[0]).toMatchObject({ source: 'arxiv-rss', fetched: 3, new: 3, errors: [], empty: false });
  const reqs = rssRequests();
  expect(reqs).toHaveLength(3);
  expect(reqs[0].headers['user-agent']).toMatch(/^Paperboy\/.*mailto:ops@example\.org/);
  for (let i = 1; i < reqs.length; i++) expect(reqs[i].at - reqs[i - 1].at).toBeGreaterThanOrEqual(INTERVAL - 5);
  expect((await repository.forDigestDay('2026-04-27')).map((p) => p.id)).toEqual(['2604.21952', '2604.21953', '2604.21956']);
});

test('429 with Retry-After is honoured before the retry', async () => {
  server.script('/rss/cs.LG', [{ status: 429, headers: { 'retry-after': '2' } }, { headers: RSS_XML, body: RSS_LG }]);
  const waits: number[] = [];
  const { run } = setup({}, { sleep: async (ms) => { waits.push(ms); } });
  const report = await run('2026-04-27', ['arxiv-rss']);
  expect(report.sources[0]).toMatchObject({ new: 3, errors: [] });
  expect(waits.some((w) => w >= 2000)).toBe(true);
});

test('a response slower than the timeout is retried; always slow is a reported error, other sources go on', async () => {
  server.script('/rss/cs.LG', [{ delayMs: 1000, headers: RSS_XML, body: RSS_LG }, { headers: RSS_XML, body: RSS_LG }]);
  const { run } = setup({ HTTP_TIMEOUT_MS: '200' });
  expect((await run('2026-04-27', ['arxiv-rss'])).sources[0]).toMatchObject({ new: 3, errors: [] });

  server.script('/rss/cs.LG', [{ delayMs: 600, headers: RSS_XML, body: RSS_LG }]);
  server.script('/api/daily_papers', [{ headers: JSON_TYPE, body: '[]' }]);
  const slow = setup({ HTTP_TIMEOUT_MS: '200', HTTP_RETRIES: '1' });
  const report = await slow.run('2026-04-28', ['arxiv-rss', 'hf']);
  expect(report.sources[0].errors).toEqual([expect.stringContaining('no complete answer within 200 ms')]);
  expect(report.sources[0].empty).toBe(false);
  expect(report.sources[1]).toMatchObject({ source: 'hf', errors: [], empty: true });
  expect(isEmptyDay(report)).toBe(false);
});

test('a body cut off mid-transfer is retried; a complete but truncated document keeps its whole entries', async () => {
  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: RSS_LG, truncateAt: 2000 }, { headers: RSS_XML, body: RSS_LG }]);
  const { run } = setup();
  expect((await run('2026-04-27', ['arxiv-rss'])).sources[0]).toMatchObject({ new: 3, errors: [] });
  expect(rssRequests()).toHaveLength(2);

  server.script('/rss/cs.AI', [{ headers: ATOM_XML, body: readFixture('arxiv-rss/atom-2025-08-20_cs.AI_86-entries_TRUNCATED.xml') }]);
  const atom = setup({ ARXIV_CATEGORIES: 'cs.AI' });
  const r = (await atom.run('2025-08-20', ['arxiv-rss'])).sources[0];
  expect(r).toMatchObject({ fetched: 86, new: 86, skipped: 1, errors: [] });
  expect(r.skippedEntries[0]).toMatchObject({ source: 'arxiv-rss', where: expect.stringContaining('/rss/cs.AI entry 87') });
});

test('a wrong content type and an oversized body are errors, not retried', async () => {
  server.script('/rss/cs.LG', [{ headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' }]);
  const { run } = setup();
  expect((await run('2026-04-27', ['arxiv-rss'])).sources[0].errors).toEqual([expect.stringContaining('content type "text/html"')]);
  expect(rssRequests()).toHaveLength(1);

  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: RSS_LG }]);
  const small = setup({ HTTP_MAX_BYTES: '1024' });
  expect((await small.run('2026-04-27', ['arxiv-rss'])).sources[0].errors).toEqual([expect.stringContaining('exceeds HTTP_MAX_BYTES')]);
  expect(rssRequests()).toHaveLength(2);
});

test('an empty weekend feed and no Hugging Face list make an empty day: no digest', async () => {
  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: RSS_SAT }]);
  const { run } = setup();
  const report = await run('2026-08-01', ['arxiv-rss', 'hf']);
  expect(report.sources.map((s) => [s.source, s.empty, s.errors])).toEqual([['arxiv-rss', true, []], ['hf', true, []]]);
  expect(isEmptyDay(report)).toBe(true);
  expect(server.requests.filter((r) => r.path === '/api/daily_papers')).toHaveLength(0); // no list belongs to a Saturday
});

test('an unchanged feed is not downloaded again (ETag), and a feed of another day is reported', async () => {
  server.script('/rss/cs.LG', (req) => (req.headers['if-none-match'] === '"v1"'
    ? { status: 304 }
    : { headers: { ...RSS_XML, etag: '"v1"' }, body: RSS_LG }));
  const { run } = setup();
  expect((await run('2026-04-27', ['arxiv-rss'])).sources[0]).toMatchObject({ new: 3, empty: false });
  const again = (await run('2026-04-27', ['arxiv-rss'])).sources[0];
  expect(again).toMatchObject({ fetched: 0, new: 0, errors: [], empty: false });
  expect(rssRequests()[1].headers['if-none-match']).toBe('"v1"');

  await db.prisma.fetchCache.deleteMany();
  const late = (await run('2026-04-28', ['arxiv-rss'])).sources[0];
  expect(late.errors).toEqual([expect.stringContaining('the listing of 2026-04-28 is not published yet')]);
  // An error feed (misspelt category) is an error of the source, never papers.
  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: readFixture('arxiv-rss/rss2-2024-11-28_ERROR_bad-archive-astroph.xml') }]);
  expect((await run('2024-11-28', ['arxiv-rss'])).sources[0].errors).toEqual([expect.stringMatching(/^Feed error for query/)]);
});

test('Hugging Face: the list days of the digest day, paged by Link rel="next", other days dropped', async () => {
  const items = JSON.parse(readFixture('hf-daily-papers/daily_papers-limit25_2026-07-13_spans-two-days.json')) as unknown[];
  server.script('/api/daily_papers', (req) => {
    const p = Number(req.query.get('p') ?? '0');
    const next = { link: `<${server.url}/api/daily_papers?date=${req.query.get('date')}&limit=100&p=${p + 1}>; rel="next"` };
    if (req.query.get('date') !== '2026-07-13' || p >= 2) return { headers: JSON_TYPE, body: '[]' };
    return { headers: { ...JSON_TYPE, ...next }, body: JSON.stringify(p === 0 ? items.slice(0, 10) : items.slice(10)) };
  });
  const { run } = setup();
  const report = await run('2026-07-14', ['hf']);
  expect(report.sources[0]).toMatchObject({ source: 'hf', fetched: 25, new: 14, errors: [], empty: false });
  expect(server.requests.map((r) => r.query.get('p') ?? '0')).toEqual(['0', '1', '2']);
  const monday = await run('2026-07-13', ['hf']); // Monday's digest: Friday, Saturday and Sunday lists
  expect(server.requests.slice(3).map((r) => r.query.get('date'))).toEqual(['2026-07-10', '2026-07-11', '2026-07-12']);
  expect(monday.sources[0]).toMatchObject({ new: 0, empty: true });
  const row = await db.prisma.paper.findFirstOrThrow({ where: { hfUpvotes: { not: null } }, orderBy: { id: 'asc' } });
  expect(row.sources).toEqual(['hf']);
});

test('arXiv export API backfill: the submission window, paged, and error answers reported', async () => {
  server.script('/api/query', (req) => (req.query.get('start') === '0'
    ? { headers: ATOM_XML, body: readFixture('arxiv-api/api-2026-04-30_new-format_cat-cs.LG-OR-cs.AI_20-entries.xml') }
    : { headers: ATOM_XML, body: readFixture('arxiv-api/api-2026-04-12_new-format_EMPTY_id_list-0000.0000.body.xml') }));
  const { run } = setup();
  const report = await run('2026-04-30', ['arxiv-api']);
  expect(report.sources[0]).toMatchObject({ source: 'arxiv-api', fetched: 20, new: 20, errors: [] });
  const q = server.requests.map((r) => r.query);
  expect(q.map((x) => x.get('start'))).toEqual(['0', '20']);
  // Thursday's list: submissions from Tuesday 14:00 to Wednesday 14:00 New York time (EDT = UTC-4).
  expect(q[0].get('search_query')).toBe('(cat:cs.LG) AND submittedDate:[202604281800 TO 202604291759]');
  expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(INTERVAL - 5);
  expect(await db.prisma.paperListing.count({ where: { source: 'arxiv-api', day: new Date('2026-04-30') } })).toBe(20);

  server.script('/api/query', [{ status: 400, headers: ATOM_XML, body: readFixture('arxiv-api/api-2026-04-12_new-format_ERROR-http400_id_list-abc.body.xml') }]);
  expect((await run('2026-04-30', ['arxiv-api'])).sources[0].errors).toEqual([expect.stringContaining('arXiv API error: incorrect id format for abc')]);
  expect((await run('2026-05-02', ['arxiv-api'])).sources[0]).toMatchObject({ empty: true, errors: [] }); // Saturday
});

test('the arXiv rate limit holds across processes sharing Redis', async () => {
  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: RSS_LG }]);
  const other = new Redis('redis://127.0.0.1:6379');
  try {
    const shared = { QUEUE_PREFIX: `${prefix}-shared`, HTTP_RETRIES: '0' };
    const a = setup(shared);
    const b = setup(shared, { redis: other });
    await Promise.all([a.run('2026-04-27', ['arxiv-rss']), b.run('2026-04-27', ['arxiv-rss']), a.run('2026-04-27', ['arxiv-rss'])]);
    const at = rssRequests().map((r) => r.at).sort((x, y) => x - y);
    expect(at).toHaveLength(3);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(INTERVAL - 5);
  } finally {
    other.disconnect();
  }
});
