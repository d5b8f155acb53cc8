/**
 * `npm run diagnose:match [-- --topic <id>] [--top 15]`: per dev topic, every paper that is
 * selected, relevant or in the top ranks, with its grade and score components, so false positives
 * and badly ordered relevant papers can be read off. Components are measured by ablation: each
 * stage is switched off in turn over the same index (lexical = BM25F + proximity; +title/lead =
 * centrality bonuses; head = factor of the head and title-subject rules; cos = cosine in the day's semantic space;
 * prf = what pseudo-relevance feedback added).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpusIndex } from '../src/matching/corpus-index.js';
import { parseTopic } from '../src/matching/query-parser.js';
import { compileTopic } from '../src/matching/compile-topic.js';
import { Scorer } from '../src/matching/scorer.js';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { buildSemanticSpace } from '../src/matching/semantic-space.js';
import { loadRelevance } from './lib/relevance.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
const only = opt('--topic');
const topN = Number(opt('--top') ?? 12);
const { papers, judgments } = loadRelevance(path.resolve(root, opt('--dir') ?? '../shared/relevance'));
const overrides = JSON.parse(opt('--params') ?? '{}') as Partial<RankingParams>;
const P: RankingParams = { ...DEFAULT_PARAMS, ...overrides };
const index = buildCorpusIndex(papers, P.titleWeight);
const space = buildSemanticSpace(index, { dims: P.semanticDims, minDf: 2 });

function scores(topic: string, p: Partial<RankingParams>): Map<number, number> {
  const params = { ...P, ...p };
  const scorer = new Scorer(index, params, space);
  const ct = compileTopic(parseTopic(topic), index, params.proximityWeight, undefined, params.compoundSourceWeight);
  return new Map(scorer.score(ct, 1e-9).hits.map((h) => [h.doc, h.score]));
}

const f = (x: number | undefined) => (x === undefined ? '  -  ' : x.toFixed(2));
for (const t of judgments.topics) {
  if (only && t.id !== only) continue;
  const q = judgments.qrels[t.id];
  const disputed = new Set(q.disputed);
  const full = scores(t.topic, {});
  const noPrf = scores(t.topic, { feedbackDocs: 0 });
  const noPrfSem = scores(t.topic, { feedbackDocs: 0, semanticWeight: 0 });
  const noPrfSemHead = scores(t.topic, { feedbackDocs: 0, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1 });
  const lexOnly = scores(t.topic, { feedbackDocs: 0, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1, titleBonus: 0, leadBonus: 0 });
  const noLead = scores(t.topic, { feedbackDocs: 0, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1, leadBonus: 0 });
  const ranked = [...full].sort((a, b) => b[1] - a[1]);
  const rank = new Map(ranked.map(([d], i) => [d, i + 1]));
  const show = new Set<number>();
  ranked.forEach(([d, s], i) => { if (i < topN || s >= P.threshold) show.add(d); });
  index.docs.forEach((doc, d) => { if (q.relevant[doc.paper.id]) show.add(d); });
  console.log(`\n== ${t.id}: "${t.topic}"  (threshold ${P.threshold})`);
  console.log(' rank g sel  final   lex  +ttl +lead  head   cos   prf  title');
  const rows = [...show].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9));
  for (const d of rows) {
    const id = index.docs[d].paper.id;
    const g = disputed.has(id) ? '?' : String(q.relevant[id] ?? 0);
    const s = full.get(d);
    const sel = s !== undefined && s >= P.threshold && (rank.get(d) ?? 99) <= 20;
    const head = noPrfSemHead.get(d) ? (noPrfSem.get(d) ?? 0) / noPrfSemHead.get(d)! : undefined;
    const cos = head && noPrf.get(d) !== undefined ? (noPrf.get(d)! / head - (1 - P.semanticWeight) * noPrfSem.get(d)! / head) / P.semanticWeight : undefined;
    const flag = sel && g === '0' ? 'FP' : !sel && (g === '1' || g === '2') ? 'FN' : '  ';
    console.log(`${String(rank.get(d) ?? '-').padStart(5)} ${g} ${flag} ${f(s)}  ${f(lexOnly.get(d))}  ${f((noLead.get(d) ?? 0) - (lexOnly.get(d) ?? 0))}  ${f((noPrfSemHead.get(d) ?? 0) - (noLead.get(d) ?? 0))}  ${f(head)}  ${f(cos)}  ${f(s !== undefined && noPrf.get(d) !== undefined ? s - noPrf.get(d)! : undefined)}  ${id} ${index.docs[d].paper.title.slice(0, 90)}`);
  }
}
