// The paper store: one row per work merged across sources, listings per (paper, source, day),
// re-runs that write nothing, and the definition of "the papers of digest day D".
import { createPaperRepository } from '../../../src/papers/paper-repository.js';
import type { PaperRecord } from '../../../src/papers/types.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });
beforeEach(async () => { await db.prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE'); });

function arxiv(id: string, day: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id, version: 1, title: `Title ${id}`, abstract: `Abstract ${id}`, authors: ['A. Author'], categories: ['cs.LG'],
    primaryCategory: 'cs.LG', absUrl: `https://arxiv.org/abs/${id}`, pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    listing: { source: 'arxiv-rss', day, announceType: 'new' }, ...over,
  };
}
function hf(id: string, day: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    id, title: `HF title ${id}`, abstract: `HF abstract ${id}`, authors: ['A. Author'], categories: [],
    absUrl: `https://arxiv.org/abs/${id}`, hfUpvotes: 5, githubRepo: 'https://github.com/x/y', aiSummary: 'sum',
    aiKeywords: ['k1'], listing: { source: 'hf', day }, ...over,
  };
}

test('a paper seen by arXiv and Hugging Face is one row with both sources and fields; re-running writes nothing', async () => {
  const repo = createPaperRepository(db.prisma);
  const records = [arxiv('2411.00001', '2024-11-28'), hf('2411.00001', '2024-11-28', { hfUpvotes: 7 })];
  expect(await repo.upsert(records)).toEqual({ new: 1, updated: 0, unchanged: 0 });
  const [row] = await db.prisma.paper.findMany();
  expect(row).toMatchObject({
    id: '2411.00001', title: 'Title 2411.00001', abstract: 'Abstract 2411.00001', hfUpvotes: 7,
    githubRepo: 'https://github.com/x/y', aiSummary: 'sum', aiKeywords: ['k1'], sources: ['arxiv-rss', 'hf'], categories: ['cs.LG'],
  });
  expect(row.announcedOn!.toISOString().slice(0, 10)).toBe('2024-11-28');
  expect(row.hfDate!.toISOString().slice(0, 10)).toBe('2024-11-28');
  expect(await db.prisma.paperListing.count()).toBe(2);
  const before = row.updatedAt.getTime();
  expect(await repo.upsert(records)).toEqual({ new: 0, updated: 0, unchanged: 1 });
  const again = await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.00001' } });
  expect(again.updatedAt.getTime()).toBe(before);
});

