/**
 * What a match pool's threads and its caller exchange, and the two pure steps on either side: a
 * thread answers one topic of one subscriber (`topicHits`), the caller merges a subscriber's topics
 * (`mergeTopics`) exactly as `Matcher.match` does in one process.
 */
import { shareTopicsInOrder } from './fair-share.js';
import type { Matcher } from './matcher.js';
import type { MatchHit, MatchSignals, TopicFeedback } from './types.js';

/** One topic of one subscriber in one part of the day: its selection cut at `max` (ties at the cut kept). */
export interface TopicTask {
  part: number;
  topic: string;
  max: number;
  feedback?: TopicFeedback;
  signals?: MatchSignals;
}

/** A selected paper of one topic, as a thread sends it (topic and topic index are the caller's). */
export interface TopicHit {
  paperId: string;
  score: number;
  why: string;
}

export type PoolRequest =
  /** A day's parts this thread serves (index in the day's parts, the part's papers and matcher options). */
  | { type: 'day'; day: number; parts: Array<{ part: number; papers: unknown; options: unknown }> }
  | { type: 'drop'; day: number }
  | { type: 'match'; id: number; day: number; tasks: TopicTask[] };

export interface PoolError { name: string; message: string }

export type PoolReply = { type: 'hits'; id: number; results?: TopicHit[][]; error?: PoolError };

/**
 * The topic's selection, best first, cut after `max` papers but keeping every paper that ties the
 * last one: what `Matcher.match` can take from this topic for a subscriber of at most `max` papers
 * whatever their other topics (a paper below `max` others of this topic is below `max` papers in all).
 */
export function topicHits(m: Matcher, t: TopicTask): TopicHit[] {
  if (t.max <= 0) return [];
  const opts = { signals: t.signals, feedback: t.feedback ? new Map([[t.topic, t.feedback]]) : undefined };
  for (let want = t.max + 1; ; want *= 2) {
    const hits = m.matchTopic(t.topic, { ...opts, maxResults: want });
    const last = hits[t.max - 1];
    if (hits.length < want || hits[want - 1].score !== last.score) {
      return cutAtTies(hits, t.max).map((h) => ({ paperId: h.paperId, score: h.score, why: h.why }));
    }
  }
}

/** The first `max` of a best-first list and every later one tying the max-th one's score. */
export function cutAtTies<T extends { score: number }>(hits: T[], max: number): T[] {
  if (max <= 0) return [];
  if (hits.length <= max) return hits;
  let end = max;
  while (end < hits.length && hits[end].score === hits[max - 1].score) end++;
  return hits.slice(0, end);
}

/**
 * A topic's hits from every part of the day (each part's best first), best first. The sort is stable,
 * so papers of equal score keep their parts' order, as mergeTopics's own sort keeps them.
 */
export function joinParts<T extends { score: number }>(lists: T[][]): T[] {
  return lists.length === 1 ? lists[0] : lists.flat().sort(byScore);
}

const byScore = (a: { score: number }, b: { score: number }) => b.score - a.score;

/**
 * A subscriber's hits from each topic's selection (a topic's hits from every part of the day, any
 * order), as `Matcher.match` combines them: each topic its fair share of `max` (shareTopics), a paper
 * once, under its best-scoring topic (the earlier topic on a tie); best first, ties by topic order
 * then paper id.
 */
export function mergeTopics(topics: string[], perTopic: Array<TopicHit[] | undefined>, max: number): MatchHit[] {
  // Best first within a topic; the sort is stable, so papers of equal score keep their part's order.
  const lists = perTopic.map((hits) => (!hits ? [] : bestFirst(hits) ? hits : [...hits].sort(byScore)));
  return shareTopicsInOrder(lists, max, (h) => h.paperId, (h) => h.score)
    .map(({ hit: h, topicIndex }): MatchHit => ({ paperId: h.paperId, topicIndex, topic: topics[topicIndex], score: h.score, why: h.why }));
}

/** Whether the hits are already best first (a day matched as one part sends them so). */
function bestFirst(hits: TopicHit[]): boolean {
  for (let i = 1; i < hits.length; i++) if (hits[i].score > hits[i - 1].score) return false;
  return true;
}
