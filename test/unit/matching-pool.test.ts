// The match pool: the day's topics scored on worker threads give exactly what the in-process
// matcher gives, subscriber by subscriber (topics, feedback, signals, ties, a mixed day's parts).
import { afterAll, describe, expect, it } from '@jest/globals';
import { createMatcher } from '../../src/matching/matcher.js';
import { createMatchPool, type MatchRequest } from '../../src/matching/match-pool.js';
import { mergeTopics } from '../../src/matching/match-protocol.js';
import { TopicSyntaxError, type MatchPaper } from '../../src/matching/types.js';
import { parseArxivListing } from '../../src/sources/parsers/arxiv-listing.js';
import { seededRandom } from '../../src/random.js';
import { readFixture } from '../support/fixtures.js';

const WHOLE = 'arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml';
const listing = parseArxivListing(readFixture(WHOLE), WHOLE);
const all: MatchPaper[] = listing.records.map((r) => ({
  id: r.id, title: r.title, abstract: r.abstract, categories: r.categories, primaryCategory: r.primaryCategory,
  hfUpvotes: r.id.charCodeAt(r.id.length - 1) % 7 === 0 ? (r.id.length * 13) % 200 : undefined,
}));

/** Subscribers with 1–4 topics cut from the day's titles (some repeated across them, some with feedback). */
function subscribers(papers: MatchPaper[], count: number, seed: number): MatchRequest[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const popular = Array.from({ length: 30 }, () => phrase());
  function phrase(): string {
    const words = pick(papers).title.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}-]/gu, '')).filter((w) => w.length > 3);
    const len = 1 + Math.floor(rand() * 3);
    const start = Math.floor(rand() * Math.max(1, words.length - len));
    return words.slice(start, start + len).join(' ').toLowerCase() || 'learning';
  }
  return Array.from({ length: count }, (_, i) => {
    const topics = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < 0.5 ? pick(popular) : phrase()));
    const feedback = rand() < 0.2 ? new Map([[topics[0], { more: [pick(papers), pick(papers)], less: [pick(papers)] }]]) : undefined;
    const signals = rand() < 0.3 ? { trendingWeight: 0.2 } : undefined;
    return { topics: i % 17 === 0 ? [...topics, '  '] : topics, options: { maxResults: 1 + Math.floor(rand() * 25), feedback, signals } };
  });
}