test('Hugging Face text never overrides arXiv text; arXiv replaces HF-only text; a newer version updates', async () => {
  const repo = createPaperRepository(db.prisma);
  await repo.upsert([hf('2411.00002', '2024-11-27')]);
  expect((await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.00002' } })).title).toBe('HF title 2411.00002');
  expect(await repo.upsert([arxiv('2411.00002', '2024-11-28')])).toEqual({ new: 0, updated: 1, unchanged: 0 });
  expect(await repo.upsert([hf('2411.00002', '2024-11-28', { hfUpvotes: 9 })])).toEqual({ new: 0, updated: 1, unchanged: 0 });
  let p = await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.00002' } });
  expect(p).toMatchObject({ title: 'Title 2411.00002', hfUpvotes: 9, version: 1 });
  // A replacement (not listed) bumps the version and text of a stored paper…
  const v2 = arxiv('2411.00002', '2024-12-02', { version: 2, title: 'Better title', categories: ['cs.AI'], updateOnly: true,
    listing: { source: 'arxiv-rss', day: '2024-12-02', announceType: 'replace' } });
  expect(await repo.upsert([v2])).toEqual({ new: 0, updated: 1, unchanged: 0 });
  p = await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.00002' } });
  expect(p).toMatchObject({ version: 2, title: 'Better title', categories: ['cs.LG', 'cs.AI'] });
  expect(p.announcedOn!.toISOString().slice(0, 10)).toBe('2024-11-28');
  expect(await db.prisma.paperListing.count({ where: { day: new Date('2024-12-02') } })).toBe(0);
  // …an older version seen later changes nothing of the text.
  await repo.upsert([arxiv('2411.00002', '2024-11-28', { title: 'Old title' })]);
  expect((await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.00002' } })).title).toBe('Better title');
  // …and a replacement of an unknown paper creates nothing.
  expect(await repo.upsert([{ ...v2, id: '2411.09999' }])).toEqual({ new: 0, updated: 0, unchanged: 0 });
  expect(await db.prisma.paper.count()).toBe(1);
});

test('duplicates across categories in one batch merge their categories; batches split across many papers', async () => {
  const repo = createPaperRepository(db.prisma, { batchSize: 3 });
  const records: PaperRecord[] = [];
  for (let i = 0; i < 10; i++) records.push(arxiv(`2411.1000${i}`, '2024-11-28'));
  records.push(arxiv('2411.10001', '2024-11-28', { categories: ['cs.CL', 'cs.LG'], primaryCategory: 'cs.CL', listing: { source: 'arxiv-rss', day: '2024-11-28', announceType: 'cross' } }));
  expect(await repo.upsert(records)).toEqual({ new: 10, updated: 0, unchanged: 0 });
  const p = await db.prisma.paper.findUniqueOrThrow({ where: { id: '2411.10001' } });
  expect(p.categories.sort()).toEqual(['cs.CL', 'cs.LG']);
  expect(await db.prisma.paperListing.count()).toBe(10);
});

describe('the papers of digest day D', () => {
  test('arXiv announcements of D plus Hugging Face lists since the previous announcement day', async () => {
    const repo = createPaperRepository(db.prisma);
    await repo.upsert([
      arxiv('2411.20001', '2024-11-27'), // Wed
      arxiv('2411.20002', '2024-11-28'), // Thu
      arxiv('2411.20003', '2024-11-29'), // Fri
      arxiv('2411.20004', '2024-12-02'), // Mon
      hf('2411.20005', '2024-11-27'), // Wed list → Thu digest
      hf('2411.20006', '2024-11-28'), // Thu list → Fri digest
      hf('2411.20007', '2024-11-29'), // Fri list → Mon digest
      hf('2411.20008', '2024-11-30'), // Sat list → Mon digest
      hf('2411.20009', '2024-12-02'), // Mon list → Tue digest
    ]);
    const ids = async (d: string) => (await repo.forDigestDay(d)).map((p) => p.id);
    expect(await ids('2024-11-28')).toEqual(['2411.20002', '2411.20005']);
    expect(await ids('2024-11-29')).toEqual(['2411.20003', '2411.20006']);
    expect(await ids('2024-11-30')).toEqual([]); // Saturday: no digest
    expect(await ids('2024-12-01')).toEqual([]); // Sunday: no digest
    expect(await ids('2024-12-02')).toEqual(['2411.20004', '2411.20007', '2411.20008']);
    expect(await ids('2024-12-03')).toEqual([]); // nothing announced (yet): no digest
    expect((await repo.listedBetween('2024-11-28', '2024-11-30')).map((p) => p.id)).toEqual(['2411.20002', '2411.20003', '2411.20006', '2411.20007', '2411.20008']);
    // Context for a small day's matcher: the most recently listed papers before the day, within the look-back.
    const before = async (d: string, limit: number, lookback: number) => (await repo.listedBefore(d, limit, lookback)).map((p) => p.id);
    expect(await before('2024-11-30', 3, 60)).toEqual(['2411.20003', '2411.20007', '2411.20002']);
    expect(await before('2024-11-29', 10, 60)).toEqual(['2411.20002', '2411.20006', '2411.20001', '2411.20005']);
    expect(await before('2024-11-30', 10, 2)).toEqual(['2411.20003', '2411.20007', '2411.20002', '2411.20006']);
    expect(await before('2024-11-27', 10, 60)).toEqual([]);
    expect(await before('2024-12-03', 0, 60)).toEqual([]);
  });

  test('an instance that fetches no arXiv source has a digest every weekday, with the Hugging Face lists since the previous weekday', async () => {
    const repo = createPaperRepository(db.prisma, { arxiv: false });
    await repo.upsert([
      hf('2411.30001', '2024-11-27'), // Wed list → Thu digest
      hf('2411.30002', '2024-11-28'), // Thu list → Fri digest
      hf('2411.30003', '2024-11-29'), // Fri list → Mon digest
      hf('2411.30004', '2024-11-30'), // Sat list → Mon digest
      hf('2411.30005', '2024-12-01'), // Sun list → Mon digest
    ]);
    const ids = async (d: string) => (await repo.forDigestDay(d)).map((p) => p.id);
    expect(await ids('2024-11-28')).toEqual(['2411.30001']);
    expect(await ids('2024-11-29')).toEqual(['2411.30002']);
    expect(await ids('2024-11-30')).toEqual([]); // Saturday: no digest
    expect(await ids('2024-12-01')).toEqual([]);
    expect(await ids('2024-12-02')).toEqual(['2411.30003', '2411.30004', '2411.30005']);
    // The same lists on an instance that fetches arXiv: no arXiv listing, no digest day.
    expect(await createPaperRepository(db.prisma).forDigestDay('2024-11-28')).toEqual([]);
  });

  test('a holiday (no announcement) rolls its Hugging Face list into the next announcement day', async () => {
    const repo = createPaperRepository(db.prisma);
    await repo.upsert([arxiv('2412.00001', '2024-12-24'), hf('2412.00002', '2024-12-24'), hf('2412.00003', '2024-12-25'), arxiv('2412.00004', '2024-12-26')]);
    expect((await repo.forDigestDay('2024-12-25')).map((p) => p.id)).toEqual([]);
    expect((await repo.forDigestDay('2024-12-26')).map((p) => p.id)).toEqual(['2412.00002', '2412.00003', '2412.00004']);
  });
});
