/**
 * `npm run tune:match`: grid search of the ranking parameters on the relevance judgments with
 * leave-one-topic-out cross-validation: for each topic, the parameters are chosen on the other
 * topics and then scored on the held-out one. The cross-validated macro scores estimate how the
 * frozen parameters do on unseen topics; the parameters chosen on all topics are printed last.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher } from '../src/matching/matcher.js';
import { sharedSelector } from './lib/fast-matcher.js';
import type { RankingParams } from '../src/matching/params.js';
import { evaluate, loadRelevance, macro, type TopicScore } from './lib/relevance.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { papers, judgments } = loadRelevance(path.resolve(root, '../shared/relevance'));

const grid: Record<string, number[]> = {
  titleBonus: [0, 0.3, 0.5],
  headMissingFactor: [1, 0.7, 0.5, 0.3],
  semanticWeight: [0, 0.25, 0.5, 0.6],
  compoundSourceWeight: [1, 0.25, 0],
  leadBonus: [0, 0.2, 0.4, 0.5],
  feedbackWeight: [0.4, 0.7],
  titleConflictFactor: [1, 0.7, 0.5, 0.3],
  threshold: [0.4, 0.45, 0.5, 0.55, 0.6],
};
// `-- --grid '{"headMissingFactor":[1,0.5]}'` replaces / adds grid axes for a quick exploration.
const gridArg = process.argv.indexOf('--grid');
if (gridArg >= 0) Object.assign(grid, JSON.parse(process.argv[gridArg + 1]) as Record<string, number[]>);
const combos: Array<Partial<RankingParams>> = [{}];
for (const [k, values] of Object.entries(grid)) {
  const next: Array<Partial<RankingParams>> = [];
  for (const c of combos) for (const v of values) next.push({ ...c, [k]: v });
  combos.splice(0, combos.length, ...next);
}
// Threshold is applied after ranking, so score every combo without it once.
const results: Array<{ params: Partial<RankingParams>; scores: TopicScore[] }> = [];
// One index and semantic space for all combos (none of the searched parameters changes them);
// checked once against the real matcher.
const select = sharedSelector(papers);
for (const params of combos) results.push({ params, scores: evaluate(judgments, select(params)) });
{
  const real = createMatcher(papers, { params: combos[0] });
  const a = JSON.stringify(evaluate(judgments, (t) => real.matchTopic(t).map((h) => h.paperId)));
  if (a !== JSON.stringify(results[0].scores)) throw new Error('shared-index scoring differs from createMatcher');
}
const objective = (s: TopicScore[]) => { const m = macro(s); return m.f1 + 0.5 * m.ndcg10; };
const ids = judgments.topics.map((t) => t.id);
const cv: TopicScore[] = [];
for (const held of ids) {
  let best = results[0];
  let bestV = -1;
  for (const r of results) {
    const v = objective(r.scores.filter((s) => s.id !== held));
    if (v > bestV + 1e-12) { bestV = v; best = r; }
  }
  const s = best.scores.find((x) => x.id === held)!;
  cv.push(s);
  console.log(`held out ${held.padEnd(12)} F1 ${s.f1.toFixed(3)} nDCG ${s.ndcg10.toFixed(3)} with ${JSON.stringify(best.params)}`);
}
const m = macro(cv);
console.log(`LOO-CV macro: P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} nDCG@10 ${m.ndcg10.toFixed(3)}`);
const all = [...results].sort((a, b) => objective(b.scores) - objective(a.scores));
for (const r of all.slice(0, 8)) {
  const mm = macro(r.scores);
  console.log(`all topics: F1 ${mm.f1.toFixed(3)} nDCG ${mm.ndcg10.toFixed(3)} ${JSON.stringify(r.params)}`);
}
