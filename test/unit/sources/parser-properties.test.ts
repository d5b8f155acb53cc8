// Arbitrary or mutated input never makes a parser throw anything but ParseError, and never hangs
// (each run is bounded by Jest's timeout).
import fc from 'fast-check';
import { parseArxivApi } from '../../../src/sources/parsers/arxiv-api.js';
import { parseArxivListing } from '../../../src/sources/parsers/arxiv-listing.js';
import { parseHfDaily } from '../../../src/sources/parsers/hf-daily.js';
import { ParseError } from '../../../src/sources/parsers/parse-error.js';
import { splitAuthors } from '../../../src/sources/parsers/text.js';
import { readFixture } from '../../support/fixtures.js';

const onlyParseErrors = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
  }
};

const RSS = readFixture('arxiv-rss/rss2-2026-04-27_cs.LG_3-items_trimmed.xml');
const API = readFixture('arxiv-api/api-2025-10-17_legacy-format_cs.RO-neural_2-entries.xml');
const HF = readFixture('hf-daily-papers/daily_papers_2026-07-31_5-items_pretty-printed.json');

/** A fixture with a slice deleted, replaced or duplicated. */
const mutated = (text: string) =>
  fc.tuple(fc.nat(text.length), fc.nat(400), fc.oneof(fc.constant(''), fc.string(), fc.constantFrom('<', '>', '&', '&amp;', '</item>', '<item>', ']]>', '"', '{', '[', 'null')))
    .map(([at, len, insert]) => text.slice(0, at) + insert + text.slice(Math.min(text.length, at + len)));

test('listing parser: arbitrary strings and mutated feeds', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => onlyParseErrors(() => parseArxivListing(s, 'p'))), { numRuns: 300 });
  fc.assert(fc.property(mutated(RSS), (s) => onlyParseErrors(() => {
    const r = parseArxivListing(s, 'p');
    for (const rec of r.records) expect(rec.id).toMatch(/^\d{4}\.\d{4,5}$|\//);
  })), { numRuns: 200 });
});

test('API parser: arbitrary strings and mutated answers', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => onlyParseErrors(() => parseArxivApi(s, 'p'))), { numRuns: 300 });
  fc.assert(fc.property(mutated(API), (s) => onlyParseErrors(() => parseArxivApi(s, 'p'))), { numRuns: 200 });
});

test('Hugging Face parser: arbitrary JSON values, strings and mutated files', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => onlyParseErrors(() => parseHfDaily(JSON.stringify(v), 'p', '2026-01-05'))), { numRuns: 300 });
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => onlyParseErrors(() => parseHfDaily(s, 'p'))), { numRuns: 200 });
  fc.assert(fc.property(mutated(HF), (s) => onlyParseErrors(() => parseHfDaily(s, 'p'))), { numRuns: 200 });
  fc.assert(fc.property(fc.array(fc.record({ paper: fc.record({ id: fc.oneof(fc.string(), fc.constant('2601.00001')), title: fc.string(), authors: fc.anything() }, { requiredKeys: [] }), numComments: fc.anything() }, { requiredKeys: [] })), (items) =>
    onlyParseErrors(() => parseHfDaily(JSON.stringify(items), 'p', '2026-01-05'))), { numRuns: 200 });
});

test('author splitting never loses a name and never splits inside parentheses', () => {
  const name = fc.stringMatching(/^[A-Za-z\\'.][A-Za-z\\'. -]{0,20}[A-Za-z.]$/);
  const aff = fc.option(fc.stringMatching(/^[A-Za-z ,]{1,30}$/), { nil: undefined });
  fc.assert(fc.property(fc.array(fc.tuple(name, aff), { minLength: 1, maxLength: 12 }), (authors) => {
    const joined = authors.map(([n, a]) => (a === undefined ? n : `${n} (${a})`)).join(', ');
    expect(splitAuthors(joined)).toHaveLength(authors.length);
  }), { numRuns: 300 });
});
