import { parseHfDaily } from '../../../src/sources/parsers/hf-daily.js';
import { ParseError } from '../../../src/sources/parsers/parse-error.js';
import { readFixture } from '../../support/fixtures.js';

const parse = (f: string) => parseHfDaily(readFixture(`hf-daily-papers/${f}`), f);

test('30 items of 2026-06-12 with upvotes, repo, stars, AI summary and keywords', () => {
  const r = parse('daily_papers-limit30_2026-06-12.json');
  expect(r.days).toEqual(['2026-06-12']);
  expect(r.records).toHaveLength(30);
  expect(r.skipped).toEqual([]);
  expect(r.records.filter((p) => p.githubRepo)).toHaveLength(16);
  expect(r.records.filter((p) => p.projectPage)).toHaveLength(13);
  expect(r.records.every((p) => p.aiSummary && p.aiKeywords?.length)).toBe(true);
  expect(Math.max(...r.records.map((p) => p.hfUpvotes!))).toBe(118);
  expect(r.records.find((p) => p.id === '2606.12730')).toMatchObject({
    title: 'Rethinking Psychometric Evaluation of LLMs: When and Why Self-Reports Predict Behavior',
    authors: ['Rafal Kocielnik', 'Pengrui Han', 'Peiyang Song', 'Myrl G. Marmarelis', 'Ramit Debnath', 'Dean Mobbs', 'Anima Anandkumar', 'R. Michael Alvarez'],
    absUrl: 'https://arxiv.org/abs/2606.12730',
    hfUpvotes: 5, hfComments: 3, githubStars: 1,
    githubRepo: 'https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs',
    aiSummary: 'Psychometric assessments of LLM behavior reveal that specific behavioral frameworks like Theory of Planned Behavior show better coherence with actual responses than broad personality traits, particularly within shared conversations.',
    listing: { source: 'hf', day: '2026-06-12' },
  });
  // An author with `hidden: true` is still an author of the paper.
  const hidden = r.records.find((p) => p.id === '2606.12575')!;
  expect(hidden.authors).toContain('Dengyang Jiang');
  expect(hidden.meta).toEqual({ organization: 'Tongyi-MAI', publishedAt: '2026-06-10T00:00:00.000Z' });
});

test('a request without a date spans two list days: each item keeps its own day', () => {
  const r = parse('daily_papers-limit25_2026-07-13_spans-two-days.json');
  expect(r.days).toEqual(['2026-07-10', '2026-07-13']);
  expect(r.records.filter((p) => p.listing.day === '2026-07-13')).toHaveLength(14);
  expect(r.records.filter((p) => p.listing.day === '2026-07-10')).toHaveLength(11);
  expect(r.records.filter((p) => p.aiSummary)).toHaveLength(10);
});

test('a Sunday recording of the Friday list, and a pretty-printed file', () => {
  const sunday = parse('daily_papers_committed-2026-08-02-sunday_all-items-2026-07-31.json');
  expect(sunday.days).toEqual(['2026-07-31']);
  expect(sunday.records).toHaveLength(30);
  expect(sunday.records.some((p) => p.aiSummary !== undefined)).toBe(false);
  const pretty = parse('daily_papers_2026-07-31_5-items_pretty-printed.json');
  expect(pretty.records).toHaveLength(5);
  expect(pretty.records[0]).toMatchObject({ id: '2607.23193', title: 'OmniScope: Modality-Decoupled Token Compression for Omnimodal Large Language Models' });
});

test('bad items are skipped with their position; a non-array is a ParseError', () => {
  const r = parseHfDaily(JSON.stringify([{ paper: { id: 'nope', title: 'x' } }, 7, { paper: { id: '2601.00001', title: 'T', summary: 'S' } }]), 'w', '2026-01-05');
  expect(r.records.map((p) => [p.id, p.listing.day])).toEqual([['2601.00001', '2026-01-05']]);
  expect(r.skipped.map((s) => s.position)).toEqual([1, 2]);
  expect(() => parseHfDaily('{"error":"Invalid date"}', 'https://hf/x')).toThrow(ParseError);
  expect(() => parseHfDaily('[{', 'https://hf/x')).toThrow(/https:\/\/hf\/x: not valid JSON/);
});
