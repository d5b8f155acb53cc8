/**
 * `npm run tune:match`: grid search of the ranking parameters on the relevance judgments with
 * leave-one-topic-out cross-validation: for each topic, the parameters are chosen on the other
 * topics and then scored on the held-out one. The cross-validated macro scores estimate how the
 * frozen parameters do on unseen topics; the parameters chosen on all topics are printed last.
 * `--extra` adds the fifteen topics of bench/extra-judgments.json, `--cs-day` the ten of the other
 * day (bench/cs-day-judgments.json), `--science-day` the ten of the third (bench/science-day-judgments.json),
 * `--blind` the 52 of the five blind rounds (bench/ai-day-judgments.json, cs-blind-judgments.json,
 * cs-blind3-judgments.json, science-blind3-judgments.json, cs-blind4-judgments.json,
 * science-blind4-judgments.json, relevance-blind5-judgments.json), `--grid '{…}'` replaces or adds axes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher, prepareDay } from '../src/matching/matcher.js';
import type { RankingParams } from '../src/matching/params.js';
import { BLIND5_JUDGMENTS, evaluate, loadRelevance, macro, readJudgments, withExtraTopics, type TopicScore } from './lib/relevance.js';
import { aiDay, CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, SCIENCE_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS, SCIENCE_DAY_JUDGMENTS, judgedListingDay } from './lib/regimes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const given = loadRelevance(path.resolve(root, '../shared/relevance'));
const { papers } = given;
// `-- --extra`: tune on the given topics and the fifteen of bench/extra-judgments.json together.
const tuned = process.argv.includes('--extra') ? withExtraTopics(given.judgments) : given.judgments;
// `-- --blind` also adds the fifth blind round's eight topics over the same papers (bench/relevance-blind5-judgments.json).
const judgments = process.argv.includes('--blind') ? withExtraTopics(tuned, readJudgments(BLIND5_JUDGMENTS)) : tuned;
// `-- --cs-day`: also on the other day's ten topics (bench/cs-day-judgments.json, 722 cs papers), each
// topic counting as much as one of the 240-paper day's (so leave-one-topic-out folds span both days).
// `-- --science-day` likewise adds the third day's ten (bench/science-day-judgments.json, 782 papers outside cs).
const fixtures = path.resolve(root, '../shared/fixtures');
const otherDays = [
  ...(process.argv.includes('--cs-day') ? [judgedListingDay(fixtures)] : []),
  ...(process.argv.includes('--science-day') ? [judgedListingDay(fixtures, SCIENCE_DAY_JUDGMENTS)] : []),
  // `-- --blind`: also the blind rounds' 44 topics (the cs.AI day alone, the second, third and fourth
  // round), which stop being blind once tuned on.
  ...(process.argv.includes('--blind') ? [aiDay(fixtures), ...[CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, SCIENCE_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS].map((f) => judgedListingDay(fixtures, f))] : []),
];

const grid: Record<string, number[]> = {
  titleBonus: [0, 0.3, 0.5],
  headMissingFactor: [1, 0.7, 0.5, 0.3],
  semanticWeight: [0.25, 0.5, 0.6, 0.7],
  rocchioWeight: [0, 1, 2],
  rocchioDocs: [3, 5],
  compoundSourceWeight: [1, 0.25, 0],
  leadBonus: [0, 0.2, 0.4, 0.5],
  feedbackWeight: [0.4, 0.7],
  titleConflictFactor: [1, 0.7, 0.5, 0.3],
  threshold: [0.4, 0.45, 0.5, 0.55, 0.6],
};
// `-- --grid '{"headMissingFactor":[1,0.5]}'` replaces / adds grid axes for a quick exploration.
const gridArg = process.argv.indexOf('--grid');
if (gridArg >= 0) Object.assign(grid, JSON.parse(process.argv[gridArg + 1]) as Record<string, number[]>);
let combos: Array<Partial<RankingParams>> = [{}];
for (const [k, values] of Object.entries(grid)) {
  const next: Array<Partial<RankingParams>> = [];
  for (const c of combos) for (const v of values) next.push({ ...c, [k]: v });
  combos = next;
}
// The index and the semantic space do not depend on the searched parameters: built once.
const prepared = prepareDay(papers);
const preparedOther = otherDays.map((d) => prepareDay(d.papers));
const results: Array<{ params: Partial<RankingParams>; scores: TopicScore[] }> = [];
for (const params of combos) {
  const m = createMatcher(papers, { params, prepared });
  const scores = evaluate(judgments, (t) => m.matchTopic(t).map((h) => h.paperId));
  otherDays.forEach((d, i) => {
    const mo = createMatcher(d.papers, { params, prepared: preparedOther[i] });
    scores.push(...evaluate(d.judgments, (t) => mo.matchTopic(t).map((h) => h.paperId)));
  });
  results.push({ params, scores });
}
const objective = (s: TopicScore[]) => { const m = macro(s); return m.f1 + 0.5 * m.ndcg10; };
const ids = [...judgments.topics, ...otherDays.flatMap((d) => d.judgments.topics)].map((t) => t.id);

// Robustness: a setting whose neighbours (one grid step up or down on any one axis) score nearly as
// well is preferred to a sharp peak. Among the best 300 settings by the objective, the one with the
// best mean objective over itself and its neighbours is chosen — in every cross-validation fold
// (on its seven topics) and for the defaults (on all eight).
const keyOf = (p: Partial<RankingParams>) => Object.keys(grid).map((k) => (p as Record<string, number>)[k]).join('/');
const byKey = new Map(results.map((r) => [keyOf(r.params), r]));
type Result = (typeof results)[number];
function choose(on: (r: Result) => number): { r: Result; mean: number; worst: number }[] {
  const top = [...results].sort((a, b) => on(b) - on(a)).slice(0, 300);
  return top.map((r) => {
    const values: number[] = [on(r)];
    for (const [k, axis] of Object.entries(grid)) {
      const i = axis.indexOf((r.params as Record<string, number>)[k]);
      for (const j of [i - 1, i + 1]) {
        if (j < 0 || j >= axis.length) continue;
        const n = byKey.get(keyOf({ ...r.params, [k]: axis[j] }));
        if (n) values.push(on(n));
      }
    }
    return { r, mean: values.reduce((x, y) => x + y, 0) / values.length, worst: Math.min(...values) };
  }).sort((a, b) => b.mean - a.mean || on(b.r) - on(a.r));
}

const cvPeak: TopicScore[] = [];
const cvPlateau: TopicScore[] = [];
for (const held of ids) {
  const on = (r: Result) => objective(r.scores.filter((s) => s.id !== held));
  let peak = results[0];
  for (const r of results) if (on(r) > on(peak) + 1e-12) peak = r;
  const plateau = choose(on)[0].r;
  const sp = peak.scores.find((x) => x.id === held)!;
  const sl = plateau.scores.find((x) => x.id === held)!;
  cvPeak.push(sp);
  cvPlateau.push(sl);
  console.log(`held out ${held.padEnd(12)} peak F1 ${sp.f1.toFixed(3)} nDCG ${sp.ndcg10.toFixed(3)}; plateau F1 ${sl.f1.toFixed(3)} nDCG ${sl.ndcg10.toFixed(3)} with ${JSON.stringify(plateau.params)}`);
}
for (const [name, cv] of [['peak', cvPeak], ['plateau', cvPlateau]] as const) {
  const m = macro(cv);
  console.log(`LOO-CV macro (${name} choice): P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} nDCG@10 ${m.ndcg10.toFixed(3)}`);
}
const all = [...results].sort((a, b) => objective(b.scores) - objective(a.scores));
for (const r of all.slice(0, 5)) {
  const mm = macro(r.scores);
  console.log(`all topics, peak: F1 ${mm.f1.toFixed(3)} nDCG ${mm.ndcg10.toFixed(3)} ${JSON.stringify(r.params)}`);
}
for (const p of choose((r) => objective(r.scores)).slice(0, 5)) {
  const mm = macro(p.r.scores);
  console.log(`all topics, plateau: mean objective ${p.mean.toFixed(3)} (worst neighbour ${p.worst.toFixed(3)}); F1 ${mm.f1.toFixed(3)} nDCG ${mm.ndcg10.toFixed(3)} ${JSON.stringify(p.r.params)}`);
}
