/**
 * `npx tsx bench/ranking-vs-cut.ts`: where nDCG@10 is lost, in the order or in the cut. For every
 * judged topic of every set (the 240 papers' given, extra, held-out and fifth-round topics; the cs
 * and science days with their own topics and the blind rounds'; the blind cs.AI day), nDCG@10 of
 * Paperboy's selection and of its ranking without the threshold (the same scores, the first 20 papers
 * with any score), and the same two for plain BM25 (its 0.5 × best cut-off, and its first 20). Then a
 * lower bar for the first papers of a selection: a paper with a final score ≥ `low` is also selected
 * while the selection has fewer than K papers (the threshold still decides the rest), over K × low.
 * Also the best cut of each topic's ranking chosen with the judgments (the prefix with the highest F1),
 * the most any selection rule on these scores could reach. docs/matching.md, "The order or the cut".
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { prepareDay } from '../src/matching/matcher.js';
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

interface Row { set: string; id: string; topic: string; qrels: Judgments['qrels'][string]; pool: Array<{ id: string; final: number }>; bm25: string[]; bm25Top: string[] }
const rows: Row[] = [];
for (const [name, papers, j] of sets) {
  const P: RankingParams = { ...DEFAULT_PARAMS };
  const { index, space } = prepareDay(papers, P);
  const run = scorerOn({ index, space }, P);
  const cut = plainBm25(papers);
  const top = plainBm25(papers, 0, 20);
  for (const t of j.topics) {
    // The pool in the ranking's order, each paper with its final score (the threshold compares that).
    const final = new Map(run(t.topic, { orderLexicalWeight: 0 }, 1e-9).map((h) => [h.doc, h.score]));
    const pool = run(t.topic, {}, 1e-9).map((h) => ({ id: papers[h.doc].id, final: final.get(h.doc)! }));
    rows.push({ set: name, id: t.id, topic: t.topic, qrels: j.qrels[t.id], pool, bm25: cut(t.topic), bm25Top: top(t.topic) });
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
