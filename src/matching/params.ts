/**
 * Ranking parameters. Chosen once by a grid search on thirty-three judged topics over two kinds of
 * day — the 23 topics over the 240 AI papers of ../shared/relevance (its eight, bench/extra-judgments.json's
 * fifteen) and the ten over a whole day of cs papers (bench/cs-day-judgments.json) — validated by
 * leave-one-topic-out cross-validation and by six topics never searched on (bench/holdout-judgments.json;
 * see docs/matching.md), and then frozen: nothing here depends on a topic or a word, and the threshold
 * does not depend on the number of papers of the day (only the semantic space's size follows it;
 * semanticDims below). Since checked on all 75 and then all 87 judged topics, the blind rounds' included
 * (`tune:match --blind`, docs/matching.md, "A third blind round" and "A fourth blind round").
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
  /** Score × (share of the topic's IDF mass the paper covers)^this: missing concepts cost more than weak matches. */
  coverageExponent: number;
  /** Share of the remaining headroom given for the topic's concepts appearing in the title (centrality). */
  titleBonus: number;
  /** Share of the headroom left after the title bonus given for the topic's concepts in the abstract's first two sentences. */
  leadBonus: number;
  /**
   * Latent dimensions of the semantic space learned from the day's papers (0 = off): semanticDims, or
   * one per semanticPapersPerDim papers for a larger day, at most semanticMaxDims; a small day gets
   * fewer, keeping at least semanticDocsPerDim papers per dimension (under 10 dimensions: no space).
   */
  semanticDims: number;
  semanticPapersPerDim: number;
  semanticMaxDims: number;
  semanticDocsPerDim: number;
  /** Dimensions of the background model built by `npm run build:semantic-model`. */
  backgroundDims: number;
  /** With a background model: also use the space learned from the day's papers (cosines averaged)? */
  useDaySpace: boolean;
  /** Final score = (1 − w) × lexical score + w × cosine(topic, paper) in that space. */
  semanticWeight: number;
  /**
   * Document-level feedback (Rocchio) in the semantic space: the topic's vector for the semantic blend
   * becomes topic + rocchioWeight × the centroid of the best rocchioDocs papers above the threshold
   * (0 = off): papers are compared with what the confident hits are about, not only with the topic's words.
   */
  rocchioWeight: number;
  rocchioDocs: number;
  /**
   * The subscriber's own feedback (MatchOptions.feedback): the topic's vector becomes
   * q + userMoreWeight × (centroid of the papers they wanted more of) − userLessWeight × (centroid of
   * those they wanted less of). 0 and 0: feedback is ignored.
   */
  userMoreWeight: number;
  userLessWeight: number;
  /**
   * And per candidate paper: + userNearMore × cos(paper, the closest wanted paper)^userNearExponent
   * − userNearLess × cos(paper, the closest unwanted paper)^userNearExponent.
   */
  userNearMore: number;
  userNearLess: number;
  userNearExponent: number;
  /** Related words from the space join each topic word as alternatives with weight (and coverage credit) this × similarity (0 = off). */
  expansionWeight: number;
  /** … only words at least this similar, at most expansionTerms of them per topic word. */
  expansionMinSim: number;
  expansionTerms: number;
  /** A paper without the head word of a short noun-phrase topic (its last word: "recognition" in facial expression recognition) keeps this share of its score (1 = off). */
  headMissingFactor: number;
  /**
   * A paper without any word of the object of a short topic's preposition ("conversations" in emotion
   * recognition in conversations, "LLM agents" in reinforcement learning for LLM agents) keeps this
   * share of its score (1 = off; see objectClauses).
   */
  objectMissingFactor: number;
  /**
   * A paper without the topic's distinctive word — a word far rarer in the day's papers than every
   * other word of a topic of three or more (its IDF at least rareWordRatio × the next highest) —
   * keeps this share of its score (1 = off).
   */
  rareMissingFactor: number;
  rareWordRatio: number;
  /**
   * A topic word written as a hyphenated word opened by function words ("in-context", "off-policy",
   * "few-shot", "out-of-distribution"): a paper that has only its last part ("context", "policy",
   * "shot", "distribution") covers this share of it; one that writes the compound covers all of it
   * (compile-topic.ts, bindOpenedCompound). 1 = the part alone is enough (before 2026-11-29).
   */
  openedCompoundCredit: number;
  /**
   * A paper that has a topic's head but none of its other words ("attacks" alone for backdoor attacks)
   * keeps this share of its score (1 = off).
   */
  headOnlyFactor: number;
  /** A paper whose title attaches the topic's modifiers to another head ("facial expression generation" for facial expression recognition; see title-subject.ts) keeps this share of its score (1 = off). */
  titleConflictFactor: number;
  /** A topic word found only as the source side of an "X-to-Y" compound (text in text-to-image) counts this much per occurrence (1 = off). */
  compoundSourceWeight: number;
  /** Absolute selection threshold on the normalised score (0..1). */
  threshold: number;
  /**
   * The selected papers are ranked (and scored) by (final + this × text score) / (1 + this): the
   * threshold selects on the final score, the order prefers papers that name the topic (0 = by the
   * final score alone).
   */
  orderLexicalWeight: number;
  /**
   * A day of fewer papers is completed to this many with the matcher's `context` papers (earlier
   * papers of the same sources), which inform the word statistics, the semantic space and feedback
   * but are never selected (0 = context unused). 240 is the day size the other parameters were
   * chosen on.
   */
  contextPapers: number;
  /** The semantic weight is scaled by (share of the facet's IDF mass the space knows)^this (0 = off). */
  spaceCoverageExponent: number;
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
  coverageExponent: 0.3,
  titleBonus: 0.3,
  leadBonus: 0.2,
  semanticDims: 40,
  semanticPapersPerDim: 6,
  semanticMaxDims: 120,
  semanticDocsPerDim: 3,
  backgroundDims: 100,
  useDaySpace: true,
  semanticWeight: 0.7,
  rocchioWeight: 2,
  rocchioDocs: 5,
  userMoreWeight: 1,
  userLessWeight: 0.5,
  userNearMore: 0,
  userNearLess: 0.2,
  userNearExponent: 2,
  expansionWeight: 0,
  expansionMinSim: 0.6,
  expansionTerms: 5,
  headMissingFactor: 0.85,
  objectMissingFactor: 0.85,
  titleConflictFactor: 0.5,
  rareMissingFactor: 0.85,
  rareWordRatio: 1.5,
  openedCompoundCredit: 0.5,
  headOnlyFactor: 0.7,
  compoundSourceWeight: 0,
  threshold: 0.5,
  orderLexicalWeight: 1,
  contextPapers: 240,
  spaceCoverageExponent: 1,
};
