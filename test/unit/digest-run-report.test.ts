// The report `paperboy digest` prints (and the worker logs): the hint for an instance with little history.
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

  it('says nothing of it when the day is large enough, its history fills it, or there is nothing today', () => {
    expect(hint(run(240))).toBeUndefined();
    expect(hint(run(935))).toBeUndefined();
    expect(hint(run(30, 210))).toBeUndefined();
    expect(hint(run(0))).toBeUndefined();
  });
});
