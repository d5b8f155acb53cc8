import { parseArxivId } from '../../../src/sources/parsers/arxiv-id.js';
import { announcementDayOf, hfDaysFor, nyDay, submissionWindow } from '../../../src/sources/days.js';
import { nextLink } from '../../../src/sources/live-sources.js';
import { parseRetryAfter } from '../../../src/sources/http/http-client.js';

test.each([
  ['2411.17700', { id: '2411.17700' }],
  ['2411.17700v1', { id: '2411.17700', version: 1 }],
  ['arXiv:2411.17700v1', { id: '2411.17700', version: 1 }],
  ['oai:arXiv.org:1401.3665v4', { id: '1401.3665', version: 4 }],
  ['http://arxiv.org/abs/2411.17700v12', { id: '2411.17700', version: 12 }],
  ['https://arxiv.org/abs/2411.17700', { id: '2411.17700' }],
  ['astro-ph/0601001v1', { id: 'astro-ph/0601001', version: 1 }],
  ['http://arxiv.org/abs/math/0611846', { id: 'math/0611846' }],
  ['1202.4527', { id: '1202.4527' }],
  ['https://arxiv.org/api/errors#incorrect_id_format_for_abc', undefined],
  ['abc', undefined],
])('arXiv id %s', (raw, expected) => {
  expect(parseArxivId(raw)).toEqual(expected);
});

test('announcement days and submission windows in New York time', () => {
  expect(nyDay(new Date('2024-11-28T05:00:00Z'))).toBe('2024-11-28');
  expect(nyDay(new Date('2024-11-28T04:59:59Z'))).toBe('2024-11-27');
  // Thursday 2024-11-28 (EST): Tuesday 14:00 to Wednesday 14:00.
  expect(submissionWindow('2024-11-28')).toEqual({ from: new Date('2024-11-26T19:00:00Z'), to: new Date('2024-11-27T19:00:00Z') });
  // Monday: Thursday 14:00 to Friday 14:00; Tuesday: Friday 14:00 to Monday 14:00.
  expect(submissionWindow('2024-12-02')).toEqual({ from: new Date('2024-11-28T19:00:00Z'), to: new Date('2024-11-29T19:00:00Z') });
  expect(submissionWindow('2024-12-03')).toEqual({ from: new Date('2024-11-29T19:00:00Z'), to: new Date('2024-12-02T19:00:00Z') });
  expect(submissionWindow('2024-11-30')).toBeUndefined();
  expect(announcementDayOf(new Date('2024-11-29T20:00:00Z'))).toBe('2024-12-03'); // Friday afternoon → Tuesday
  expect(announcementDayOf(new Date('2026-04-29T17:40:25Z'))).toBe('2026-04-30');
});

test('Hugging Face list days of each digest day', () => {
  expect(hfDaysFor('2026-07-14')).toEqual(['2026-07-13']);
  expect(hfDaysFor('2026-07-13')).toEqual(['2026-07-10', '2026-07-11', '2026-07-12']);
  expect(hfDaysFor('2026-07-11')).toEqual([]);
});

test('Link rel="next" and Retry-After', () => {
  expect(nextLink('<https://hf.co/api/daily_papers?p=1>; rel="next", <https://hf.co/x?p=9>; rel="last"', 'https://hf.co/a')).toBe('https://hf.co/api/daily_papers?p=1');
  expect(nextLink('</api/daily_papers?p=2>; rel=next', 'https://hf.co/api/daily_papers?p=1')).toBe('https://hf.co/api/daily_papers?p=2');
  expect(nextLink('<https://hf.co/x>; rel="prev"', 'https://hf.co/')).toBeUndefined();
  expect(nextLink(null, 'https://hf.co/')).toBeUndefined();
  expect(parseRetryAfter('3')).toBe(3000);
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10000);
  expect(parseRetryAfter('soon')).toBeUndefined();
});

test('XML entities are decoded exactly once; CDATA stays literal', async () => {
  const { parseXml } = await import('../../../src/sources/parsers/xml.js');
  const el = parseXml('<a t="x&amp;y">&amp;#233; &amp;lt; &#233;&#x41; &lt;b&gt; <![CDATA[<b>&amp;]]></a>', 'w');
  expect(el.attrs.t).toBe('x&y');
  expect(el.text).toBe('&#233; &lt; éA <b> <b>&amp;');
});
