/**
 * `npm run misses:match [-- --dir ../shared/relevance] [--topic id] [--params '{"threshold":0.5}']`: for each dev topic, the relevant
 * papers the matcher does not select (and the papers it selects wrongly), with the score each gets,
 * its rank among all papers, and which of the topic's (stemmed) words its title and abstract contain.
 * A diagnostic for recall work: which misses share words with the topic and only score too low, and
 * which say the same thing in other words.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTopic } from '../src/matching/compile-topic.js';
import { parseTopic } from '../src/matching/query-parser.js';
import { Scorer } from '../src/matching/scorer.js';
import { DEFAULT_PARAMS } from '../src/matching/params.js';
import { tokenize } from '../src/matching/tokenize.js';
import { createMatcher, prepareDay } from '../src/matching/matcher.js';
import { loadRelevance } from './lib/relevance.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const dir = path.resolve(root, opt('--dir') ?? '../shared/relevance');
const only = opt('--topic');
const { papers, judgments } = loadRelevance(dir);

const params = { ...DEFAULT_PARAMS, ...(opt('--params') ? JSON.parse(opt('--params')!) : {}) };
const { index, space } = prepareDay(papers, params);
const scorer = new Scorer(index, params, params.semanticWeight > 0 ? space : undefined);
const matcher = createMatcher(papers, { params });


for (const t of judgments.topics) {
  if (only && t.id !== only) continue;
  const q = judgments.qrels[t.id];
  const disputed = new Set(q.disputed);
  const parsed = parseTopic(t.topic);
  const compiled = compileTopic(parsed, index, params.proximityWeight, undefined, params.compoundSourceWeight);
  const all = scorer.score(compiled, -Infinity).hits;
  const rank = new Map(all.map((h, i) => [index.docs[h.doc].paper.id, { rank: i + 1, score: h.score }]));
  const selected = new Set(matcher.matchTopic(t.topic).map((h) => h.paperId));
  const topicTerms = [...new Set(tokenize(t.topic).map((k) => k.term))];
  const words = (id: string) => {
    const p = papers.find((x) => x.id === id)!;
    const title = new Set(tokenize(p.title).map((k) => k.term));
    const body = new Set(tokenize(`${p.abstract ?? ''} ${p.aiSummary ?? ''} ${(p.aiKeywords ?? []).join(' ')}`).map((k) => k.term));
    return topicTerms.map((w) => (title.has(w) ? `${w}:T` : body.has(w) ? `${w}:A` : `-${w}`)).join(' ');
  };
  const line = (id: string, grade: number | string) => {
    const r = rank.get(id);
    const p = papers.find((x) => x.id === id)!;
    return `  ${id} g${grade} ${r ? `#${String(r.rank).padStart(3)} ${r.score.toFixed(3)}` : '  —  0    '} [${words(id)}] ${p.title.slice(0, 90)}`;
  };
  const relevant = Object.entries(q.relevant).filter(([id]) => !disputed.has(id));
  const missed = relevant.filter(([id]) => !selected.has(id)).sort((a, b) => (rank.get(a[0])?.rank ?? 1e9) - (rank.get(b[0])?.rank ?? 1e9));
  const wrong = [...selected].filter((id) => !disputed.has(id) && !q.relevant[id]);
  console.log(`\n${t.id} "${t.topic}": ${relevant.length} relevant, ${selected.size} selected, ${missed.length} missed, ${wrong.length} wrong (threshold ${params.threshold})`);
  for (const [id, g] of missed) console.log(line(id, g));
  if (wrong.length) console.log('  selected, not relevant:');
  for (const id of wrong) console.log(line(id, 0));
}
