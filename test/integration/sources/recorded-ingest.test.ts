// Recorded mode: the Ingestor reads FEEDS_DIR instead of the network (the demo runs on it).
import { testConfig } from '../../../src/config/config.js';
import { createPaperRepository } from '../../../src/papers/paper-repository.js';
import { createIngestor, isEmptyDay } from '../../../src/sources/ingestor.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { FIXTURES_DIR } from '../../support/fixtures.js';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });

function ingestor(overrides: Record<string, string> = {}) {
  const config = testConfig({ FEEDS_DIR: FIXTURES_DIR, SOURCES: 'arxiv-rss,arxiv-api,hf', ...overrides });
  const repository = createPaperRepository(db.prisma);
  return { repository, ingestor: createIngestor({ config, prisma: db.prisma, repository }) };
}

test('2024-11-28 from the recorded feeds: the new and cross-listed papers of that day, once', async () => {
  const { ingestor: ing, repository } = ingestor();
  const first = await ing.fetchDay('2024-11-28');
  const rss = first.sources.find((s) => s.source === 'arxiv-rss')!;
  expect(rss).toMatchObject({ fetched: 1504, new: 935, updated: 0, unchanged: 0, errors: [], empty: false });
  // The recorded error answer for a misspelt archive of the same day is noted, not ingested.
  expect(rss.skippedEntries).toEqual([expect.objectContaining({ where: expect.stringContaining('ERROR_bad-archive'), reason: expect.stringContaining('Feed error') })]);
  expect(first.sources.find((s) => s.source === 'hf')).toMatchObject({ fetched: 0, empty: true });
  expect(isEmptyDay(first)).toBe(false);
  const papers = await repository.forDigestDay('2024-11-28');
  expect(papers).toHaveLength(935);
  expect(papers.find((p) => p.id === '2411.17700')).toMatchObject({ version: 1, sources: ['arxiv-rss'] });
  expect(papers.find((p) => p.id === '1401.3665')).toBeUndefined(); // a replacement, not a new paper

  const again = await ing.fetchDay('2024-11-28');
  expect(again.sources.find((s) => s.source === 'arxiv-rss')).toMatchObject({ new: 0, updated: 0, unchanged: 935 });
});

test('a Saturday gives empty sources and no digest; Hugging Face lists are stored under their list date', async () => {
  const { ingestor: ing } = ingestor();
  const saturday = await ing.fetchDay('2026-08-01');
  expect(saturday.sources.every((s) => s.empty && s.errors.length === 0)).toBe(true);
  expect(isEmptyDay(saturday)).toBe(true);
  // Tuesday's digest takes Monday's Hugging Face list; Monday's takes Friday to Sunday.
  const tuesday = await ing.fetchDay('2026-07-14', { sources: ['hf'] });
  expect(tuesday.sources).toEqual([expect.objectContaining({ source: 'hf', fetched: 14, new: 14, empty: false })]);
  const monday = await ing.fetchDay('2026-07-13', { sources: ['hf'] });
  expect(monday.sources).toEqual([expect.objectContaining({ source: 'hf', fetched: 11, new: 11, empty: false })]);
  expect(await db.prisma.paperListing.count({ where: { source: 'hf', day: new Date('2026-07-13') } })).toBe(14);
});

test('replacements are kept when ARXIV_ANNOUNCE_TYPES asks for them', async () => {
  await db.prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE');
  const { ingestor: ing } = ingestor({ ARXIV_ANNOUNCE_TYPES: 'new,cross,replace,replace-cross' });
  const r = await ing.fetchDay('2024-11-28', { sources: ['arxiv-rss'] });
  expect(r.sources[0]).toMatchObject({ fetched: 1504, new: 1504 });
});

test('a folder without recordings is an empty source, and a bad date is refused', async () => {
  const config = testConfig({ FEEDS_DIR: '/nonexistent-feeds', SOURCES: 'arxiv-rss' });
  const ing = createIngestor({ config, prisma: db.prisma, repository: createPaperRepository(db.prisma) });
  expect((await ing.fetchDay('2024-11-28')).sources[0]).toMatchObject({ empty: true, errors: [] });
  await expect(ing.fetchDay('2024-13-01')).rejects.toThrow(/YYYY-MM-DD/);
});

test('a listing stored in small batches while it is read gives the same papers and counts; the re-run writes nothing', async () => {
  await db.prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE');
  const config = testConfig({ FEEDS_DIR: FIXTURES_DIR, SOURCES: 'arxiv-rss' });
  const repository = createPaperRepository(db.prisma, { batchSize: 40 });
  const ing = createIngestor({ config, prisma: db.prisma, repository, batchSize: 50 });
  const first = await ing.fetchDay('2024-11-28');
  expect(first.sources[0]).toMatchObject({ fetched: 1504, new: 935, updated: 0, unchanged: 0, errors: [], empty: false });
  expect(await repository.forDigestDay('2024-11-28')).toHaveLength(935);
  const stamp = async () => (await db.prisma.$queryRawUnsafe<{ m: Date }[]>('SELECT max("updated_at") AS m FROM "paper"'))[0].m;
  const before = await stamp();
  const again = await ing.fetchDay('2024-11-28');
  expect(again.sources[0]).toMatchObject({ new: 0, updated: 0, unchanged: 935 });
  expect(await stamp()).toEqual(before);
  expect(await db.prisma.paperListing.count()).toBe(935);
});
