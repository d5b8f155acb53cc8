/** The matcher's contract: pure, no I/O. See ./README or the README's "Matching" section. */

/** The fields of a paper the matcher reads. */
export interface MatchPaper {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
  categories?: string[];
  aiKeywords?: string[];
  aiSummary?: string;
  /** Hugging Face upvotes: a trending signal, used only to break near-ties / boost slightly. */
  hfUpvotes?: number;
}

export interface MatchOptions {
  /** Per-subscriber maximum of selected papers (default 20). */
  maxResults?: number;
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
