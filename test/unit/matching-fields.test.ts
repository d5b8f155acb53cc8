// Which fields a day mixes (src/matching/fields.ts): a day that mixes arXiv's groups of archives is
// matched field by field, as the single-field instances would see it, and reported to the operator
// (docs/matching.md, "A fifth kind of day").
import { describe, expect, it } from '@jest/globals';
import { arxivGroup, describeFields, fieldParts, mixedFields, partOf } from '../../src/matching/fields.js';
import { createMatcher } from '../../src/matching/matcher.js';
import type { MatchHit, MatchPaper } from '../../src/matching/types.js';
import { parseArxivListing } from '../../src/sources/parsers/arxiv-listing.js';
import { readFixture } from '../support/fixtures.js';

const WHOLE = 'arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml';
const papers = (...groups: Array<[string, number]>) => groups.flatMap(([c, n]) => Array.from({ length: n }, () => ({ categories: [c] })));

describe('mixed fields', () => {
  it('names the group of a category or archive (every other archive is physics)', () => {
    expect(['cs.LG', 'math.NA', 'stat.ML', 'q-bio.BM', 'q-fin.PR', 'eess.SP', 'econ.EM'].map(arxivGroup))
      .toEqual(['cs', 'math', 'stat', 'q-bio', 'q-fin', 'eess', 'econ']);
    expect(['hep-th', 'astro-ph.CO', 'cond-mat.str-el', 'quant-ph', 'gr-qc', 'math-ph', 'nlin.CD', ' Physics.Optics '].map(arxivGroup))
      .toEqual(Array(8).fill('physics'));
  });

  it('finds the whole recorded arXiv listing (every archive in one day) mixed, by each paper\'s primary category', () => {
    const listing = parseArxivListing(readFixture(WHOLE), WHOLE);
    const mixed = mixedFields(listing.records);
    expect(mixed?.slice(0, 3).map((f) => f.field)).toEqual(['cs', 'physics', 'math']);
    expect(mixed?.reduce((s, f) => s + f.papers, 0)).toBe(listing.records.length);
    expect(describeFields(mixed!)).toBe('cs 39 %, physics 35 %, math 16 %, others 10 %');
    // Its cs papers alone (a default instance: ARXIV_CATEGORIES=cs) are one field.
    expect(mixedFields(listing.records.filter((r) => r.categories.some((c) => arxivGroup(c) === 'cs')))).toBeUndefined();
  });

  it('says nothing when one group holds more than half, when few papers carry a category, or none do', () => {
    expect(mixedFields(papers(['physics.optics', 507], ['math.PR', 245], ['stat.ME', 30]))).toBeUndefined(); // a science day: physics leads
    expect(mixedFields(papers(['cs.LG', 51], ['hep-th', 49]))).toBeUndefined();
    expect(mixedFields(papers(['cs.LG', 50], ['hep-th', 50]))).toEqual([{ field: 'cs', papers: 50 }, { field: 'physics', papers: 50 }]);
    expect(mixedFields(papers(['cs.LG', 14], ['hep-th', 15]))).toBeUndefined(); // 29 papers say nothing
    expect(mixedFields([...papers(['cs.LG', 15], ['hep-th', 15]), ...Array(100).fill({ categories: [] })])).toBeDefined();
    expect(mixedFields(Array(300).fill({}))).toBeUndefined(); // Hugging Face's papers have no categories
  });

  it('counts a paper under its primary category, not under the ones it is cross-listed in', () => {
    const cross = Array.from({ length: 40 }, () => ({ primaryCategory: 'hep-ph', categories: ['cs.LG', 'hep-ph'] }));
    expect(mixedFields([...cross, ...papers(['cs.CV', 40])])).toEqual([{ field: 'cs', papers: 40 }, { field: 'physics', papers: 40 }]);
  });
});

