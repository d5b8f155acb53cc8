// The report `paperboy digest` prints (and the worker logs): the hints for an instance with little history or a day of mixed fields.
import { describe, expect, it } from '@jest/globals';
import { formatRunReport } from '../../src/cli/commands/digest.js';
import type { RunResult } from '../../src/digest/digest-run-service.js';

const run = (candidatePapers: number, contextPapers?: number): RunResult => ({
  date: '2026-07-14', papers: candidatePapers, candidatePapers, contextPapers, nothingToday: candidatePapers === 0,
  subscribersConsidered: 3, subscribersMatched: 2, deliveriesCreated: 2, deliveriesScheduled: 2, composeMs: 5,
});
const hint = (r: RunResult) => formatRunReport(r, null, false).find((l) => l.includes('little history'));

describe('run report', () => {
  it('tells the operator of a small day with little history how to store earlier days', () => {
    expect(hint(run(30))).toContain('`paperboy fetch --back 5`');
    expect(hint(run(30, 150))).toBeDefined(); // 180 papers in all: still short of 240
    expect(formatRunReport(run(30, 150), null, false).join('\n')).toContain('150 earlier papers as matching context');
  });

  it('says which earlier days a new instance fetched first, how many papers they gave, and what failed', () => {
    const fetched = { ...run(14), history: { days: ['2026-07-09', '2026-07-10', '2026-07-11', '2026-07-12', '2026-07-13'], papers: 11, errors: ['2026-07-09 hf: HTTP 500'] } };
    expect(formatRunReport(fetched, null, false).find((l) => l.startsWith('  history:'))).toBe(
      '  history: none yet, so the 5 days before were fetched first (HISTORY_DAYS: 2026-07-09 to 2026-07-13), 11 new papers; errors: 2026-07-09 hf: HTTP 500');
    expect(formatRunReport(run(14), null, false).some((l) => l.startsWith('  history:'))).toBe(false);
  });

  it('tells the operator when the day mixes arXiv groups, with their shares and the parts it is matched in, and says nothing otherwise', () => {
    const mixed = {
      ...run(1504),
      mixedFields: [{ field: 'cs', papers: 583 }, { field: 'physics', papers: 530 }, { field: 'math', papers: 245 }, { field: 'eess', papers: 146 }],
      fieldParts: [{ field: 'cs', papers: 722 }, { field: null, papers: 782 }],
    };
    const line = formatRunReport(mixed, null, false).find((l) => l.includes('mixed fields'));
    expect(line).toBe('  mixed fields: cs 39 %, physics 35 %, math 16 %, eess 10 %; matched field by field (cs 722, the rest 782 papers), '
      + 'as one instance per field would match them (docs/matching.md, "A fifth kind of day")');
    expect(formatRunReport(run(1504), null, false).some((l) => l.includes('mixed fields'))).toBe(false);
  });

  it('says when the subscribers were matched on a pool of threads', () => {
    const line = (r: RunResult) => formatRunReport(r, null, false).find((l) => l.startsWith('  subscribers considered'));
    expect(line({ ...run(300), matchThreads: 2 })).toBe('  subscribers considered: 3, matched: 2 (on 2 threads), new digests composed: 2');
    expect(line({ ...run(300), matchThreads: 1 })).toBe('  subscribers considered: 3, matched: 2, new digests composed: 2');
  });

  it('says nothing of it when the day is large enough, its history fills it, or there is nothing today', () => {
    expect(hint(run(240))).toBeUndefined();
    expect(hint(run(935))).toBeUndefined();
    expect(hint(run(30, 210))).toBeUndefined();
    expect(hint(run(0))).toBeUndefined();
  });
});
