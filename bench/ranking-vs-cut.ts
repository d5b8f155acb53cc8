/**
 * `npx tsx bench/ranking-vs-cut.ts`: where nDCG@10 is lost, in the order or in the cut. For every
 * judged topic of every set (the 240 papers' given, extra, held-out and fifth-round topics; the cs
 * and science days with their own topics and the blind rounds'; the blind cs.AI day), nDCG@10 of
 * Paperboy's selection and of its ranking without the threshold (the same scores, the first 20 papers
 * with any score), and the same two for plain BM25 (its 0.5 × best cut-off, and its first 20). Then a
 * lower bar for the first papers of a selection: a paper with a final score ≥ `low` is also selected
 * while the selection has fewer than K papers (the threshold still decides the rest), over K × low.
 * Also the best cut of each topic's ranking chosen with the judgments (the prefix with the highest F1),
 * the most any selection rule on these scores could reach. Then two rules that use more than the
 * paper's own score: a cut relative to the topic's best score, clamped between two absolute bars
 * (threshold = min(hi, max(lo, r × best))), over a grid and in leave-one-topic-out cross-validation;
 * and each final score smoothed with those of the paper's k nearest papers of the day in the semantic
 * space (score regularisation: (1 − α) × own + α × their cosine-weighted mean, a paper that is no
 * candidate counting 0), over k × α × threshold. docs/matching.md, "The order or the cut".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { prepareDay, type PreparedDay } from '../src/matching/matcher.js';
import type { MatchPaper } from '../src/matching/types.js';
import { scorerOn } from './lib/scoring.js';
import { plainBm25 } from './lib/plain-bm25.js';
import { BLIND5_JUDGMENTS, EXTRA_JUDGMENTS, HOLDOUT_JUDGMENTS, loadRelevance, readJudgments, scoreSelection, type Judgments, type TopicScore } from './lib/relevance.js';
import { aiDay, CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, CS_DAY_JUDGMENTS, judgedListingDay, SCIENCE_BLIND3_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS, SCIENCE_DAY_JUDGMENTS } from './lib/regimes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.resolve(root, '../shared/fixtures');
const rel = loadRelevance(path.resolve(root, '../shared/relevance'));
const listing = (file: string, name: string): [string, MatchPaper[], Judgments] => { const d = judgedListingDay(fixtures, file); return [name, d.papers, d.judgments]; };
const sets: Array<[string, MatchPaper[], Judgments]> = [
  ['given 8', rel.papers, rel.judgments],
  ['extra 15', rel.papers, readJudgments(EXTRA_JUDGMENTS)],
  ['held out 6', rel.papers, readJudgments(HOLDOUT_JUDGMENTS)],
  ['fifth round 8', rel.papers, readJudgments(BLIND5_JUDGMENTS)],
  listing(CS_DAY_JUDGMENTS, 'cs day 10'),
  listing(SCIENCE_DAY_JUDGMENTS, 'science day 10'),
  listing(CS_BLIND_JUDGMENTS, 'second round 10'),
  listing(CS_BLIND3_JUDGMENTS, 'third, cs 6'),
  listing(SCIENCE_BLIND3_JUDGMENTS, 'third, science 6'),
  listing(CS_BLIND4_JUDGMENTS, 'fourth, cs 6'),
  listing(SCIENCE_BLIND4_JUDGMENTS, 'fourth, science 6'),
  (() => { const d = aiDay(fixtures); return ['cs.AI day 10', d.papers, d.judgments] as [string, MatchPaper[], Judgments]; })(),
];

interface Row {
  set: string; id: string; topic: string; qrels: Judgments['qrels'][string];
  /** In the ranking's order: each paper's final score (the threshold compares it) and ranking score. */
  pool: Array<{ id: string; doc: number; final: number; order: number }>;
  bm25: string[]; bm25Top: string[];
  /** Per paper of the day, its 10 nearest papers in the day's space (paper, cosine), nearest first. */
  knn: Array<Array<[number, number]>>;
}
const rows: Row[] = [];

