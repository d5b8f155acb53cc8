/** The matcher's contract: pure, no I/O. See docs/matching.md. */

/** The fields of a paper the matcher reads. */
export interface MatchPaper {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
  categories?: string[];
  /** The arXiv primary category (else the first of `categories` is taken as primary). */
  primaryCategory?: string;
  aiKeywords?: string[];
  aiSummary?: string;
  /** Hugging Face upvotes: a trending signal, used only to break near-ties / boost slightly. */
  hfUpvotes?: number;
}

export interface MatchOptions {
  /** Per-subscriber maximum of selected papers (default 20). */
  maxResults?: number;
  /** Optional extra signals; they reorder the selection but never admit a paper on their own. */
  signals?: MatchSignals;
  /**
   * The subscriber's own "more / less like this" judgments of papers they were sent, per topic (keyed
   * by the topic string as typed). A topic with feedback is matched for this subscriber alone: its
   * vector in the semantic space moves towards the papers they wanted more of and away from those
   * they wanted less of (docs/matching.md, "The subscriber's feedback").
   */
  feedback?: ReadonlyMap<string, TopicFeedback>;
}

/** One subscriber's judgments under one topic: papers (from any day) they want more or less of. */
export interface TopicFeedback {
  more: MatchPaper[];
  less: MatchPaper[];
}

/** Hooks for signals beyond text (kept out of the text score so the threshold keeps its meaning). */
export interface MatchSignals {
  /** Boost by Hugging Face upvotes: score × (1 + w·log(1+upvotes)/log(1001)). 0 or absent = off. */
  trendingWeight?: number;
}

/** One selected paper for one topic of one subscriber. */
export interface MatchHit {
  paperId: string;
  /** Index of the topic in the subscription's topic list. */
  topicIndex: number;
  topic: string;
  score: number;
  /** Human explanation for the email, e.g. `matched: "symbolic regression" in title`. */
  why: string;
}

/** A topic that cannot be parsed: `message` says what, `position` is a 0-based offset into the topic. */
export class TopicSyntaxError extends Error {
  constructor(message: string, readonly position: number, readonly topic: string) {
    super(`${message} at position ${position + 1}`);
    this.name = 'TopicSyntaxError';
  }
}
