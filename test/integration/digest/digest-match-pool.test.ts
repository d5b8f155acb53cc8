/**
 * A large daily run matches on a pool of threads (MATCH_THREADS, MATCH_POOL_FROM; docs/matching.md,
 * "On both cores"): every subscriber gets exactly the digest the process's own thread composes.
 */
import { storeListedPaper as store } from '../../support/db.js';
import { digestDayPerTest } from '../../support/digest-day.js';
import { syntheticDay } from '../../support/synthetic-day.js';
import { seededRandom } from '../../../src/random.js';

const DAY = '2024-11-28';
const day = digestDayPerTest();

const PHRASES = ['talking head generation', 'graph neural networks', 'speech synthesis', 'robot grasping', 'dark matter', 'protein folding',
  'volatility', 'quantum error correction', 'facial expression', 'link prediction', 'vocoder', 'weak lensing', 'option pricing', 'lip sync'];

async function delivered() {
  const rows = await day.db.prisma.deliveryPaper.findMany({ orderBy: [{ subscriberId: 'asc' }, { rank: 'asc' }] });
  return rows.map((r) => ({ subscriber: r.subscriberId, paper: r.paperId, topic: r.topic, rank: r.rank, score: r.score, why: r.why }));
}

test('subscribers matched on two threads, page after page, get the digests of one thread and one page, paper for paper, with the same explanations', async () => {
  // The synthetic day's fields under arXiv groups (a mixed day: its fields go to different threads).
  const category: Record<string, string> = { talking: 'cs.CV', graph: 'cs.LG', speech: 'eess.AS', robot: 'cs.RO', galaxy: 'astro-ph.CO', protein: 'q-bio.BM', market: 'q-fin.PR', quantum: 'quant-ph' };
  for (const p of syntheticDay()) await store(day.db.prisma, p, DAY, category[p.id.split('-')[0]] ?? 'cs.CL');
  const rand = seededRandom(5);
  for (let i = 0; i < 40; i++) {
    const topics = Array.from({ length: 1 + (i % 3) }, () => PHRASES[Math.floor(rand() * PHRASES.length)]);
    await day.db.prisma.subscriber.create({
      data: { email: `reader${i}@example.org`, status: 'active', topics, maxPapers: 3 + (i % 8), deliveryHour: 0, confirmedAt: new Date('2024-01-01') },
    });
  }
  // Pages of 7: each page is read and matched while the one before is being inserted.
  const pooled = await day.run(DAY, 'pool', { MATCH_THREADS: '2', MATCH_POOL_FROM: '40' }, { subscriberPage: 7 });
  expect(pooled.report.matchThreads).toBe(2);
  expect((await pooled.stack.ledger.report(DAY))?.matchThreads).toBe(2);
  const onTwo = await delivered();
  expect(new Set(onTwo.map((r) => r.subscriber)).size).toBeGreaterThan(30);
  expect(new Set(onTwo.map((r) => r.paper)).size).toBeGreaterThan(40);

  expect(pooled.report.subscribersConsidered).toBe(40);
  // The same date composed again from scratch on the process's own thread, all in one page.
  await day.db.prisma.deliveryPaper.deleteMany();
  await day.db.prisma.delivery.deleteMany();
  await day.db.prisma.digestRun.deleteMany();
  const own = await day.run(DAY, 'own', { MATCH_THREADS: '1' });
  expect(own.report.matchThreads).toBe(1);
  expect(await delivered()).toEqual(onTwo);
});

test('a run with fewer active subscribers than MATCH_POOL_FROM stays on the process\'s own thread', async () => {
  for (const p of syntheticDay()) await store(day.db.prisma, p, DAY);
  await day.db.prisma.subscriber.create({ data: { email: 'one@example.org', status: 'active', topics: ['speech synthesis'], deliveryHour: 0, confirmedAt: new Date('2024-01-01') } });
  const { report } = await day.run(DAY, 'few', { MATCH_THREADS: '2', MATCH_POOL_FROM: '2' });
  expect(report.matchThreads).toBe(1);
  expect(report.deliveriesCreated).toBe(1);
});