describe('the match pool', () => {
  const pool = createMatchPool(2);
  afterAll(() => pool.close());

  it('gives every subscriber of a mixed day (matched field by field) exactly the in-process matcher\'s hits', async () => {
    const papers = all.slice(0, 900);
    const requests = subscribers(papers, 400, 11);
    const inProcess = createMatcher(papers);
    expect(inProcess.fields?.length).toBeGreaterThan(1);
    const day = pool.day(papers);
    // Two batches: the second asks again for topics of the first, now answered from the kept selections.
    const got = [...await day.matchMany(requests.slice(0, 150)), ...await day.matchMany(requests.slice(150))];
    const want = requests.map((r) => inProcess.match(r.topics, r.options));
    expect(got).toEqual(want);
    expect(want.filter((h) => h.length > 0).length).toBeGreaterThan(300);
    expect(new Set(want.flatMap((h) => h.map((x) => x.topicIndex))).size).toBeGreaterThan(2);
    expect(want.some((h, i) => requests[i].options?.feedback && h.some((x) => x.why.includes('which you wanted more of')))).toBe(true);
    day.release();
  });

  it('gives the same hits when its kept selections overflow and are forgotten, or are not kept at all', async () => {
    const papers = all.slice(0, 900);
    const requests = subscribers(papers, 300, 12);
    const inProcess = createMatcher(papers);
    const want = requests.map((r) => inProcess.match(r.topics, r.options));
    for (const resultCacheSize of [4, 0]) {
      const day = pool.day(papers, { resultCacheSize });
      // Three calls at once (each more than one chunk) and one after: topics asked again while in
      // flight, after being kept, and after being forgotten.
      const calls = await Promise.all([day.matchMany(requests.slice(0, 100)), day.matchMany(requests.slice(100, 200)), day.matchMany(requests.slice(0, 200))]);
      const later = await day.matchMany(requests.slice(200));
      expect([...calls[0], ...calls[1], ...later]).toEqual(want);
      expect(calls[2]).toEqual(want.slice(0, 200));
      day.release();
    }
  });

  it('serves several days at once, each with its own matcher and context', async () => {
    const a = all.slice(0, 120).filter((p) => p.categories?.some((c) => c.startsWith('cs')));
    const b = all.slice(900, 1100);
    const dayA = pool.day(a, { context: all.slice(200, 500) });
    const dayB = pool.day(b);
    const reqA = subscribers(a, 60, 3);
    const reqB = subscribers(b, 60, 4);
    const [gotA, gotB] = await Promise.all([dayA.matchMany(reqA), dayB.matchMany(reqB)]);
    const mA = createMatcher(a, { context: all.slice(200, 500) });
    const mB = createMatcher(b);
    expect(mA.fields).toBeUndefined(); // one part: its topics divided between the threads by hash
    expect(gotA).toEqual(reqA.map((r) => mA.match(r.topics, r.options)));
    expect(gotB).toEqual(reqB.map((r) => mB.match(r.topics, r.options)));
    dayA.release();
    dayB.release();
  });

  it('keeps the papers tying the last one a topic can give, so ties are settled as in one process', async () => {
    // Five copies of one paper: equal scores; a topic's own order puts the most upvoted first, and a
    // subscriber's list takes each topic's papers in that order and lists equal scores in it too.
    const base = all.find((p) => /graph neural network/i.test(p.title))!;
    const copies = [1, 2, 3, 4, 5].map((n) => ({ ...base, id: `copy-${n}`, hfUpvotes: n * 10 }));
    const papers = [...all.slice(0, 200).filter((p) => p.id !== base.id), ...copies];
    const day = pool.day(papers);
    const requests: MatchRequest[] = [{ topics: ['graph neural networks'], options: { maxResults: 2 } }, { topics: ['graph neural networks', 'transformers'], options: { maxResults: 3 } }];
    const m = createMatcher(papers);
    // The topic's own cut at 2 takes the most upvoted two, and so does the subscriber's list.
    expect(m.matchTopic('graph neural networks', { maxResults: 2 }).map((h) => h.paperId).sort()).toEqual(['copy-4', 'copy-5']);
    const got = await day.matchMany(requests);
    expect(got[0].map((h) => h.paperId)).toEqual(['copy-5', 'copy-4']);
    expect(got).toEqual(requests.map((r) => m.match(r.topics, r.options)));
    day.release();
  });

  it('answers calls made before the earlier ones are answered, each as in one process; a bad topic fails its own call alone', async () => {
    const papers = all.slice(0, 900);
    const requests = subscribers(papers, 700, 21);
    const m = createMatcher(papers);
    // The bad call comes first and asks for a topic the others ask for too: they must not share its fate.
    const like = requests.find((r, i) => i < 400 && !r.options?.feedback && requests.slice(400).some((q) => !q.options?.feedback && q.options?.maxResults === r.options?.maxResults && q.topics.includes(r.topics[0])))!;
    const bad: MatchRequest[] = [{ topics: [like.topics[0]], options: { maxResults: like.options?.maxResults, signals: like.options?.signals } }, { topics: ['graph neural networks', '"unclosed phrase'] }];
    const day = pool.day(papers);
    // Each good call is more than one chunk, and the second asks for many topics of the first while those are still being scored.
    const [failed, first, second] = await Promise.allSettled([day.matchMany(bad), day.matchMany(requests.slice(0, 400)), day.matchMany(requests.slice(400))]);
    expect(failed.status === 'rejected' && failed.reason).toBeInstanceOf(TopicSyntaxError);
    expect(first.status === 'fulfilled' && [...first.value, ...(second.status === 'fulfilled' ? second.value : [])]).toEqual(requests.map((r) => m.match(r.topics, r.options)));
    const shared = requests.slice(400).filter((r) => r.topics.some((t) => requests.slice(0, 400).some((q) => q.topics.includes(t) && !q.options?.feedback))).length;
    expect(shared).toBeGreaterThan(100);
    day.release();
  });

  it('rejects a batch with a topic that cannot be parsed, with the parser\'s message and position', async () => {
    const day = pool.day(all.slice(0, 50));
    const err = await day.matchMany([{ topics: ['graph neural networks'] }, { topics: ['"unclosed phrase'] }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TopicSyntaxError);
    expect((err as TopicSyntaxError).topic).toBe('"unclosed phrase');
    expect((err as TopicSyntaxError).message).toBe(String((() => { try { createMatcher([]).match(['"unclosed phrase']); } catch (e) { return (e as Error).message; } })()));
    // The pool goes on serving.
    expect((await day.matchMany([{ topics: ['graph neural networks'] }]))[0]).toEqual(createMatcher(all.slice(0, 50)).match(['graph neural networks']));
    day.release();
  });

  it('refuses a thread count that is not a whole number ≥ 1', () => {
    expect(() => createMatchPool(0)).toThrow('threads must be a whole number ≥ 1, got 0');
  });
});

describe('merging a subscriber\'s topics', () => {
  const hit = (paperId: string, score: number) => ({ paperId, score, why: `why ${paperId}` });
  it('keeps a paper under its best topic (the earlier one on a tie), best first, ties by topic then id', () => {
    const merged = mergeTopics(['a', 'b', 'c'], [[hit('p1', 0.5), hit('p2', 0.4)], [hit('p2', 0.6), hit('p1', 0.5), hit('p0', 0.4)], undefined], 3);
    expect(merged.map((h) => [h.paperId, h.topic, h.score])).toEqual([['p2', 'b', 0.6], ['p1', 'a', 0.5], ['p0', 'b', 0.4]]);
  });
});
