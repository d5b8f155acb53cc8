// Streaming reads give exactly what whole-document parsing gives, whatever the chunking; the XML
// parser never expands declared or external entities.
import { ingestListing, slices } from '../../../src/sources/listing-batches.js';
import { ArxivListingStream, parseArxivListing } from '../../../src/sources/parsers/arxiv-listing.js';
import { parseArxivApi } from '../../../src/sources/parsers/arxiv-api.js';
import { ParseError } from '../../../src/sources/parsers/parse-error.js';
import type { PaperRecord } from '../../../src/papers/types.js';
import { readFixture } from '../../support/fixtures.js';

const FULL = 'arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml';
const TRUNCATED = 'arxiv-rss/atom-2025-08-20_cs.AI_86-entries_TRUNCATED.xml';

test('a listing fed in tiny chunks (cutting entities, tags and multi-byte characters) gives the same records', () => {
  for (const f of [FULL, TRUNCATED, 'arxiv-rss/rss2-2026-04-27_cs.LG_3-items_trimmed.xml']) {
    const text = readFixture(f);
    const whole = parseArxivListing(text, f);
    const records: PaperRecord[] = [];
    const skipped: unknown[] = [];
    const stream = new ArxivListingStream(f, { record: (r) => records.push(r), skip: (s) => skipped.push(s) });
    for (const chunk of slices(text, 7)) stream.write(chunk);
    const summary = stream.end();
    expect(records).toEqual(whole.records);
    expect(skipped).toEqual(whole.skipped);
    expect(summary).toEqual({ format: whole.format, day: whole.day, truncated: whole.truncated, entries: whole.records.length + whole.skipped.length - (whole.truncated ? 1 : 0) });
  }
});

test('slices never split a surrogate pair', () => {
  const text = 'a😀b😀'.repeat(5);
  for (const size of [1, 2, 3]) {
    const parts = [...slices(text, size)];
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p).not.toMatch(/[\ud800-\udbff]$/);
  }
});

test('records reach the store in batches as the document is read; the whole day is never one list', async () => {
  const text = readFixture(FULL);
  const sizes: number[] = [];
  const ids = new Set<string>();
  const res = await ingestListing(slices(text, 16 * 1024), FULL, {
    batchSize: 100,
    accept: (r) => (r.listing.announceType === 'replace' ? undefined : r),
    store: async (batch) => {
      sizes.push(batch.length);
      for (const r of batch) ids.add(r.id);
    },
  });
  expect(res.parsed).toBe(1504);
  expect(res.stored).toBe(935);
  expect(ids.size).toBe(935);
  expect(sizes.length).toBeGreaterThanOrEqual(9);
  // A batch is flushed after the chunk that filled it: at most one chunk's entries over the size.
  expect(Math.max(...sizes)).toBeLessThan(100 + 16 * 1024 / 500);
});

test('a cut-off download streamed to the store keeps its complete entries and notes the incomplete one', async () => {
  const stored: PaperRecord[] = [];
  const res = await ingestListing(slices(readFixture(TRUNCATED), 4096), TRUNCATED, { batchSize: 10, store: async (b) => { stored.push(...b); } });
  expect(stored).toHaveLength(86);
  expect(res.summary.truncated).toBe(true);
  expect(res.skipped).toEqual([{ position: 87, reason: expect.stringContaining('truncated') }]);
});

test('declared and external entities are never expanded (no entity bombs, no XXE)', () => {
  const bomb = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>';
  const xxe = '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>';
  expect(() => parseArxivListing(bomb, 'bomb')).toThrow(ParseError);
  expect(() => parseArxivListing(bomb, 'bomb')).toThrow(/bomb: .*entity/i);
  expect(() => parseArxivListing(xxe, 'xxe')).toThrow(ParseError);
  expect(() => parseArxivApi(xxe, 'xxe')).toThrow(ParseError);
});
