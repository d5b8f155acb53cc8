/**
 * Measuring the subscriber's own feedback ("more / less like this", MatchOptions.feedback): days in
 * sequence, where after each day the simulated subscriber judges what they were sent — a paper judged
 * relevant is "more like this", one judged not relevant "less like this", a disputed one is left alone
 * — and the next days are matched with everything they said so far. Only the days after the first are
 * scored, against the same days matched without feedback (docs/matching.md, "The subscriber's feedback").
 */
import { createMatcher } from '../../src/matching/matcher.js';
import type { RankingParams } from '../../src/matching/params.js';
import type { MatchPaper, TopicFeedback } from '../../src/matching/types.js';
import { scoreSelection, type Judgments, type TopicScore } from './relevance.js';
import { judgeDay } from './regimes.js';
import { seededRandom } from '../../src/random.js';

/** One day of a sequence: its papers and the earlier papers the daily run has as context. */
export interface SequenceDay { papers: MatchPaper[]; context?: MatchPaper[] }

export interface FeedbackResult {
  /** Per judged topic-day after the first day: without feedback, and with it. */
  without: TopicScore[];
  with: TopicScore[];
  /** Papers sent on quiet topic-days (nothing relevant that day) without and with feedback. */
  quietWithout: number[];
  quietWith: number[];
  /** Feedback given, in all: papers marked more, and less. */
  more: number;
  less: number;
}

/**
 * Runs each topic of `j` through the days in order. `shown`: how many of each day's papers (best
 * first) the subscriber judges — a busy subscriber clicks a few, not all.
 */
export function feedbackSequence(days: SequenceDay[], j: Judgments, params: Partial<RankingParams>, shown = Infinity): FeedbackResult {
  const out: FeedbackResult = { without: [], with: [], quietWithout: [], quietWith: [], more: 0, less: 0 };
  const matchers = days.map((d) => createMatcher(d.papers, { params, context: d.context }));
  const byId = new Map(days.flatMap((d) => d.papers).map((p) => [p.id, p]));
  const judged = days.map((d) => judgeDay(d.papers, j));
  for (const t of j.topics) {
    const q = j.qrels[t.id];
    const disputed = new Set(q.disputed);
    const fb: TopicFeedback = { more: [], less: [] };
    days.forEach((_, i) => {
      const feedback = new Map([[t.topic, fb]]);
      const hits = matchers[i].matchTopic(t.topic, i > 0 ? { feedback } : {});
      const sent = hits.map((h) => h.paperId);
      if (i > 0) {
        const plain = matchers[i].matchTopic(t.topic).map((h) => h.paperId);
        const dq = judged[i].judgments.qrels[t.id];
        if (judged[i].judgments.topics.some((u) => u.id === t.id)) {
          out.without.push(scoreSelection(t.id, t.topic, plain, dq));
          out.with.push(scoreSelection(t.id, t.topic, sent, dq));
        } else if (judged[i].quietTopics.some((u) => u.id === t.id)) {
          out.quietWithout.push(plain.length);
          out.quietWith.push(sent.length);
        }
      }
      for (const h of hits.slice(0, shown)) {
        if (disputed.has(h.paperId)) continue;
        const judged = byId.get(h.paperId)!;
        if ((q.relevant[h.paperId] ?? 0) >= 1) { fb.more.push(judged); out.more++; } else { fb.less.push(judged); out.less++; }
      }
    });
  }
  return out;
}

/**
 * Two-day sequences from one set of papers: `seeds` seeded random halves, each played in both orders
 * (first half, then the second, and the reverse); a half's context is the other half (standing for the
 * earlier days of the same sources), as in eval:match --regimes.
 */
export function halvesSequences(papers: MatchPaper[], seeds = 4): SequenceDay[][] {
  const out: SequenceDay[][] = [];
  for (let s = 0; s < seeds; s++) {
    const rand = seededRandom(5000 + s);
    const a: MatchPaper[] = [];
    const b: MatchPaper[] = [];
    for (const p of papers) (rand() < 0.5 ? a : b).push(p);
    out.push([{ papers: a, context: b }, { papers: b, context: a }], [{ papers: b, context: a }, { papers: a, context: b }]);
  }
  return out;
}

/** Adds up the results of several sequences. */
export function mergeResults(results: FeedbackResult[]): FeedbackResult {
  return {
    without: results.flatMap((r) => r.without), with: results.flatMap((r) => r.with),
    quietWithout: results.flatMap((r) => r.quietWithout), quietWith: results.flatMap((r) => r.quietWith),
    more: results.reduce((s, r) => s + r.more, 0), less: results.reduce((s, r) => s + r.less, 0),
  };
}
