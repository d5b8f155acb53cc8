/**
 * The scorer on a prepared day with some parameters changed: for the bench scripts that take a
 * topic's score apart (diagnose-match.ts, learn-match.ts). Compiles the topic as the matcher does.
 */
import { parseTopic } from '../../src/matching/query-parser.js';
import { compileTopic } from '../../src/matching/compile-topic.js';
import { Scorer, type ScoredDoc } from '../../src/matching/scorer.js';
import type { RankingParams } from '../../src/matching/params.js';
import type { PreparedDay } from '../../src/matching/matcher.js';

/** `run(topic, changes, minScore, limit)`: the hits of `topic` under `base` with `changes`. */
export function scorerOn(day: Pick<PreparedDay, 'index' | 'space'>, base: RankingParams) {
  return (topic: string, changes: Partial<RankingParams>, minScore: number, limit?: number): ScoredDoc[] => {
    const params = { ...base, ...changes };
    const scorer = new Scorer(day.index, params, params.semanticWeight > 0 ? day.space : undefined);
    const ct = compileTopic(parseTopic(topic), day.index, params.proximityWeight, undefined, params.compoundSourceWeight, params.rareWordRatio, params.openedCompoundCredit);
    return scorer.score(ct, minScore, limit).hits;
  };
}
