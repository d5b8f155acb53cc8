/**
 * `paperboy fetch --back N` as an operator seeds a new instance (the compiled command in a child
 * process): the N days before --date are fetched, oldest first, and stored as listings of their own
 * days — earlier papers that the daily run gives a small day as context, never papers of --date.
 * From recorded feeds, and on the network against a local server, where arXiv's past days come from
 * the export API (the RSS feed only holds the latest listing). Real PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createPaperRepository } from '../../src/papers/paper-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FIXTURES_DIR, uniquePrefix } from '../support/env.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { runPaperboy } from '../support/processes.js';

let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  env = { DATABASE_URL: db.url, QUEUE_PREFIX: uniquePrefix('cli-fetch'), LOG_LEVEL: 'warn', ARXIV_API_ENRICH: 'false' };
});
afterAll(async () => { await db?.drop(); });
beforeEach(async () => { await db.prisma.$executeRawUnsafe('TRUNCATE "paper", "fetch_cache" CASCADE'); });

async function fetch(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = runPaperboy(['fetch', ...args], { ...env, ...extra });
  const code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  return { code, out: child.output() };
}

const listingDays = async (source: string) =>
  (await db.prisma.paperListing.findMany({ where: { source }, select: { day: true } })).map((l) => l.day.toISOString().slice(0, 10));

test('--back seeds the days before --date from recorded Hugging Face lists: context for that day, not its papers', async () => {
  // Digest day Tuesday 2026-07-14: its own list is Monday's (2026-07-13). Four days back reach the
  // digest days Friday 07-10 … Monday 07-13, whose lists run up to Sunday 07-12.
  const { code, out } = await fetch(['--from', FIXTURES_DIR, '--source', 'hf', '--date', '2026-07-14', '--back', '4']);
  expect(code).toBe(0);
  const order = ['2026-07-10', '2026-07-11', '2026-07-12', '2026-07-13'].map((d) => out.indexOf(`papers of ${d}:`));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(out).not.toContain('papers of 2026-07-14:');

  const recorded = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'hf-daily-papers/daily_papers-limit25_2026-07-13_spans-two-days.json'), 'utf8')) as Array<{ paper: { id: string; submittedOnDailyAt: string } }>;
  const ofJuly10 = recorded.filter((x) => x.paper.submittedOnDailyAt.startsWith('2026-07-10')).map((x) => x.paper.id).sort();
  expect(ofJuly10.length).toBeGreaterThan(5);
  expect(new Set(await listingDays('hf'))).toEqual(new Set(['2026-07-10'])); // 07-13's list belongs to the 07-14 run
  const repository = createPaperRepository(db.prisma);
  expect((await repository.listedBefore('2026-07-14', 240, 60)).map((p) => p.id).sort()).toEqual(ofJuly10);
  expect(await repository.forDigestDay('2026-07-14')).toEqual([]);

  // Seeding again changes nothing.
  const again = await fetch(['--from', FIXTURES_DIR, '--source', 'hf', '--date', '2026-07-14', '--back', '4']);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/hf\s+\d+\s+0\s+0\s+\d+/);
});

test('--back takes a whole number of days from 1 to 60, and not with --ids', async () => {
  for (const bad of ['0', '61', '2.5', 'week']) {
    const { code, out } = await fetch(['--from', FIXTURES_DIR, '--back', bad]);
    expect(code).toBe(2);
    expect(out).toContain(`--back must be a whole number of days from 1 to 60, got "${bad}"`);
  }
  const ids = await fetch(['--ids', '2411.17700', '--back', '3']);
  expect(ids.code).toBe(2);
  expect(ids.out).toContain('--ids cannot be combined with --back');
  expect(await db.prisma.paper.count()).toBe(0);
});

describe('on the network', () => {
  let server: FaultServer;
  beforeEach(async () => { server = await startFaultServer(); });
  afterEach(async () => { await server.close(); });

  test('past arXiv days come from the export API, even where SOURCES says arxiv-rss; weekend days ask nothing', async () => {
    // The recorded answer is the first page of a large search; as the whole answer here, it says 20 results.
    const api = readFileSync(path.join(FIXTURES_DIR, 'arxiv-api/api-2026-04-30_new-format_cat-cs.LG-OR-cs.AI_20-entries.xml'), 'utf8')
      .replace(/<opensearch:totalResults>\d+</, '<opensearch:totalResults>20<');
    server.script('/api/query', [{ headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body: api }]);
    // Digest day Monday 2026-05-04: two days back are Saturday and Sunday (no announcement), three reach Friday 05-01.
    const { code, out } = await fetch(['--date', '2026-05-04', '--back', '3'], {
      SOURCES: 'arxiv-rss', ARXIV_CATEGORIES: 'cs.LG+cs.AI', ARXIV_RSS_BASE_URL: server.url, ARXIV_API_BASE_URL: server.url,
      HF_BASE_URL: server.url, ARXIV_MIN_INTERVAL_MS: '10', CONTACT_EMAIL: 'ops@example.org',
    });
    expect(code).toBe(0);
    expect(server.requests.some((r) => r.path.startsWith('/rss'))).toBe(false);
    const queries = server.requests.filter((r) => r.path === '/api/query');
    expect(queries).toHaveLength(1); // Friday only
    expect(queries[0].query.get('search_query')).toMatch(/^\(cat:cs\.LG OR cat:cs\.AI\) AND submittedDate:\[\d{12} TO \d{12}\]$/);
    expect(out).toMatch(/papers of 2026-05-01:[\s\S]*arxiv-api\s+20\s+20/);
    expect(new Set(await listingDays('arxiv-api'))).toEqual(new Set(['2026-05-01']));
  });
});
