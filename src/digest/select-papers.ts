/**
 * Pure: which papers one subscriber's digest carries. Relevance comes first; Hugging Face upvotes
 * are a trending signal that can lift a paper by at most TREND_MAX (25 %) over an equally relevant
 * one, never past a clearly more relevant one. Papers already sent to the subscriber never return.
 * Each of the subscriber's topics gets its fair share of the `max` papers (matching/fair-share.ts):
 * a broad topic does not crowd a narrow one out of the digest.
 */
import { fairShare } from '../matching/fair-share.js';
import type { MatchHit } from '../matching/types.js';
import { addDays } from '../time.js';

export const TREND_MAX = 0.25;

export interface SelectedPaper extends MatchHit {
  /** Relevance × trending boost: the order of the digest. */
  rankScore: number;
}

/** score × (1 + min(0.25, 0.05 · log2(1 + upvotes))): deterministic, scale-free. */
export function trendBoost(upvotes: number | undefined | null): number {
  if (!upvotes || upvotes <= 0) return 1;
  return 1 + Math.min(TREND_MAX, 0.05 * Math.log2(1 + upvotes));
}

export function selectPapers(
  hits: MatchHit[],
  options: { upvotes: (paperId: string) => number | undefined | null; alreadySent: Set<string>; eligible?: (paperId: string) => boolean; max: number },
): SelectedPaper[] {
  const seen = new Set<string>();
  const picked: SelectedPaper[] = [];
  for (const h of hits) {
    if (seen.has(h.paperId) || options.alreadySent.has(h.paperId)) continue;
    if (options.eligible && !options.eligible(h.paperId)) continue;
    seen.add(h.paperId);
    picked.push({ ...h, rankScore: h.score * trendBoost(options.upvotes(h.paperId)) });
  }
  picked.sort((a, b) => b.rankScore - a.rankScore || b.score - a.score || (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : 0));
  return fairShare(picked, options.max, (p) => p.topicIndex);
}

/** Longest look-back of a digest: a week (the weekly digest; a daily reader back from a gap). */
export const WINDOW_DAYS = 7;

/**
 * First listing day a subscriber's digest of `date` may draw from: the day after their previous
 * digest, not before they confirmed, at most a week back, never after `date`. Computed only from
 * rows dated before `date`, so re-running a date gives the same window.
 */
export function windowStart(date: string, previousDigest: string | undefined, confirmedDay: string | undefined): string {
  let start = addDays(date, -(WINDOW_DAYS - 1));
  if (previousDigest && addDays(previousDigest, 1) > start) start = addDays(previousDigest, 1);
  if (confirmedDay && confirmedDay > start) start = confirmedDay;
  return start > date ? date : start;
}
