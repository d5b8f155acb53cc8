import { parseArxivListing } from '../../../src/sources/parsers/arxiv-listing.js';
import { ParseError } from '../../../src/sources/parsers/parse-error.js';
import { readFixture } from '../../support/fixtures.js';

const FULL = 'arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml';

describe('arXiv RSS 2.0 listing', () => {
  const feed = parseArxivListing(readFixture(FULL), FULL);
  const byId = (id: string) => feed.records.find((r) => r.id === id)!;

  test('the full one-day feed gives 1504 records of 2024-11-28 with the announce types of the feed', () => {
    expect(feed.format).toBe('rss2');
    expect(feed.day).toBe('2024-11-28');
    expect(feed.truncated).toBe(false);
    expect(feed.skipped).toEqual([]);
    expect(feed.records).toHaveLength(1504);
    expect(new Set(feed.records.map((r) => r.id)).size).toBe(1504);
    const types = feed.records.map((r) => r.listing.announceType);
    expect(types.filter((t) => t === 'new')).toHaveLength(926);
    expect(types.filter((t) => t === 'replace')).toHaveLength(569);
    expect(types.filter((t) => t === 'cross')).toHaveLength(9);
    expect(feed.records.every((r) => r.listing.day === '2024-11-28' && r.listing.source === 'arxiv-rss')).toBe(true);
    expect(feed.records.filter((r) => r.doi)).toHaveLength(111);
    expect(feed.records.filter((r) => r.journalRef)).toHaveLength(97);
  });

  test('a new entry: versionless id, version from the guid, prefix stripped from the abstract', () => {
    const r = byId('2411.17700');
    expect(r).toMatchObject({
      id: '2411.17700',
      version: 1,
      title: "Exploring the Impact of Generative AI on Cross-Border E-Commerce Brand Building in Chinese Tianjin's Manufacturing Sector",
      absUrl: 'https://arxiv.org/abs/2411.17700',
      pdfUrl: 'https://arxiv.org/pdf/2411.17700v1',
      listing: { source: 'arxiv-rss', day: '2024-11-28', announceType: 'new' },
    });
    expect(r.abstract.startsWith('This study investigates the influence of generative artificial intelligence (AI)')).toBe(true);
    expect(r.abstract).not.toMatch(/Announce Type|^Abstract:/);
  });

  test('a replacement keeps its version from the guid while the link has none', () => {
    expect(byId('1401.3665')).toEqual({
      id: '1401.3665',
      version: 4,
      title: 'The existence of designs',
      abstract: 'We prove the existence conjecture for combinatorial designs, answering a question of Steiner from 1853. More generally, we show that the natural divisibility conditions are sufficient for clique decompositions of simplicial complexes that satisfy a certain pseudorandomness condition. As a further generalisation, we obtain the same conclusion only assuming an extendability property and the existence of a robust fractional clique decomposition.',
      authors: ['Peter Keevash'],
      categories: ['math.CO'],
      primaryCategory: 'math.CO',
      absUrl: 'https://arxiv.org/abs/1401.3665',
      pdfUrl: 'https://arxiv.org/pdf/1401.3665v4',
      doi: undefined,
      journalRef: undefined,
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      listing: { source: 'arxiv-rss', day: '2024-11-28', announceType: 'replace' },
    });
  });

  test('DOI and journal reference (arxiv:DOI, arxiv:journal_reference)', () => {
    expect(byId('2411.17758')).toMatchObject({
      title: 'PP-LEM: Efficient and Privacy-Preserving Clearance Mechanism for Local Energy Markets',
      authors: ['Kamil Erdayandi', 'Mustafa Asan Mustafa'],
      categories: ['cs.GT', 'cs.CR'],
      primaryCategory: 'cs.GT',
      doi: '10.1016/j.segan.2024.101477',
      journalRef: 'Sustainable Energy, Grids and Networks, Volume 39, 2024, 101477, ISSN 2352-4677',
    });
  });

  test('authors split on commas outside parentheses; TeX accents and escapes kept verbatim', () => {
    expect(byId('2411.17748').authors).toEqual([
      'Mohammed Riadh Berramdane (IFPEN)', 'Alexandre Battiston (IFPEN)', 'Michele Bardi (IFPEN)',
      'Nicolas Blet (LEMTA)', "Benjamin R\\'emy (LEMTA)", 'Matthieu Urbain (LEMTA)',
    ]);
    const affiliated = feed.records.find((r) => r.authors[0]?.startsWith('Tianliang Yan'))!;
    expect(affiliated.authors[0]).toBe('Tianliang Yan (University of Birmingham, School of Physics and Astronomy, Birmingham, United Kingdom)');
    expect(affiliated.authors).toHaveLength(8);
    // `\&amp;` in the XML is `\&` after decoding entities exactly once.
    expect(byId('2411.18380').title).toBe('SoK: Privacy Personalised -- Mapping Personal Attributes \\& Preferences of Privacy Mechanisms for Shoulder Surfing');
  });

  test('a cross-list keeps its primary category first', () => {
    const r = byId('2202.06515');
    expect(r).toMatchObject({ version: 3, listing: { announceType: 'cross' } });
    expect(r.abstract).toContain('$\\varepsilon_u$');
  });

  test('trimmed 2026 feeds without an XML declaration, &amp; decoded once', () => {
    const f = 'arxiv-rss/rss2-2026-04-27_cs.LG_3-items_trimmed.xml';
    const lg = parseArxivListing(readFixture(f), f);
    expect(lg.day).toBe('2026-04-27');
    expect(lg.records.map((r) => r.id)).toHaveLength(3);
    expect(lg.records[0]).toMatchObject({
      id: '2604.21952',
      version: 1,
      title: 'Focus Session: Hardware and Software Techniques for Accelerating Multimodal Foundation Models',
      categories: ['cs.LG', 'cs.AI', 'cs.AR', 'cs.NE', 'cs.RO'],
      listing: { day: '2026-04-27', announceType: 'new' },
    });
    expect(lg.records[0].authors[0]).toBe('Muhammad Shafique');
    expect(lg.records[0].abstract).toContain('visual resolution & stride');
    for (const name of ['cs.AI', 'cs.CL']) {
      const g = `arxiv-rss/rss2-2026-04-27_${name}_3-items_trimmed.xml`;
      const p = parseArxivListing(readFixture(g), g);
      expect(p.records).toHaveLength(3);
      expect(p.records.every((r) => r.listing.announceType === 'new' && r.listing.day === '2026-04-27')).toBe(true);
    }
  });

  test('empty feeds (weekend and an empty archive) are empty, not errors', () => {
    for (const [f, day] of [
      ['arxiv-rss/rss2-2026-08-01_cs.CL_saturday_EMPTY.xml', '2026-08-01'],
      ['arxiv-rss/rss2-2024-11-28_test-archive_EMPTY-weekday.xml', '2024-11-28'],
    ]) {
      const p = parseArxivListing(readFixture(f), f);
      expect(p).toEqual({ format: 'rss2', day, truncated: false, records: [], skipped: [] });
    }
  });

  test('an error channel is reported as a feed error, never as papers', () => {
    const f = 'arxiv-rss/rss2-2024-11-28_ERROR_bad-archive-astroph.xml';
    const p = parseArxivListing(readFixture(f), f);
    expect(p.records).toEqual([]);
    expect(p.feedError).toMatch(/^Feed error for query: http:\/\/rss\.arxiv\.org\/rss\/astroph: Bad archive 'astroph'/);
  });
});

