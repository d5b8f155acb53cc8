/**
 * `npx tsx bench/learn-match.ts [--features 0,1,6,8,9,10]`: could a combination of the scorer's own
 * signals learned from the judgments select better than the hand-set rule (final score ≥ threshold)?
 * Per judged topic of every set (the 240 papers with the given, extra, held-out and fifth round's topics; the
 * cs.AI day; the cs and science days with their own topics and the blind rounds'), each candidate
 * paper (the 40 best by final score, plus every relevant paper with a score) gets features — the
 * final score, the ranking score, the score without feedback, without the semantic blend, without the
 * concept rules, the bare lexical score, the final score ÷ the topic's best, plain BM25 ÷ the topic's
 * best, log rank, the topic's best score, log topic length — and a logistic regression (topics
 * weighted equally, L2) is trained leave-one-set-out: on the other sets, its probability threshold
 * chosen there (maximising F1 + 0.5 × nDCG@10), then scored on the held-out set (select probability ≥
 * threshold, at most 20, by probability) next to the defaults' own selection. docs/matching.md, "A
 * fourth blind round".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { prepareDay } from '../src/matching/matcher.js';
import { scorerOn } from './lib/scoring.js';
import { tokenize } from '../src/matching/tokenize.js';
import type { MatchPaper } from '../src/matching/types.js';
import { BLIND5_JUDGMENTS, EXTRA_JUDGMENTS, HOLDOUT_JUDGMENTS, loadRelevance, macro, readJudgments, scoreSelection, withExtraTopics, type Judgments, type TopicScore } from './lib/relevance.js';
import { aiDay, CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, CS_DAY_JUDGMENTS, judgedListingDay, SCIENCE_BLIND3_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS, SCIENCE_DAY_JUDGMENTS } from './lib/regimes.js';
import { plainBm25Scores } from './lib/plain-bm25.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.resolve(root, '../shared/fixtures');
const args = process.argv.slice(2);
const featArg = args.indexOf('--features');
const use = featArg >= 0 ? args[featArg + 1].split(',').map(Number) : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const rel = loadRelevance(path.resolve(root, '../shared/relevance'));
const listing = (f: string) => { const d = judgedListingDay(fixtures, f); return { papers: d.papers, j: d.judgments }; };
const sets: Array<{ name: string; papers: MatchPaper[]; j: Judgments }> = [
  { name: 'given + extra', papers: rel.papers, j: withExtraTopics(rel.judgments, EXTRA_JUDGMENTS) },
  { name: 'held out', papers: rel.papers, j: readJudgments(HOLDOUT_JUDGMENTS) },
  { name: 'fifth, 240', papers: rel.papers, j: readJudgments(BLIND5_JUDGMENTS) },
  { name: 'cs.AI day', ...(() => { const d = aiDay(fixtures); return { papers: d.papers, j: d.judgments }; })() },
  { name: 'cs day', ...listing(CS_DAY_JUDGMENTS) },
  { name: 'science day', ...listing(SCIENCE_DAY_JUDGMENTS) },
  { name: 'second blind', ...listing(CS_BLIND_JUDGMENTS) },
  { name: 'third, cs', ...listing(CS_BLIND3_JUDGMENTS) },
  { name: 'third, sci', ...listing(SCIENCE_BLIND3_JUDGMENTS) },
  { name: 'fourth, cs', ...listing(CS_BLIND4_JUDGMENTS) },
  { name: 'fourth, sci', ...listing(SCIENCE_BLIND4_JUDGMENTS) },
];

interface Cand { id: string; label: number; x: number[] }
interface TopicRows { set: string; id: string; topic: string; qrels: Judgments['qrels'][string]; defaults: string[]; cands: Cand[] }
const topics: TopicRows[] = [];
for (const given of sets) {
  const P: RankingParams = { ...DEFAULT_PARAMS };
  const { index, space } = prepareDay(given.papers, P);
  // The index holds the papers in id order: read them back in its order (doc d = s.papers[d]).
  const s = { ...given, papers: index.docs.slice(0, given.papers.length).map((d) => d.paper) };
  const bm25 = plainBm25Scores(s.papers);
  const run = scorerOn({ index, space }, P);
  const final = (topic: string, p: Partial<RankingParams>) => new Map(run(topic, { ...p, orderLexicalWeight: 0 }, 1e-9).map((h) => [h.doc, h.score]));
  const noFb = { feedbackDocs: 0, rocchioWeight: 0 };
  const noRules = { ...noFb, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1, objectMissingFactor: 1, rareMissingFactor: 1 };
  for (const t of s.j.topics) {
    const q = s.j.qrels[t.id];
    const variants = [final(t.topic, {}), new Map(run(t.topic, {}, 1e-9).map((h) => [h.doc, h.score])), final(t.topic, noFb),
      final(t.topic, { ...noFb, semanticWeight: 0 }), final(t.topic, noRules), final(t.topic, { ...noRules, titleBonus: 0, leadBonus: 0 })];
    const defaults = run(t.topic, {}, P.threshold, 20).map((h) => s.papers[h.doc].id);
    const b = bm25(t.topic);
    const bMax = Math.max(1e-9, ...b);
    const ranked = [...variants[0]].filter(([d]) => d < s.papers.length).sort((x, y) => y[1] - x[1]);
    const best = ranked[0]?.[1] ?? 0;
    const rank = new Map(ranked.map(([d], i) => [d, i]));
    const picked = new Set(ranked.slice(0, 40).map(([d]) => d));
    for (const [d] of ranked) if (q.relevant[s.papers[d].id]) picked.add(d);
    const cands = [...picked].filter((d) => !q.disputed.includes(s.papers[d].id)).map((d) => ({
      id: s.papers[d].id,
      label: (q.relevant[s.papers[d].id] ?? 0) >= 1 ? 1 : 0,
      x: [...variants.map((v) => v.get(d) ?? 0), (variants[0].get(d) ?? 0) / best, b[d] / bMax, Math.log(1 + rank.get(d)!), best, Math.log(tokenize(t.topic).length)].filter((_, k) => use.includes(k)),
    }));
    topics.push({ set: s.name, id: t.id, topic: t.topic, qrels: q, defaults, cands });
  }
}

/** Logistic regression by gradient descent on standardised features, each topic weighing the same. */
function train(rows: TopicRows[], l2 = 0.01, iters = 3000, rate = 0.5) {
  const X = rows.flatMap((t) => t.cands.map((c) => c.x));
  const y = rows.flatMap((t) => t.cands.map((c) => c.label));
  const wt = rows.flatMap((t) => t.cands.map(() => 1 / t.cands.length));
  const meanWt = wt.reduce((a, b) => a + b, 0) / wt.length;
  const k = X[0].length;
  const mu = Array.from({ length: k }, (_, j) => X.reduce((s, x) => s + x[j], 0) / X.length);
  const sd = Array.from({ length: k }, (_, j) => Math.sqrt(X.reduce((s, x) => s + (x[j] - mu[j]) ** 2, 0) / X.length) + 1e-9);
  const Z = X.map((x) => [...x.map((v, j) => (v - mu[j]) / sd[j]), 1]);
  const w = new Array(k + 1).fill(0);
  for (let it = 0; it < iters; it++) {
    const g = new Array(k + 1).fill(0);
    for (let i = 0; i < Z.length; i++) {
      const p = 1 / (1 + Math.exp(-Z[i].reduce((s, v, j) => s + v * w[j], 0)));
      const e = ((p - y[i]) * wt[i]) / meanWt / Z.length;
      for (let j = 0; j <= k; j++) g[j] += e * Z[i][j];
    }
    for (let j = 0; j <= k; j++) w[j] -= rate * (g[j] + (j < k ? l2 * w[j] : 0));
  }
  return (x: number[]) => 1 / (1 + Math.exp(-(x.reduce((s, v, j) => s + ((v - mu[j]) / sd[j]) * w[j], 0) + w[k])));
}
const select = (t: TopicRows, prob: (x: number[]) => number, tau: number) =>
  t.cands.map((c) => ({ id: c.id, p: prob(c.x) })).filter((c) => c.p >= tau).sort((a, b) => b.p - a.p).slice(0, 20).map((c) => c.id);
