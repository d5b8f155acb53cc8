/**
 * For parameter searches: one index and one semantic space over the papers, shared by every
 * parameter combination that does not change them (titleWeight, semanticDims), scored exactly as
 * `createMatcher(...).matchTopic(topic)` does (same threshold, same cut-off).
 */
import { buildCorpusIndex, type CorpusIndex } from '../../src/matching/corpus-index.js';
import { parseTopic } from '../../src/matching/query-parser.js';
import { compileTopic } from '../../src/matching/compile-topic.js';
import { Scorer } from '../../src/matching/scorer.js';
import { DEFAULT_PARAMS, type RankingParams } from '../../src/matching/params.js';
import { buildSemanticSpace, type SemanticSpace } from '../../src/matching/semantic-space.js';
import type { MatchPaper } from '../../src/matching/types.js';

export function sharedSelector(papers: MatchPaper[]): (params: Partial<RankingParams>) => (topic: string) => string[] {
  const indexes = new Map<number, CorpusIndex>();
  const spaces = new Map<string, SemanticSpace>();
  return (overrides) => {
    const params: RankingParams = { ...DEFAULT_PARAMS, ...overrides };
    let index = indexes.get(params.titleWeight);
    if (!index) { index = buildCorpusIndex(papers, params.titleWeight); indexes.set(params.titleWeight, index); }
    const key = `${params.titleWeight}/${params.semanticDims}`;
    let space = spaces.get(key);
    if (!space) { space = buildSemanticSpace(index, { dims: params.semanticDims, minDf: 2 }); spaces.set(key, space); }
    const ix = index;
    const scorer = new Scorer(ix, params, params.semanticWeight > 0 ? space : undefined);
    return (topic) => {
      const ct = compileTopic(parseTopic(topic), ix, params.proximityWeight, undefined, params.compoundSourceWeight);
      return scorer.score(ct, params.threshold, 100).hits.slice(0, 20).map((h) => ix.docs[h.doc].paper.id);
    };
  };
}
