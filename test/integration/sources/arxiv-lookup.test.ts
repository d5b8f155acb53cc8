// arXiv export API look-up by id and the enrichment of an RSS day, against the local fault server
// answering with the recorded API payloads (test/support/arxiv-api-fixtures.ts).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testConfig } from '../../../src/config/config.js';
import { createPaperRepository } from '../../../src/papers/paper-repository.js';
import { ARXIV_MAX_BATCH, createArxivLookup } from '../../../src/sources/arxiv-lookup.js';
import { createIngestor } from '../../../src/sources/ingestor.js';
import { createLiveTransport } from '../../../src/sources/live-sources.js';
import { silentLogger } from '../../../src/sources/source.js';
import { arxivApiFake } from '../../support/arxiv-api-fixtures.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { FIXTURES_DIR, readFixture } from '../../support/fixtures.js';

const INTERVAL = 120;
const RSS_XML = { 'content-type': 'application/rss+xml; charset=utf-8' };
// The recorded Monday 2026-04-27 cs.LG listing with two of its three ids replaced by ids that the
// recorded API answers hold (no recorded RSS and API payloads share a paper): 2604.26888 has a DOI,
// a journal ref and a comment, 2604.26851 a DOI and a comment; 2604.21956 is not in any API answer.
const RSS_DAY = '2026-04-27';
const RSS = readFixture('arxiv-rss/rss2-2026-04-27_cs.LG_3-items_trimmed.xml')
  .replaceAll('2604.21952', '2604.26888')
  .replaceAll('2604.21953', '2604.26851');
const RSS_IDS = ['2604.21956', '2604.26851', '2604.26888'];

let db: TestDatabase;
let server: FaultServer;
const fake = arxivApiFake();
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
const prefix = `test-lookup-${process.pid}-${randomBytes(3).toString('hex')}`;

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
  server.script('/api/query', (req) => fake.answer(req));
  server.script('/rss/cs.LG', [{ headers: RSS_XML, body: RSS }]);
  await db.prisma.$executeRawUnsafe('TRUNCATE "paper", "fetch_cache" CASCADE');
});
afterEach(async () => { await server.close(); });

function configFor(env: Record<string, string> = {}) {
  return testConfig({
    QUEUE_PREFIX: `${prefix}-${randomBytes(3).toString('hex')}`,
    ARXIV_RSS_BASE_URL: server.url, ARXIV_API_BASE_URL: server.url, HF_BASE_URL: server.url,
    ARXIV_CATEGORIES: 'cs.LG', SOURCES: 'arxiv-rss', ARXIV_MIN_INTERVAL_MS: String(INTERVAL),
    HTTP_RETRY_BASE_MS: '20', HTTP_RETRIES: '2', HTTP_TIMEOUT_MS: '2000', CONTACT_EMAIL: 'ops@example.org', ...env,
  });
}

function lookupFor(config: ReturnType<typeof configFor>, batchSize?: number) {
  const transport = createLiveTransport({ config, prisma: db.prisma, redis, logger: silentLogger });
  return createArxivLookup({ transport, baseUrl: config.arxivApiBaseUrl, batchSize });
}

const apiRequests = () => server.requests.filter((r) => r.path === '/api/query');
const idLists = () => apiRequests().map((r) => r.query.get('id_list')!.split(','));

/** Start-to-start gaps of the recorded requests (server clock, ms). */
function gaps(): number[] {
  const at = apiRequests().map((r) => r.at);
  return at.slice(1).map((t, i) => t - at[i]);
}

test('ids are sent in batches (ARXIV_API_LOOKUP_BATCH, never above 2000), one request per batch, spaced by the shared limit', async () => {
  const config = configFor({ ARXIV_API_LOOKUP_BATCH: '2' });
  const ids = ['2604.26951', '2202.12139v1', 'astro-ph/0601001', '2606.13677', '2604.26951', '2604.99999'];
  const got = await lookupFor(config, config.arxivApiLookupBatch).lookupIds(ids);
  // Duplicates are asked once: 5 distinct ids in batches of 2.
  expect(idLists()).toEqual([['2604.26951', '2202.12139v1'], ['astro-ph/0601001', '2606.13677'], ['2604.99999']]);
  expect(apiRequests().map((r) => r.query.get('max_results'))).toEqual(['2', '2', '1']);
  expect(got.records.map((r) => r.id)).toEqual(['2604.26951', '2202.12139', 'astro-ph/0601001', '2606.13677']);
  expect(got).toMatchObject({ unknown: ['2604.99999'], invalid: [], errors: [], requests: 3 });
  expect(apiRequests()[0].headers['user-agent']).toMatch(/^Paperboy\/.*mailto:ops@example\.org/);
  // The limiter lets a request start INTERVAL ms after the previous one ended (Redis clock, in whole
  // ms; the server records whole ms of the same clock, hence the 1 ms of rounding).
  for (const g of gaps()) expect(g).toBeGreaterThanOrEqual(INTERVAL - 1);
});

