// Which fields a day mixes (src/matching/fields.ts): the daily run warns the operator of a day that
// mixes arXiv's groups of archives, where matching is measured weaker (docs/matching.md).
import { describe, expect, it } from '@jest/globals';
import { arxivGroup, describeFields, mixedFields } from '../../src/matching/fields.js';
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
