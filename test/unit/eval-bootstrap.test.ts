import { describe, expect, it } from '@jest/globals';
import { bootstrap, macro, type TopicScore } from '../../bench/lib/relevance.js';

const T = (id: string, f1: number, ndcg10: number): TopicScore => ({ id, topic: id, selected: 1, precision: f1, recall: f1, f1, ndcg10 });

describe('eval:match bootstrap over topics', () => {
  const ours = [T('a', 0.9, 1), T('b', 0.4, 0.5), T('c', 0.7, 0.8), T('d', 0.2, 0.9), T('e', 1, 1)];
  const base = [T('a', 0.8, 0.9), T('b', 0.5, 0.6), T('c', 0.6, 0.8), T('d', 0.1, 0.7), T('e', 0.9, 1)];

  it('brackets the macro average, repeats with its seed and moves with another', () => {
    const b = bootstrap(ours, base, 2000);
    const m = macro(ours);
    expect(b.f1.lo).toBeLessThan(m.f1);
    expect(b.f1.hi).toBeGreaterThan(m.f1);
    expect(b.f1.lo).toBeGreaterThanOrEqual(0.2);
    expect(b.f1.hi).toBeLessThanOrEqual(1);
    expect(bootstrap(ours, base, 2000)).toEqual(b);
    expect(bootstrap(ours, base, 2000, 7)).not.toEqual(b);
  });

  it('compares on the same draw: one point ahead on 4 of 5 topics', () => {
    const b = bootstrap(ours, base, 2000);
    // Every draw is a mean of +0.1 and −0.1 differences: at most +0.1, at least −0.1.
    expect(b.f1.diffHi).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(b.f1.diffLo).toBeGreaterThanOrEqual(-0.1 - 1e-9);
    expect(b.f1.ahead).toBeGreaterThan(0.8);
    const same = bootstrap(ours, ours, 500);
    expect(same.f1).toMatchObject({ diffLo: 0, diffHi: 0, ahead: 0 });
  });

  it('refuses lists that do not score the same topics in the same order', () => {
    expect(() => bootstrap(ours, [...base].reverse())).toThrow(/same topics in the same order/);
  });
});