test('the batch never exceeds 2000 ids, and two look-ups running at once share the spacing', async () => {
  const config = configFor();
  const many = Array.from({ length: ARXIV_MAX_BATCH + 1 }, (_, i) => `2605.${String(10000 + i)}`);
  const [big, small] = await Promise.all([
    lookupFor(config, 5000).lookupIds(['2604.26888', ...many.slice(1)]),
    lookupFor(config).lookupIds(['2604.26851']),
  ]);
  expect(idLists().map((l) => l.length).sort((a, b) => a - b)).toEqual([1, 1, ARXIV_MAX_BATCH]);
  expect(big.records.map((r) => r.id)).toEqual(['2604.26888']);
  expect(big.unknown).toHaveLength(ARXIV_MAX_BATCH); // 2001 ids, one recorded
  expect(small.records.map((r) => r.id)).toEqual(['2604.26851']);
  for (const g of gaps()) expect(g).toBeGreaterThanOrEqual(INTERVAL - 1);
});

test('unknown ids (dropped silently by arXiv) are reported; malformed ids are never sent', async () => {
  const got = await lookupFor(configFor()).lookupIds(['0808.05394', 'abc', 'arXiv:1707.08567']);
  // The recorded answer to id_list=0808.05394,1707.08567: one entry, no error.
  expect(idLists()).toEqual([['0808.05394', '1707.08567']]);
  expect(got.records.map((r) => r.id)).toEqual(['1707.08567']);
  expect(got).toMatchObject({ unknown: ['0808.05394'], invalid: ['abc'], errors: [] });

  server.requests.length = 0;
  const recorded = await lookupFor(configFor({ ARXIV_API_LOOKUP_BATCH: '1' }), 1).lookupIds(['2104.12255v1', '0000.0000']);
  expect(recorded.records.map((r) => [r.id, r.version])).toEqual([['2104.12255', 1]]);
  expect(recorded.unknown).toEqual(['0000.0000']);
});

test('an error answer (HTTP 400, /api/errors entry) fails its batch only; it is not retried', async () => {
  let n = 0;
  server.script('/api/query', (req) => (n++ === 0 ? fake.errorAnswer : fake.answer(req)));
  const got = await lookupFor(configFor(), 1).lookupIds(['2604.26951', '2604.26942']);
  expect(apiRequests()).toHaveLength(2);
  expect(got.errors).toEqual([expect.stringMatching(/id_list=2604\.26951.*arXiv API error: incorrect id format for abc/)]);
  expect(got.records.map((r) => r.id)).toEqual(['2604.26942']);
  expect(got.unknown).toEqual([]);

  server.script('/api/query', [{ status: 503 }]);
  const down = await lookupFor(configFor({ HTTP_RETRIES: '1' })).lookupIds(['2604.26951']);
  expect(down.errors).toEqual([expect.stringContaining('HTTP 503')]);
  expect(down.records).toEqual([]);
});

async function digestDay(repository: ReturnType<typeof createPaperRepository>, day: string) {
  return (await repository.forDigestDay(day)).map((p) => p.id);
}

test('enrichment fills comment, DOI and dates of the day\'s papers and leaves the papers of the day unchanged', async () => {
  const repository = createPaperRepository(db.prisma);
  const ingestor = createIngestor({ config: configFor({ ARXIV_API_LOOKUP_BATCH: '2' }), prisma: db.prisma, redis, repository });
  const report = await ingestor.fetchDay(RSS_DAY);
  expect(report.sources[0]).toMatchObject({
    source: 'arxiv-rss', new: 3, errors: [], empty: false,
    enrichment: { requested: 3, enriched: 2, unknown: ['2604.21956'], errors: [] },
  });
  expect(idLists()).toEqual([['2604.21956', '2604.26851'], ['2604.26888']]);

  const rows = await db.prisma.paper.findMany({ orderBy: { id: 'asc' } });
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  expect(byId['2604.26888']).toMatchObject({
    doi: expect.stringMatching(/^10\./), journalRef: expect.any(String), comment: expect.any(String),
    submittedAt: new Date('2026-04-29T16:57:40Z'), versionDate: new Date('2026-04-29T16:57:40Z'), announcedOn: new Date(`${RSS_DAY}T00:00:00Z`),
  });
  expect(byId['2604.26851']).toMatchObject({ doi: expect.stringMatching(/^10\./), comment: expect.any(String), submittedAt: new Date('2026-04-29T16:17:16Z') });
  expect(byId['2604.21956']).toMatchObject({ submittedAt: null, comment: null });

  // The papers of the day are the three arXiv listed; the API's records add no listing, neither on
  // the RSS day nor on the day the API's dates point to (2026-04-30).
  expect(await digestDay(repository, RSS_DAY)).toEqual(RSS_IDS);
  expect(await db.prisma.paperListing.findMany({ select: { paperId: true, source: true }, orderBy: { paperId: 'asc' } }))
    .toEqual(RSS_IDS.map((paperId) => ({ paperId, source: 'arxiv-rss' })));
  expect(await digestDay(repository, '2026-04-30')).toEqual([]);

  // A re-run asks only for what is still missing and changes nothing.
  server.requests.length = 0;
  const again = await ingestor.fetchDay(RSS_DAY);
  expect(again.sources[0]).toMatchObject({ new: 0, updated: 0, enrichment: { requested: 1, enriched: 0, unknown: ['2604.21956'] } });
  expect(idLists()).toEqual([['2604.21956']]);
  expect(await digestDay(repository, RSS_DAY)).toEqual(RSS_IDS);
});

