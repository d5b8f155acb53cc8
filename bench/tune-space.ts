/**
 * `npm run tune:space [-- --grid '{"threshold":[0.4,0.45]}']`: chooses how the day's semantic space
 * scales with the day (semanticMaxDims: how far it grows on a larger day; semanticDocsPerDim: how
 * many papers per dimension a small day keeps), together with the blend weight and the threshold —
 * the parameters whose best values depend on the day's size. Each setting is scored on four days
 * (bench/lib/regimes.ts): the relevance set as given, half and 30 % of its papers (four seeded subsets
 * each) and a larger day of 962 papers (bench/large-day-judgments.json), all on the 23 judged topics;
 * objective = mean over the four days of macro F1 + ½ nDCG@10. Prints every setting, then the best
 * and the plateau choice (best mean objective over itself and its one-step neighbours on every axis).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher, prepareDay, spaceKey, type PreparedDay } from '../src/matching/matcher.js';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { evaluate, loadRelevance, macro, withExtraTopics } from './lib/relevance.js';
import { dayRegimes } from './lib/regimes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const given = loadRelevance(path.resolve(root, '../shared/relevance'));
const regimes = dayRegimes(given.papers, withExtraTopics(given.judgments), path.resolve(root, '../shared/fixtures'));
const groups = [...new Set(regimes.map((r) => r.group))];

const grid: Record<string, number[]> = {
  semanticMaxDims: [40, 80, 120, 150],
  semanticDocsPerDim: [2, 3, 5],
  semanticWeight: [0.5, 0.6, 0.7],
  threshold: [0.4, 0.45, 0.5],
};
const gridArg = process.argv.indexOf('--grid');
if (gridArg >= 0) Object.assign(grid, JSON.parse(process.argv[gridArg + 1]) as Record<string, number[]>);
let combos: Array<Partial<RankingParams>> = [{}];
for (const [k, values] of Object.entries(grid)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [k]: v })));

// A day's index and space depend only on the space's parameters (spaceKey): built once per day and key.
const prepared = new Map<string, PreparedDay>();
interface Row { params: Partial<RankingParams>; perGroup: Array<{ f1: number; ndcg: number }>; objective: number }
const rows: Row[] = combos.map((params) => {
  const perGroup = groups.map(() => ({ f1: 0, ndcg: 0 }));
  regimes.forEach((r, i) => {
    const key = `${i}/${spaceKey({ ...DEFAULT_PARAMS, ...params })}`;
    let pre = prepared.get(key);
    if (!pre) prepared.set(key, pre = prepareDay(r.papers, params));
    const m = createMatcher(r.papers, { params, prepared: pre });
    const s = macro(evaluate(r.judgments, (t) => m.matchTopic(t).map((h) => h.paperId)));
    const g = perGroup[groups.indexOf(r.group)];
    g.f1 += r.weight * s.f1; g.ndcg += r.weight * s.ndcg10;
  });
  const objective = perGroup.reduce((s, g) => s + g.f1 + g.ndcg / 2, 0) / groups.length;
  const row = { params, perGroup, objective };
  console.log(show(row));
  return row;
});

function show(r: Row): string {
  return `${r.objective.toFixed(3)}  ${r.perGroup.map((g, i) => `${groups[i]}: ${g.f1.toFixed(3)}/${g.ndcg.toFixed(3)}`).join('  ')}  ${JSON.stringify(r.params)}`;
}
const keyOf = (p: Partial<RankingParams>) => Object.keys(grid).map((k) => p[k as keyof RankingParams]).join('/');
const byKey = new Map(rows.map((r) => [keyOf(r.params), r]));
function plateau(r: Row): number {
  const scores = [r.objective];
  for (const [k, values] of Object.entries(grid)) {
    const i = values.indexOf(r.params[k as keyof RankingParams] as number);
    for (const j of [i - 1, i + 1]) {
      const n = j >= 0 && j < values.length ? byKey.get(keyOf({ ...r.params, [k]: values[j] })) : undefined;
      if (n) scores.push(n.objective);
    }
  }
  return scores.reduce((s, x) => s + x, 0) / scores.length;
}
const best = [...rows].sort((a, b) => b.objective - a.objective)[0];
const flat = [...rows].sort((a, b) => plateau(b) - plateau(a))[0];
console.log(`\nbest:    ${show(best)}\nplateau: ${show(flat)} (mean over its neighbourhood ${plateau(flat).toFixed(3)})`);