/** Each paper's 10 nearest papers of the day by the cosine of their vectors in the day's space. */
function nearest(space: PreparedDay['space'], n: number): Array<Array<[number, number]>> {
  const vecs = Array.from({ length: n }, (_, d) => space?.docsVector([{ doc: d, weight: 1 }]) ?? null);
  return vecs.map((v, d) => {
    if (!v) return [];
    const all: Array<[number, number]> = [];
    for (let e = 0; e < n; e++) if (e !== d) all.push([e, space!.docCosine(v, e)]);
    return all.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
  });
}
for (const [name, papers, j] of sets) {
  const P: RankingParams = { ...DEFAULT_PARAMS };
  const { index, space } = prepareDay(papers, P);
  const run = scorerOn({ index, space }, P);
  const cut = plainBm25(papers);
  const top = plainBm25(papers, 0, 20);
  const knn = nearest(space, papers.length);
  for (const t of j.topics) {
    // The pool in the ranking's order, each paper with its final score (the threshold compares that).
    const final = new Map(run(t.topic, { orderLexicalWeight: 0 }, 1e-9).map((h) => [h.doc, h.score]));
    const pool = run(t.topic, {}, 1e-9).map((h) => ({ id: index.docs[h.doc].paper.id, doc: h.doc, final: final.get(h.doc)!, order: h.score }));
    rows.push({ set: name, id: t.id, topic: t.topic, qrels: j.qrels[t.id], pool, bm25: cut(t.topic), bm25Top: top(t.topic), knn });
  }
}

function select(pool: Row['pool'], threshold: number, k = 0, low = threshold): string[] {
  const out: string[] = [];
  for (const h of pool) {
    if (out.length >= 20) break;
    if (h.final >= threshold || (out.length < k && h.final >= low)) out.push(h.id);
  }
  return out;
}

const f = (x: number) => x.toFixed(3);
const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const score = (r: Row, ids: string[]) => scoreSelection(r.id, r.topic, ids, r.qrels);
const groups = [...new Set(rows.map((r) => r.set))];
const T = DEFAULT_PARAMS.threshold;

console.log(`${'set'.padEnd(20)} Paperboy: selection F1 / nDCG@10, ranking nDCG@10 | plain BM25: selection F1 / nDCG@10, ranking nDCG@10`);
const line = (name: string, rs: Row[]) => {
  const s = rs.map((r) => score(r, select(r.pool, T)));
  const w = rs.map((r) => score(r, r.pool.slice(0, 20).map((h) => h.id)));
  const b = rs.map((r) => score(r, r.bm25));
  const bw = rs.map((r) => score(r, r.bm25Top));
  const m = (x: TopicScore[], k: 'f1' | 'ndcg10') => f(mean(x.map((y) => y[k])));
  console.log(`${name.padEnd(20)} ${m(s, 'f1')} / ${m(s, 'ndcg10')}, ${m(w, 'ndcg10')}   | ${m(b, 'f1')} / ${m(b, 'ndcg10')}, ${m(bw, 'ndcg10')}`);
};
for (const g of groups) line(g, rows.filter((r) => r.set === g));
line(`all ${rows.length}`, rows);

// The best any cut of this ranking could do: per topic, the prefix (of the first 20) with the highest F1.
const oracle = (r: Row, ranking: string[]) => {
  let best = score(r, []);
  for (let n = 1; n <= ranking.length; n++) { const s = score(r, ranking.slice(0, n)); if (s.f1 > best.f1) best = s; }
  return best;
};
console.log('\nThe best cut of each topic\'s ranking (first 20), chosen knowing the judgments: an upper bound for any selection rule on these scores. F1 / nDCG@10, Paperboy | plain BM25');
for (const g of [...groups, 'all']) {
  const rs = rows.filter((r) => g === 'all' || r.set === g);
  const s = rs.map((r) => oracle(r, r.pool.slice(0, 20).map((h) => h.id)));
  const b = rs.map((r) => oracle(r, r.bm25Top));
  console.log(`  ${g.padEnd(20)} ${f(mean(s.map((x) => x.f1)))} / ${f(mean(s.map((x) => x.ndcg10)))} | ${f(mean(b.map((x) => x.f1)))} / ${f(mean(b.map((x) => x.ndcg10)))}`);
}

console.log(`\nA lower bar for the first K papers (threshold ${T} for the rest): F1 / nDCG@10 / F1 + ½ nDCG@10 over all ${rows.length} topics`);
for (const k of [0, 2, 3, 5, 10]) {
  for (const low of k === 0 ? [T] : [0.3, 0.35, 0.4, 0.45]) {
    const s = rows.map((r) => score(r, select(r.pool, T, k, low)));
    const F = mean(s.map((x) => x.f1));
    const N = mean(s.map((x) => x.ndcg10));
    console.log(`  K ${String(k).padStart(2)}, low ${low.toFixed(2)}: ${f(F)} / ${f(N)} / ${f(F + 0.5 * N)}`);
  }
}

