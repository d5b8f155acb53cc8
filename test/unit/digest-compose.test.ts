import { describe, expect, test } from '@jest/globals';
import { composeDigest, createPaperViewCache, excerpt, shortAuthors, weekLabel, dayLabel, type DigestPaperInput } from '../../src/digest/compose.js';
import { oneLine } from '../../src/digest/text.js';
import { LINKS, POSTAL, goldenDigest } from '../support/digest-fixture.js';

function paper(over: Partial<DigestPaperInput>): DigestPaperInput {
  return {
    paperId: '2603.00001', topic: 't', rank: 1, score: 1, why: 'w', title: 'T', abstract: 'A.', authors: ['X'], categories: ['cs.LG'],
    absUrl: 'https://arxiv.org/abs/2603.00001', ...over,
  };
}

describe('composing a digest', () => {
  test('papers are ranked, grouped by topic in the order of their best paper, and capped', () => {
    const view = composeDigest(goldenDigest());
    expect(view.groups.map((g) => [g.topic, g.papers.map((p) => p.id)])).toEqual([
      ['symbolic regression', ['2603.01234', 'hep-th/9901001']],
      ['graph neural networks', ['2603.05555']],
    ]);
    expect(view.paperCount).toBe(3); // the fourth paper is beyond the subscriber's maximum
  });

  test('authors are shortened: up to four in full, else three and a count', () => {
    expect(shortAuthors([])).toBe('');
    expect(shortAuthors(['A'])).toBe('A');
    expect(shortAuthors(['A', 'B'])).toBe('A and B');
    expect(shortAuthors(['A', 'B', 'C', 'D'])).toBe('A, B, C and D');
    expect(shortAuthors(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 others');
    expect(shortAuthors(["Fran\\c{c}ois", 'B', 'C', 'D', 'E', 'F'])).toBe('François, B, C and 3 others');
    expect(shortAuthors(Array.from({ length: 3000 }, (_, i) => `Author ${i}`))).toBe('Author 0, Author 1, Author 2 and 2997 others');
  });

  test('excerpts keep whole sentences when they can, else cut at a word with an ellipsis', () => {
    expect(excerpt('Short.')).toBe('Short.');
    const sentences = 'First sentence is here. '.repeat(20);
    const cut = excerpt(sentences, 100);
    expect(cut.endsWith('here.')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(100);
    const words = 'word '.repeat(100);
    expect(excerpt(words, 50)).toMatch(/^(word ){8,9}word…$/);
    expect(excerpt('x'.repeat(1_000_000), 300).length).toBe(301);
  });

  test("Hugging Face's AI summary replaces the abstract and is labelled", () => {
    const v = composeDigest({ date: '2026-03-03', papers: [paper({ aiSummary: 'Summary $\\alpha$.' })], links: LINKS, postalAddress: POSTAL });
    expect(v.groups[0].papers[0]).toMatchObject({ excerpt: 'Summary α.', summaryLabel: 'AI summary (Hugging Face)' });
  });

  test('links: only http(s); short GitHub names expanded; the HF page only for papers HF knows', () => {
    const v = composeDigest({
      date: '2026-03-03', links: LINKS, postalAddress: POSTAL,
      papers: [
        paper({ paperId: '2603.00001', githubRepo: 'owner/repo', pdfUrl: 'javascript:alert(1)', projectPage: '//evil.example', hfUpvotes: 3 }),
        paper({ paperId: '2603.00002', rank: 2, absUrl: 'data:text/html,x', pdfUrl: 'vbscript:x', githubRepo: 'https://github.com/a/b' }),
      ],
    });
    const [a, b] = v.groups[0].papers;
    expect(a.links).toEqual([
      { label: 'Code', url: 'https://github.com/owner/repo' },
      { label: 'Hugging Face', url: 'https://huggingface.co/papers/2603.00001' },
    ]);
    expect(a.upvotesLabel).toBe('3 upvotes');
    expect(b.url).toBe('https://arxiv.org/abs/2603.00002'); // rebuilt from the id, the data: URL dropped
    expect(b.links).toEqual([{ label: 'Code', url: 'https://github.com/a/b' }]);
    expect(b.upvotesLabel).toBeUndefined();
  });

  test('weekly digests say so in the subject, heading and footer', () => {
    const v = composeDigest({ date: '2026-03-01', frequency: 'weekly', papers: [paper({})], links: LINKS, postalAddress: POSTAL, topics: ['t'] });
    expect(v.subject).toBe('Your week in papers: 1 new paper — 23 February – 1 March 2026');
    expect(v.heading).toBe('Your week in papers');
    expect(v.reason).toBe('You receive this weekly digest because you subscribed to Paperboy with this topic.');
  });

  test('no papers composes the "nothing today" note', () => {
    const v = composeDigest({ date: '2026-03-03', papers: [], links: LINKS, postalAddress: POSTAL });
    expect(v).toMatchObject({ kind: 'nothing', nothing: true, paperCount: 0, groups: [], subject: 'No new papers on your topics today — Tuesday 3 March 2026' });
  });

  test('date labels are fixed English whatever the ICU build', () => {
    expect(dayLabel('2026-01-01')).toBe('Thursday 1 January 2026');
    expect(weekLabel('2026-01-02')).toBe('27 December 2025 – 2 January 2026');
    expect(weekLabel('2026-03-10')).toBe('4 – 10 March 2026');
    expect(() => dayLabel('03/03/2026')).toThrow(/YYYY-MM-DD/);
  });

  test('the paper view cache reuses a paper only while its fields are unchanged', () => {
    const cache = createPaperViewCache();
    const input = { date: '2026-03-03', links: LINKS, postalAddress: POSTAL };
    const first = composeDigest({ ...input, papers: [paper({ hfUpvotes: 1, why: 'one' })] }, { cache }).groups[0].papers[0];
    const again = composeDigest({ ...input, papers: [paper({ hfUpvotes: 1, why: 'two' })] }, { cache }).groups[0].papers[0];
    expect(again.memoKey).toBe(first.memoKey);
    expect([first.why, again.why]).toEqual(['one', 'two']);
    const updated = composeDigest({ ...input, papers: [paper({ hfUpvotes: 2 })] }, { cache }).groups[0].papers[0];
    expect(updated.memoKey).not.toBe(first.memoKey);
    expect(updated.upvotesLabel).toBe('2 upvotes');
    const { memoKey: _a, ...plain } = composeDigest({ ...input, papers: [paper({ hfUpvotes: 2 })] }).groups[0].papers[0];
    const { memoKey: _b, ...cached } = updated;
    expect(cached).toEqual(plain);
  });

  test('feedback links: each paper its own pair from the delivery\'s builder, never shared through the paper cache', () => {
    const cache = createPaperViewCache();
    const builder = (delivery: string) => (paperId: string, choice: 'more' | 'less') => `https://p.example/feedback/${delivery}?paper=${encodeURIComponent(paperId)}&v=${choice}`;
    const input = { date: '2026-03-03', links: LINKS, postalAddress: POSTAL, papers: [paper({}), paper({ paperId: 'hep-th/9901001', rank: 2 })] };
    const one = composeDigest({ ...input, feedback: builder('d1') }, { cache }).groups[0].papers;
    const two = composeDigest({ ...input, feedback: builder('d2') }, { cache }).groups[0].papers;
    expect(one.map((p) => p.feedback)).toEqual([
      { more: 'https://p.example/feedback/d1?paper=2603.00001&v=more', less: 'https://p.example/feedback/d1?paper=2603.00001&v=less' },
      { more: 'https://p.example/feedback/d1?paper=hep-th%2F9901001&v=more', less: 'https://p.example/feedback/d1?paper=hep-th%2F9901001&v=less' },
    ]);
    expect(two[0].memoKey).toBe(one[0].memoKey);
    expect(two[0].feedback?.more).toBe('https://p.example/feedback/d2?paper=2603.00001&v=more');
    // Without a builder (previews, the nothing-today note) there are none; a non-http(s) builder gives none.
    expect(composeDigest(input, { cache }).groups[0].papers[0].feedback).toBeUndefined();
    expect(composeDigest({ ...input, feedback: () => 'javascript:alert(1)' }).groups[0].papers[0].feedback).toBeUndefined();
  });

  test('oneLine: one bounded line without control characters, never a split surrogate pair', () => {
    expect(oneLine('a\r\nBcc: x@y\u0000\u2028z')).toBe('a Bcc: x@y z');
    expect(oneLine('😀'.repeat(10), 4)).toBe('😀…');
    expect(oneLine('abc', 10)).toBe('abc');
  });
});
