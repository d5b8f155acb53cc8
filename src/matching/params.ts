/**
 * Ranking parameters. Chosen once on the development judgments by leave-one-topic-out
 * cross-validation (see docs/matching.md) and then frozen: nothing here depends on a topic,
 * a word or the number of papers of the day.
 */
export interface RankingParams {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation. */
  b: number;
  /** A title occurrence counts as this many abstract occurrences. */
  titleWeight: number;
  /** Weight of "topic words appear next to each other" relative to the words themselves. */
  proximityWeight: number;
  /** Max word distance for two consecutive topic words to count as near (1 = adjacent). */
  proximityWindow: number;
  /** Pseudo-relevance feedback: how many top papers to learn related words from (0 = off). */
  feedbackDocs: number;
  /** … and how many related words to add. */
  feedbackTerms: number;
  /** How much related words can add to the score (fraction of the remaining headroom). */
  feedbackWeight: number;
  /** Related words must occur in at most this share of the day's papers (generic words carry no topic). */
  feedbackMaxDf: number;
  /** May feedback admit papers that share no word with the topic? */
  feedbackAdmits: boolean;
  /** Absolute selection threshold on the normalised score (0..1). */
  threshold: number;
}

export const DEFAULT_PARAMS: RankingParams = {
  k1: 1.2,
  b: 0.75,
  titleWeight: 2,
  proximityWeight: 1,
  proximityWindow: 2,
  feedbackDocs: 10,
  feedbackTerms: 20,
  feedbackWeight: 0.7,
  feedbackAdmits: false,
  feedbackMaxDf: 1,
  threshold: 0.3,
};