// A cut relative to the topic's best final score, clamped: select what scores ≥ min(hi, max(lo, r × best)).
const objective = (rs: Row[], pick: (r: Row) => string[]) => {
  const s = rs.map((r) => score(r, pick(r)));
  const F = mean(s.map((x) => x.f1));
  const N = mean(s.map((x) => x.ndcg10));
  return { F, N, o: F + 0.5 * N };
};
const clamped = (r: Row, c: { r: number; lo: number; hi: number }) => {
  const best = Math.max(0, ...r.pool.map((h) => h.final));
  return select(r.pool, Math.min(c.hi, Math.max(c.lo, c.r * best)));
};
const cuts: Array<{ r: number; lo: number; hi: number }> = [{ r: 0, lo: T, hi: T }];
for (const r of [0.5, 0.6, 0.7, 0.8]) for (const lo of [0.3, 0.4, 0.45, 0.5]) for (const hi of [0.5, 0.55, 0.6, 1]) if (lo <= hi) cuts.push({ r, lo, hi });
const given = rows.filter((r) => r.set === 'given 8');
const ranked = cuts.map((c) => ({ c, all: objective(rows, (r) => clamped(r, c)), given: objective(given, (r) => clamped(r, c)) })).sort((a, b) => b.all.o - a.all.o);
console.log(`\nA cut relative to the best, clamped: min(hi, max(lo, r × best)), ${cuts.length} settings; the best five and the threshold alone. F1 / nDCG@10 / objective over all ${rows.length} | given 8`);
const cutLine = (x: typeof ranked[number]) => `  r ${x.c.r.toFixed(1)}, lo ${x.c.lo.toFixed(2)}, hi ${x.c.hi.toFixed(2)}: ${f(x.all.F)} / ${f(x.all.N)} / ${f(x.all.o)} | ${f(x.given.F)} / ${f(x.given.N)}`;
for (const x of ranked.slice(0, 5)) console.log(cutLine(x));
console.log(`${cutLine(ranked.find((x) => x.c.r === 0)!)}   (the threshold alone)`);
// Leave one topic out: the setting chosen on the other topics, scored on the one left out.
const held = rows.map((r, i) => {
  const others = rows.filter((_, k) => k !== i);
  let best = cuts[0]; let bo = -Infinity;
  for (const c of cuts) { const o = objective(others, (x) => clamped(x, c)).o; if (o > bo) { bo = o; best = c; } }
  return score(r, clamped(r, best));
});
console.log(`  leave one topic out: ${f(mean(held.map((x) => x.f1)))} / ${f(mean(held.map((x) => x.ndcg10)))} (the threshold alone, nothing chosen: ${f(ranked.find((x) => x.c.r === 0)!.all.F)} / ${f(ranked.find((x) => x.c.r === 0)!.all.N)})`);

// Score regularisation: each final score moves towards the cosine-weighted mean of its k nearest papers'.
const smoothed = (r: Row, k: number, alpha: number, threshold: number) => {
  const final = new Map(r.pool.map((h) => [h.doc, h.final]));
  const out: Array<{ id: string; s: number }> = [];
  for (const h of r.pool) {
    let num = 0; let den = 0;
    for (const [e, c] of r.knn[h.doc].slice(0, k)) { const w = Math.max(0, c); num += w * (final.get(e) ?? 0); den += w; }
    const s = (1 - alpha) * h.final + alpha * (den > 0 ? num / den : 0);
    // Ranked as the selection is: the smoothed final score's mean with the text score.
    if (s >= threshold) out.push({ id: h.id, s: (s + (2 * h.order - h.final)) / 2 });
  }
  return out.sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1)).slice(0, 20).map((x) => x.id);
};
const smooth: Array<{ k: number; alpha: number; t: number; all: ReturnType<typeof objective>; given: ReturnType<typeof objective> }> = [];
for (const k of [3, 5, 10]) for (const alpha of [0, 0.1, 0.2, 0.3, 0.5]) for (const t of [0.35, 0.4, 0.45, 0.5]) {
  if (alpha === 0 && (k !== 3 || t !== T)) continue;
  smooth.push({ k, alpha, t, all: objective(rows, (r) => smoothed(r, k, alpha, t)), given: objective(given, (r) => smoothed(r, k, alpha, t)) });
}
smooth.sort((a, b) => b.all.o - a.all.o);
console.log(`\nScores smoothed over the k nearest papers of the day, k × α × threshold (${smooth.length} settings); the best five and α 0. F1 / nDCG@10 / objective over all ${rows.length} | given 8`);
const smoothLine = (x: typeof smooth[number]) => `  k ${String(x.k).padStart(2)}, α ${x.alpha.toFixed(1)}, threshold ${x.t.toFixed(2)}: ${f(x.all.F)} / ${f(x.all.N)} / ${f(x.all.o)} | ${f(x.given.F)} / ${f(x.given.N)}`;
for (const x of smooth.slice(0, 5)) console.log(smoothLine(x));
console.log(`${smoothLine(smooth.find((x) => x.alpha === 0)!)}   (no smoothing)`);
