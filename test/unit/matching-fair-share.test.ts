// A subscriber's topics share the digest (src/matching/fair-share.ts): a broad topic whose papers all
// outscore a narrow topic's does not take the whole digest.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fairShare, shareTopics } from '../../src/matching/fair-share.js';

interface H { id: string; topic: number; score: number }
const byScore = (hits: H[]) => [...hits].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
const topicOf = (h: H) => h.topic;
const ids = (hs: H[]) => hs.map((h) => h.id);

describe('fairShare', () => {
  it('gives a narrow topic its papers even when every paper of a broad topic scores higher', () => {
    const broad = Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, topic: 0, score: 0.95 - i * 0.005 }));
    const narrow = [{ id: 'n0', topic: 1, score: 0.56 }];
    const got = fairShare(byScore([...broad, ...narrow]), 20, topicOf);
    expect(got).toHaveLength(20);
    expect(ids(got)).toContain('n0');
    // The broad topic fills the rest with its best, in the input's (score) order.
    expect(ids(got)).toEqual([...ids(broad.slice(0, 19)), 'n0']);
  });

  it('shares equally between topics that have enough, the last round going to the better candidates', () => {
    const hits = byScore([0, 1, 2].flatMap((t) => Array.from({ length: 10 }, (_, i) => ({ id: `t${t}-${i}`, topic: t, score: 0.9 - t * 0.1 - i * 0.01 }))));
    const got = fairShare(hits, 7, topicOf);
    const count = (t: number) => got.filter((h) => h.topic === t).length;
    expect([count(0), count(1), count(2)]).toEqual([3, 2, 2]);
    // Without a share, the first topic alone would have filled the seven.
    expect(hits.slice(0, 7).every((h) => h.topic === 0)).toBe(true);
  });

  it('takes everything when there is room, and nothing for a maximum of 0', () => {
    const hits = byScore([{ id: 'a', topic: 0, score: 0.9 }, { id: 'b', topic: 1, score: 0.8 }]);
    expect(fairShare(hits, 5, topicOf)).toEqual(hits);
    expect(fairShare(hits, 0, topicOf)).toEqual([]);
  });

  it('property: at most max, in the input order, each topic its best papers and at least its share', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ topic: fc.integer({ min: 0, max: 3 }), score: fc.double({ min: 0.5, max: 1, noNaN: true }) }), { maxLength: 60 }),
      fc.integer({ min: 0, max: 25 }),
      (raw, max) => {
        const hits = byScore(raw.map((r, i) => ({ id: `p${i}`, ...r })));
        const got = fairShare(hits, max, topicOf);
        expect(got.length).toBe(Math.min(max, hits.length));
        // A subsequence of the input.
        const at = got.map((h) => hits.indexOf(h));
        expect([...at].sort((a, b) => a - b)).toEqual(at);
        const topics = [...new Set(hits.map(topicOf))];
        for (const t of topics) {
          const all = hits.filter((h) => h.topic === t);
          const mine = got.filter((h) => h.topic === t);
          // Its best papers, none skipped.
          expect(mine).toEqual(all.slice(0, mine.length));
          // At least an equal share of max, or all it has.
          expect(mine.length).toBeGreaterThanOrEqual(Math.min(all.length, Math.floor(max / topics.length)));
        }
        // A topic is cut only when every other topic got at least as many, or one fewer (the last round).
        for (const t of topics) {
          const mine = got.filter((h) => h.topic === t).length;
          if (mine < hits.filter((h) => h.topic === t).length) {
            for (const u of topics) expect(got.filter((h) => h.topic === u).length).toBeLessThanOrEqual(mine + 1);
          }
        }
      },
    ), { numRuns: 300, seed: 11 });
  });
});

describe('shareTopics', () => {
  interface T { id: string; score: number }
  const share = (lists: T[][], max: number) => shareTopics(lists, max, (h) => h.id, (h) => h.score)
    .map(({ hit, topicIndex }) => `${hit.id}@${topicIndex}:${hit.score}`);

  it('lists a paper once, under the topic that scores it highest, and fills the share of the topic whose turn took it', () => {
    const broad = [{ id: 'a', score: 0.9 }, { id: 'x', score: 0.8 }, { id: 'b', score: 0.7 }];
    const narrow = [{ id: 'x', score: 0.6 }, { id: 'n', score: 0.55 }];
    // Round 1: a (broad), then x for the narrow topic, listed under broad where it scores 0.8.
    // Round 2: b (broad), n (narrow). A cap of 3 leaves the round unfinished, the better candidate first.
    expect(share([broad, narrow], 4)).toEqual(['a@0:0.9', 'x@0:0.8', 'b@0:0.7', 'n@1:0.55']);
    expect(share([broad, narrow], 3)).toEqual(['a@0:0.9', 'x@0:0.8', 'b@0:0.7']);
    // Cut by score alone the narrow topic's own paper n would be last; here each topic had two turns.
    expect(share([broad, narrow], 2)).toEqual(['a@0:0.9', 'x@0:0.8']);
  });

  it('property: each list needs only its first max papers, as a match pool sends them', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.record({ id: fc.integer({ min: 0, max: 30 }), score: fc.integer({ min: 1, max: 20 }) }), { maxLength: 25 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 12 }),
      (raw, max) => {
        const lists = raw.map((l) => {
          const seen = new Set<number>();
          return l.filter((h) => !seen.has(h.id) && seen.add(h.id)).map((h) => ({ id: `p${h.id}`, score: h.score / 20 })).sort((a, b) => b.score - a.score);
        });
        const full = share(lists, max);
        expect(share(lists.map((l) => l.slice(0, max)), max)).toEqual(full);
        expect(full.length).toBe(Math.min(max, new Set(lists.flat().map((h) => h.id)).size));
        expect(new Set(full.map((x) => x.split('@')[0])).size).toBe(full.length);
      },
    ), { numRuns: 300, seed: 5 });
  });
});