const objective = (s: TopicScore[]) => { const m = macro(s); return m.f1 + 0.5 * m.ndcg10; };
const fmt = (s: TopicScore[]) => { const m = macro(s); return `${m.f1.toFixed(3)} / ${m.ndcg10.toFixed(3)}`; };

const learned: TopicScore[] = [];
const shipped: TopicScore[] = [];
console.log(`features ${use.join(',')}; leave one set out (F1 / nDCG@10)`);
for (const s of sets) {
  const train_ = topics.filter((t) => t.set !== s.name);
  const test = topics.filter((t) => t.set === s.name);
  const prob = train(train_);
  const tau = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    .map((v) => ({ v, o: objective(train_.map((t) => scoreSelection(t.id, t.topic, select(t, prob, v), t.qrels))) }))
    .sort((a, b) => b.o - a.o)[0].v;
  const l = test.map((t) => scoreSelection(t.id, t.topic, select(t, prob, tau), t.qrels));
  const d = test.map((t) => scoreSelection(t.id, t.topic, t.defaults, t.qrels));
  learned.push(...l);
  shipped.push(...d);
  console.log(`  ${s.name.padEnd(14)} ${String(test.length).padStart(3)} topics  learned (threshold ${tau.toFixed(2)}) ${fmt(l)}   defaults ${fmt(d)}`);
}
console.log(`  all ${learned.length} topics        learned ${fmt(learned)}   defaults ${fmt(shipped)}`);
