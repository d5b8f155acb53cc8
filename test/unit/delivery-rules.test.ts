import { selectPapers, trendBoost, windowStart } from '../../src/digest/select-papers.js';
import { createErrorBreaker } from '../../src/jobs/workers.js';
import { classifyMailError } from '../../src/mail/transport.js';
import type { MatchHit } from '../../src/matching/types.js';

const hit = (paperId: string, score: number): MatchHit => ({ paperId, score, topic: 't', topicIndex: 0, why: 'w' });

describe('which papers a digest carries', () => {
  test('relevance first; upvotes reorder near-equals but never overtake a clearly better match', () => {
    const upvotes = new Map([['b', 200], ['c', 5000]]);
    const picked = selectPapers([hit('a', 1.0), hit('b', 0.95), hit('c', 0.5)], { upvotes: (id) => upvotes.get(id), alreadySent: new Set(), max: 10 });
    expect(picked.map((p) => p.paperId)).toEqual(['b', 'a', 'c']);
    expect(trendBoost(1e9)).toBe(1.25);
    expect(trendBoost(undefined)).toBe(1);
  });

  test('papers already sent never return, duplicates collapse, the cap holds, order is deterministic', () => {
    const hits = [hit('x', 1), hit('y', 1), hit('x', 1), hit('z', 1), hit('w', 2)];
    const picked = selectPapers(hits, { upvotes: () => 0, alreadySent: new Set(['w']), max: 2 });
    expect(picked.map((p) => p.paperId)).toEqual(['x', 'y']);
  });

  test('each topic gets its share of the cap: a broad topic that outscores a narrow one does not take every place', () => {
    const broad = ['a', 'b', 'c', 'd'].map((id, i) => ({ ...hit(id, 0.9 - i * 0.01), topic: 'large language models', topicIndex: 0 }));
    const narrow = { ...hit('n', 0.55), topic: 'exoplanet atmospheres', topicIndex: 1 };
    const picked = selectPapers([...broad, narrow], { upvotes: () => 0, alreadySent: new Set(['a']), max: 3 });
    expect(picked.map((p) => p.paperId)).toEqual(['b', 'c', 'n']);
  });

  test.each([
    ['a daily reader with a digest yesterday gets today only', '2024-11-28', '2024-11-27', '2024-01-01', '2024-11-28'],
    ['a weekly reader gets their week', '2024-11-28', '2024-11-21', '2024-01-01', '2024-11-22'],
    ['a reader back after a month gets at most a week', '2024-11-28', '2024-10-01', '2024-01-01', '2024-11-22'],
    ['a new reader starts the day they confirmed', '2024-11-28', undefined, '2024-11-26', '2024-11-26'],
    ['a reader who confirmed after the date still gets the date', '2024-11-28', undefined, '2026-01-01', '2024-11-28'],
  ])('%s', (_name, date, previous, confirmed, expected) => {
    expect(windowStart(date, previous, confirmed)).toBe(expected);
  });
});

describe('relay replies', () => {
  test.each([
    [{ responseCode: 451 }, 'transient'], [{ code: 'ETIMEDOUT' }, 'transient'], [{ code: 'ECONNECTION' }, 'transient'],
    [{ responseCode: 421 }, 'throttle'], [{ responseCode: 454 }, 'throttle'],
    [{ responseCode: 550 }, 'permanent'], [{ responseCode: 535 }, 'auth'], [{ code: 'EAUTH' }, 'auth'],
  ])('%j is %s', (err, kind) => {
    expect(classifyMailError(Object.assign(new Error('x'), err)).kind).toBe(kind);
  });

  test('the error-rate breaker trips only above its share with enough samples', () => {
    const b = createErrorBreaker(50, 100, 20);
    for (let i = 0; i < 10; i++) expect(b.record(true)).toBe(false);
    for (let i = 0; i < 10; i++) b.record(false);
    expect(b.record(true)).toBe(true);
    b.reset();
    for (let i = 0; i < 30; i++) expect(b.record(i % 3 === 0)).toBe(false);
  });
});