describe('arXiv Atom listing', () => {
  const f = 'arxiv-rss/atom-2025-08-20_cs.AI_86-entries_TRUNCATED.xml';
  const text = readFixture(f);

  test('a download cut off mid-entry yields its 86 complete entries and notes the incomplete one', () => {
    const p = parseArxivListing(text, f);
    expect(p.format).toBe('atom');
    expect(p.day).toBe('2025-08-20');
    expect(p.truncated).toBe(true);
    expect(p.records).toHaveLength(86);
    expect(p.records.filter((r) => r.listing.announceType === 'cross')).toHaveLength(45);
    expect(p.records.filter((r) => r.listing.announceType === 'new')).toHaveLength(41);
    expect(p.skipped).toEqual([{ position: 87, reason: expect.stringContaining('truncated') }]);
    expect(p.records[0]).toMatchObject({
      id: '2508.13167',
      version: 1,
      title: 'Chain-of-Agents: End-to-End Agent Foundation Models via Multi-Agent Distillation and Agentic RL',
      categories: ['cs.AI', 'cs.CL'],
      primaryCategory: 'cs.AI',
      license: 'http://creativecommons.org/licenses/by-nc-sa/4.0/',
      absUrl: 'https://arxiv.org/abs/2508.13167',
      listing: { source: 'arxiv-rss', day: '2025-08-20', announceType: 'new' },
    });
    expect(p.records[0].authors).toHaveLength(30);
    expect(p.records[0].authors[29]).toBe('Wangchunshu Zhou');
    expect(p.records[0].abstract.startsWith('Recent advances in large language models (LLMs)')).toBe(true);
  });

  test('cut at the last complete entry and closed in code, it parses as a whole', () => {
    const cut = text.slice(0, text.lastIndexOf('</entry>') + '</entry>'.length) + '\n</feed>\n';
    const p = parseArxivListing(cut, 'cut');
    expect(p.truncated).toBe(false);
    expect(p.records).toHaveLength(86);
    const accents = p.records.flatMap((r) => r.authors).filter((a) => /\\['v]/.test(a));
    expect(accents).toContain("Paulo Andr\\'e Lima de Castro");
  });

  test('text that is not XML at all is a ParseError naming where', () => {
    expect(() => parseArxivListing('<rss><channel>', 'https://rss.example/x')).toThrow(ParseError);
    expect(() => parseArxivListing('{"a":1}', 'https://rss.example/x')).toThrow(/https:\/\/rss\.example\/x/);
    expect(() => parseArxivListing('<html><body>hi</body></html>', 'w')).toThrow(/not an arXiv listing/);
  });
});