describe('a mixed day matched field by field', () => {
  const listing = parseArxivListing(readFixture(WHOLE), WHOLE);
  const all: MatchPaper[] = listing.records.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, categories: r.categories, primaryCategory: r.primaryCategory }));
  const hasCs = (p: MatchPaper) => p.categories!.some((c) => arxivGroup(c) === 'cs');

  it('cuts the whole listing into its cs listing (primary or cross-listed) and the rest, which physics leads', () => {
    const parts = fieldParts(all)!;
    expect(parts.map((p) => [p.field, p.papers.length])).toEqual([['cs', 722], [undefined, 782]]);
    expect(parts[0].papers).toEqual(all.filter(hasCs));
    expect(mixedFields(parts[1].papers)).toBeUndefined();
    expect(fieldParts(all.filter(hasCs))).toBeUndefined(); // a cs instance's day is one part
  });

  it('splits again while what is left is mixed, and leaves a day with a leading field whole', () => {
    const parts = fieldParts(papers(['cs.LG', 34], ['hep-th', 33], ['math.PR', 17], ['stat.ME', 16]))!;
    // cs (34 of 100), then physics (33 of the 66 left: not more than half), then the rest (math 17 of 33 leads).
    expect(parts.map((p) => [p.field, p.papers.length])).toEqual([['cs', 34], ['physics', 33], [undefined, 33]]);
    expect(fieldParts(papers(['cs.LG', 51], ['hep-th', 49]))).toBeUndefined();
    expect(fieldParts(Array(300).fill({}))).toBeUndefined();
  });

  it('puts a paper in the first part whose group it has, primary or cross-listed, and one without categories in the rest', () => {
    const parts = [{ field: 'cs' }, { field: 'physics' }, { field: undefined }];
    expect(partOf(parts, { primaryCategory: 'hep-ph', categories: ['hep-ph', 'cs.LG'] })).toBe(0);
    expect(partOf(parts, { categories: ['quant-ph'] })).toBe(1);
    expect(partOf(parts, { categories: ['math.PR', 'stat.ML'] })).toBe(2);
    expect(partOf(parts, {})).toBe(2);
    expect(partOf([{ field: 'cs' }], { categories: ['hep-th'] })).toBe(-1); // no open part: it is in none
  });

  it('selects for every topic what the matchers of the parts select, merged by score', () => {
    const whole = createMatcher(all);
    expect(whole.fields).toEqual([{ field: 'cs', papers: 722 }, { field: undefined, papers: 782 }]);
    const cs = createMatcher(all.filter(hasCs));
    const rest = createMatcher(all.filter((p) => !hasCs(p)));
    expect(cs.fields).toBeUndefined();
    const merged = (a: MatchHit[], b: MatchHit[]) => [...a, ...b].sort((x, y) => y.score - x.score || (x.paperId < y.paperId ? -1 : 1)).slice(0, 20);
    const topics = ['making diffusion models generate images faster with fewer sampling steps', 'quantum error correction', 'dark matter', 'retrieval-augmented generation'];
    for (const t of topics) {
      const got = whole.match([t], { maxResults: 20 });
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(merged(cs.match([t], { maxResults: 20 }), rest.match([t], { maxResults: 20 })));
    }
    // As one day, the field-wide closeness of image papers lets many pass for the diffusion sentence.
    const asOne = createMatcher(all, { splitFields: false }).match([topics[0]], { maxResults: 20 });
    expect(whole.match([topics[0]], { maxResults: 20 }).length).toBeLessThan(asOne.length);
  });

  it('gives a subscriber the same hits whether a topic\'s parts were joined for an earlier subscriber or not', () => {
    // A topic's parts are joined once and reused for the next subscriber asking the same size; a
    // matcher that keeps nothing (resultCacheSize 0) scores and joins every topic afresh.
    // Some papers with Hugging Face upvotes, so that the trending signal reorders them.
    const day = all.map((p, i) => ({ ...p, hfUpvotes: i % 4 === 0 ? (i * 37) % 300 : undefined }));
    const keeping = createMatcher(day);
    const fresh = createMatcher(day, { resultCacheSize: 0 });
    const topics = ['dark matter', 'large language models', 'galaxy clusters', 'graph neural networks', 'quantum error correction'];
    const wanted = [day[3], day[900]];
    const asks: Array<[string[], Parameters<typeof keeping.match>[1]]> = [
      [[topics[0], topics[1]], { maxResults: 20 }],
      [[topics[1], topics[2]], { maxResults: 20 }],
      [[topics[3], topics[0]], { maxResults: 5 }], // first asked at 5 …
      [[topics[1], topics[3]], { maxResults: 20 }], // … then at 20: joined again
      [[topics[1], topics[4]], { maxResults: 20, signals: { trendingWeight: 1 } }], // signals: not reused
      [[topics[1]], { maxResults: 20, feedback: new Map([[topics[1], { more: wanted, less: [] }]]) }], // feedback: not reused
      [[topics[1], topics[2]], { maxResults: 20 }],
    ];
    for (const [ts, opts] of asks) expect(keeping.match(ts, opts)).toEqual(fresh.match(ts, opts));
    // The signal and the feedback do change these subscribers' lists.
    expect(keeping.match([topics[1], topics[4]], { maxResults: 20, signals: { trendingWeight: 1 } }).map((h) => h.paperId))
      .not.toEqual(keeping.match([topics[1], topics[4]], { maxResults: 20 }).map((h) => h.paperId));
    expect(keeping.match([topics[1]], { maxResults: 5 })).toEqual(keeping.match([topics[1]], { maxResults: 20 }).slice(0, 5));
    expect(keeping.match([topics[1]], { maxResults: 20, feedback: new Map([[topics[1], { more: wanted, less: [] }]]) }))
      .not.toEqual(keeping.match([topics[1]], { maxResults: 20 }));
  });

  it('gives each topic of a subscriber its share of the 20: a broad topic does not crowd out a narrow one', () => {
    const whole = createMatcher(all);
    const count = (hits: MatchHit[], i: number) => hits.filter((h) => h.topicIndex === i).length;
    for (const [broad, narrow] of [['large language models', 'exoplanet atmospheres'], ['diffusion models', 'knot theory']]) {
      const alone = whole.matchTopic(narrow, { maxResults: 20 });
      const broadAlone = whole.matchTopic(broad, { maxResults: 20 });
      // Every paper the broad topic selects outscores the narrow topic's best: cut by score, the narrow one got none.
      expect(broadAlone).toHaveLength(20);
      expect(broadAlone[19].score).toBeGreaterThan(alone[0].score);
      const both = whole.match([broad, narrow], { maxResults: 20 });
      expect(both).toHaveLength(20);
      expect(both.filter((h) => h.topicIndex === 1).map((h) => h.paperId)).toEqual(alone.map((h) => h.paperId));
      expect(count(both, 0)).toBe(20 - alone.length);
    }
    // Split by field or not, the day's share is the same as each part's shares merged.
    const topics = ['dark matter', 'galaxy clusters', 'large language models', 'quantum error correction'];
    const got = whole.match(topics, { maxResults: 10 });
    expect(topics.map((_, i) => count(got, i)).sort()).toEqual([2, 2, 3, 3]);
  });
});
