/**
 * `npm run diagnose:match [-- --topic <id>] [--extra] [--holdout] [--fifth-blind] [--cs-day | --science-day | --cs-blind | --cs-blind3 | --science-blind3 | --cs-blind4 | --science-blind4 | --listing-day | --ai-day] [--top 15] [--params '{"threshold":0.5}'] [--dir …]`: per
 * dev topic, a summary (relevant, selected, missed, wrong) and every paper that is selected,
 * relevant or in the top ranks, with its grade (FP = selected but judged 0, FN = relevant but not
 * selected), its score components and which of the topic's stemmed words its title (T) or abstract
 * (A) contains (-w: neither), so false positives, misses and badly ordered relevant papers can be
 * read off. Components are measured by ablation: each stage is switched off in turn over the same
 * index (lexical = BM25F + proximity; +title/lead = centrality bonuses; head = factor of the head and
 * title-subject rules; cos = cosine in the day's semantic space; fb = what word feedback and
 * document feedback added).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PARAMS, type RankingParams } from '../src/matching/params.js';
import { prepareDay } from '../src/matching/matcher.js';
import { scorerOn } from './lib/scoring.js';
import { tokenize } from '../src/matching/tokenize.js';
import { BLIND5_JUDGMENTS, HOLDOUT_JUDGMENTS, loadRelevance, readJudgments, rewordTopics, withExtraTopics } from './lib/relevance.js';
import { aiDay, CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, SCIENCE_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS, CS_DAY_JUDGMENTS, SCIENCE_DAY_JUDGMENTS, judgedListingDay, listingDay } from './lib/regimes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
const only = opt('--topic');
const topN = Number(opt('--top') ?? 12);
// --cs-day: the other day with its own topics (bench/cs-day-judgments.json), as in eval:match.
// --science-day: the third day (bench/science-day-judgments.json).
const otherDay = args.includes('--cs-blind4') ? CS_BLIND4_JUDGMENTS : args.includes('--science-blind4') ? SCIENCE_BLIND4_JUDGMENTS : args.includes('--cs-blind3') ? CS_BLIND3_JUDGMENTS : args.includes('--science-blind3') ? SCIENCE_BLIND3_JUDGMENTS : args.includes('--cs-blind') ? CS_BLIND_JUDGMENTS : args.includes('--cs-day') ? CS_DAY_JUDGMENTS : args.includes('--science-day') ? SCIENCE_DAY_JUDGMENTS : undefined;
const fixtures = path.resolve(root, '../shared/fixtures');
const { papers, judgments: dev } = args.includes('--ai-day') ? aiDay(fixtures) : args.includes('--listing-day') ? listingDay(fixtures) : otherDay ? judgedListingDay(fixtures, otherDay) : loadRelevance(path.resolve(root, opt('--dir') ?? '../shared/relevance'));
// --topics file.json rewords the topics (topic id → topic string), as in eval:match.
const reworded = rewordTopics(dev, opt('--topics'));
// --extra adds the topics judged in bench/extra-judgments.json, as in eval:match.
const withExtra = args.includes('--extra') ? withExtraTopics(reworded) : reworded;
// --holdout adds the six held-out topics (bench/holdout-judgments.json), as in eval:match.
const withHoldout = args.includes('--holdout') ? withExtraTopics(withExtra, readJudgments(HOLDOUT_JUDGMENTS)) : withExtra;
// --fifth-blind adds the fifth blind round's eight topics (bench/relevance-blind5-judgments.json).
const judgments = args.includes('--fifth-blind') ? withExtraTopics(withHoldout, readJudgments(BLIND5_JUDGMENTS)) : withHoldout;
const overrides = JSON.parse(opt('--params') ?? '{}') as Partial<RankingParams>;
const P: RankingParams = { ...DEFAULT_PARAMS, ...overrides };
const { index, space } = prepareDay(papers, P);

// The columns decompose the final score (the one the threshold selects on), so they are computed
// with orderLexicalWeight 0 (a hit's score is then its final score); `selection` is the real one
// (final score >= threshold, at most 20, in the order blended with the text score).
const run = scorerOn({ index, space }, P);
const scores = (topic: string, p: Partial<RankingParams>) => new Map(run(topic, { ...p, orderLexicalWeight: 0 }, 1e-9).map((h) => [h.doc, h.score]));
const selection = (topic: string) => new Set(run(topic, {}, P.threshold, 20).map((h) => h.doc));

const f = (x: number | undefined) => (x === undefined ? '  -  ' : x.toFixed(2));
for (const t of judgments.topics) {
  if (only && t.id !== only) continue;
  const q = judgments.qrels[t.id];
  const disputed = new Set(q.disputed);
  const full = scores(t.topic, {});
  const noFb = { feedbackDocs: 0, rocchioWeight: 0 };
  const noPrf = scores(t.topic, noFb);
  const noPrfSem = scores(t.topic, { ...noFb, semanticWeight: 0 });
  const noPrfSemHead = scores(t.topic, { ...noFb, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1 });
  const lexOnly = scores(t.topic, { ...noFb, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1, titleBonus: 0, leadBonus: 0 });
  const noLead = scores(t.topic, { ...noFb, semanticWeight: 0, headMissingFactor: 1, titleConflictFactor: 1, leadBonus: 0 });
  const topicTerms = [...new Set(tokenize(t.topic).map((k) => k.term))];
  const words = (d: number) => {
    const p = index.docs[d].paper;
    const title = new Set(tokenize(p.title).map((k) => k.term));
    const body = new Set(tokenize(`${p.abstract ?? ''} ${p.aiSummary ?? ''} ${(p.aiKeywords ?? []).join(' ')}`).map((k) => k.term));
    return topicTerms.map((w) => (title.has(w) ? `${w}:T` : body.has(w) ? `${w}:A` : `-${w}`)).join(' ');
  };
  const ranked = [...full].sort((a, b) => b[1] - a[1]);
  const rank = new Map(ranked.map(([d], i) => [d, i + 1]));
  const show = new Set<number>();
  ranked.forEach(([d, s], i) => { if (i < topN || s >= P.threshold) show.add(d); });
  index.docs.forEach((doc, d) => { if (q.relevant[doc.paper.id]) show.add(d); });
  const rows = [...show].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9));
  const selected = selection(t.topic);
  const isSel = (d: number) => selected.has(d);
  const relevantIds = Object.keys(q.relevant).filter((id) => !disputed.has(id));
  const selectedDocs = rows.filter(isSel);
  const wrong = selectedDocs.filter((d) => !disputed.has(index.docs[d].paper.id) && !q.relevant[index.docs[d].paper.id]).length;
  const found = selectedDocs.filter((d) => q.relevant[index.docs[d].paper.id] && !disputed.has(index.docs[d].paper.id)).length;
  const unjudged = selectedDocs.filter((d) => disputed.has(index.docs[d].paper.id)).length;
  console.log(`\n== ${t.id}: "${t.topic}": ${relevantIds.length} relevant, ${selectedDocs.length} selected${unjudged ? ` (${unjudged} disputed, not scored by eval:match)` : ''}, ${relevantIds.length - found} missed, ${wrong} wrong (threshold ${P.threshold})`);
  console.log(' rank g sel  final   lex  +ttl +lead  head   cos    fb  id / topic words / title');
  for (const d of rows) {
    const id = index.docs[d].paper.id;
    const g = disputed.has(id) ? '?' : String(q.relevant[id] ?? 0);
    const s = full.get(d);
    const sel = selected.has(d);
    const head = noPrfSemHead.get(d) ? (noPrfSem.get(d) ?? 0) / noPrfSemHead.get(d)! : undefined;
    const cos = head && noPrf.get(d) !== undefined ? (noPrf.get(d)! / head - (1 - P.semanticWeight) * noPrfSem.get(d)! / head) / P.semanticWeight : undefined;
    const flag = sel && g === '0' ? 'FP' : !sel && (g === '1' || g === '2') ? 'FN' : '  ';
    console.log(`${String(rank.get(d) ?? '-').padStart(5)} ${g} ${flag} ${f(s)}  ${f(lexOnly.get(d))}  ${f((noLead.get(d) ?? 0) - (lexOnly.get(d) ?? 0))}  ${f((noPrfSemHead.get(d) ?? 0) - (noLead.get(d) ?? 0))}  ${f(head)}  ${f(cos)}  ${f(s !== undefined && noPrf.get(d) !== undefined ? s - noPrf.get(d)! : undefined)}  ${id} [${words(d)}] ${index.docs[d].paper.title.slice(0, 80)}`);
  }
}