test('an enrichment failure is reported but never fails the day; ARXIV_API_ENRICH=false sends no look-up', async () => {
  server.script('/api/query', [{ status: 500 }]);
  const repository = createPaperRepository(db.prisma);
  const failing = createIngestor({ config: configFor({ HTTP_RETRIES: '0' }), prisma: db.prisma, redis, repository });
  const report = await failing.fetchDay(RSS_DAY);
  expect(report.sources[0]).toMatchObject({ new: 3, errors: [], empty: false, enrichment: { requested: 3, enriched: 0, errors: [expect.stringContaining('HTTP 500')] } });
  expect(await digestDay(repository, RSS_DAY)).toEqual(RSS_IDS);

  await db.prisma.$executeRawUnsafe('TRUNCATE "paper", "fetch_cache" CASCADE');
  server.requests.length = 0;
  const off = createIngestor({ config: configFor({ ARXIV_API_ENRICH: 'false' }), prisma: db.prisma, redis, repository });
  const plain = await off.fetchDay(RSS_DAY);
  expect(plain.sources[0]).toMatchObject({ new: 3, errors: [] });
  expect(plain.sources[0].enrichment).toBeUndefined();
  expect(apiRequests()).toEqual([]);
  expect(await digestDay(repository, RSS_DAY)).toEqual(RSS_IDS);
});

test('recorded mode (FEEDS_DIR) never enriches and never looks up', async () => {
  const repository = createPaperRepository(db.prisma);
  const ingestor = createIngestor({
    config: configFor({ ARXIV_API_ENRICH: 'true', FEEDS_DIR: FIXTURES_DIR }), prisma: db.prisma, redis, repository,
  });
  const report = await ingestor.fetchDay('2026-04-27', { sources: ['arxiv-rss'] });
  expect(report.sources[0]).toMatchObject({ errors: [], empty: false });
  expect(report.sources[0].enrichment).toBeUndefined();
  expect(server.requests).toEqual([]);
  await expect(ingestor.fetchIds(['2604.26888'])).rejects.toThrow(/FEEDS_DIR/);
});

test('fetchIds stores the papers looked up, without a listing; a re-run changes nothing', async () => {
  const repository = createPaperRepository(db.prisma);
  const ingestor = createIngestor({ config: configFor(), prisma: db.prisma, redis, repository });
  const r = await ingestor.fetchIds(['astro-ph/0601001', '2604.26888', '0808.05394', 'abc']);
  expect(r).toMatchObject({ requested: 4, found: 2, new: 2, updated: 0, unknown: ['0808.05394'], invalid: ['abc'], errors: [] });
  const astro = await db.prisma.paper.findUniqueOrThrow({ where: { id: 'astro-ph/0601001' } });
  expect(astro).toMatchObject({ journalRef: expect.any(String), announcedOn: null, sources: ['arxiv-api'] });
  expect((astro.meta as { extra: { 'arxiv-api': { affiliations: string[][] } } }).extra['arxiv-api'].affiliations).toHaveLength(4);
  expect(await db.prisma.paperListing.count()).toBe(0);
  expect(await digestDay(repository, '2026-04-30')).toEqual([]);

  // Later the RSS listing of the day lists one of them: still one paper, now of that day.
  const day = await ingestor.fetchDay(RSS_DAY);
  expect(day.sources[0]).toMatchObject({ new: 2, errors: [] });
  expect(await db.prisma.paper.count()).toBe(4);
  expect(await digestDay(repository, RSS_DAY)).toEqual(RSS_IDS);

  const again = await ingestor.fetchIds(['astro-ph/0601001']);
  expect(again).toMatchObject({ found: 1, new: 0, updated: 0, unchanged: 1 });
});
