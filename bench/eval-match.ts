/**
 * `npm run eval:match [-- --dir ../shared/relevance] [--judgments file.json] [--topics file.json] [--params '{…}'] [--extra] [--json]`: precision, recall,
 * F1 and nDCG@10 per topic and macro-averaged for Paperboy's matcher and for a plain BM25 baseline, on
 * the relevance judgments in ../shared/relevance (relative to the repository root; its papers.json
 * and dev-judgments.json, or the folder's one other `*judgments*.json`, or `--judgments`). `--topics` replaces
 * the topics' wording (a JSON object topic id → topic string, e.g. bench/sentence-topics.json) and keeps
 * their judgments; `--params` overrides ranking parameters (e.g. '{"threshold":0.45}'); `--extra` adds
 * the fifteen topics of bench/extra-judgments.json (judged for this project over the same papers) and
 * prints the macro scores of the given and the extra topics apart; `--holdout` adds the six topics of
 * bench/holdout-judgments.json (never tuned on), printed apart too, and `--fifth-blind` the eight of a fifth
 * blind round over the same papers (bench/relevance-blind5-judgments.json); `--regimes` also scores days of
 * other sizes (bench/lib/regimes.ts: half and 30 % of the papers, four random subsets each, and a
 * larger day of 962 papers with bench/large-day-judgments.json, and very small days of 20 % and 10 %), each
 * subset also with the papers it leaves out as the matcher's `context` (standing for earlier days);
 * `--cs-day` scores another day with topics of its own (the 722 cs papers of the recorded arXiv
 * listing, bench/cs-day-judgments.json; the defaults are chosen on it and the 23 topics together);
 * `--science-day` a third (the 782 papers outside cs of that listing, bench/science-day-judgments.json,
 * judged after the defaults were chosen and never tuned on); `--category-days` the days of single-category
 * instances (each arXiv category with ≥ 30 papers in that listing, its replaced papers as context;
 * bench/lib/regimes.ts `categoryDays`), with the false alarms on topics that have nothing relevant that day;
 * `--hf-days` the days of an instance following only Hugging Face's daily papers (each recorded list date,
 * bench/hf-day-judgments.json, judged after every choice was made), scored the same way;
 * `--listing-day` the whole recorded listing as one day (1,504 papers of every archive, as an instance
 * following all of arXiv sees it) with the cs and science days' topics together, matched field by field
 * and as one day; `--ai-day` a blind day (the recorded cs.AI listing of 2025-08-20, 86 papers,
 * bench/ai-day-judgments.json: ten topics judged before any matcher ran on it), alone and with the
 * other listing's cs papers as context (also in `--feedback`); `--cs-blind` the cs day's papers with ten
 * new topics judged by pooling after every choice (bench/cs-blind-judgments.json); `--third-blind` a third
 * blind round: six new topics on the cs day and six on the science day (bench/cs-blind3-judgments.json,
 * bench/science-blind3-judgments.json); `--fourth-blind` a fourth: six more on each day, three judges each
 * (bench/cs-blind4-judgments.json, bench/science-blind4-judgments.json); all also in `--feedback`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher } from '../src/matching/matcher.js';
import { bootstrap, BLIND5_JUDGMENTS, evaluate, HOLDOUT_JUDGMENTS, loadRelevance, macro, readJudgments, rewordTopics, withExtraTopics, type Judgments, type TopicScore } from './lib/relevance.js';
import { plainBm25 } from './lib/plain-bm25.js';
import { AI_DAY_JUDGMENTS, aiDay, CS_BLIND_JUDGMENTS, CS_BLIND3_JUDGMENTS, SCIENCE_BLIND3_JUDGMENTS, CS_BLIND4_JUDGMENTS, SCIENCE_BLIND4_JUDGMENTS, CS_DAY_JUDGMENTS, SCIENCE_DAY_JUDGMENTS, HF_DAY_JUDGMENTS, judgedListingDay, listingDay, dayRegimes, smallerDays, categoryDays, hfDays, type InstanceDay, type Regime } from './lib/regimes.js';
import { feedbackSequence, halvesSequences, mergeResults, type SequenceDay } from './lib/feedback.js';
import type { MatchPaper } from '../src/matching/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dirArg = args.indexOf('--dir');
const dir = path.resolve(root, dirArg >= 0 ? args[dirArg + 1] : '../shared/relevance');
const judgmentsArg = args.indexOf('--judgments');
const { papers, judgments: devJudgments } = loadRelevance(dir, judgmentsArg >= 0 ? path.resolve(process.cwd(), args[judgmentsArg + 1]) : undefined);
const topicsArg = args.indexOf('--topics');
const reworded = rewordTopics(devJudgments, topicsArg >= 0 ? args[topicsArg + 1] : undefined);
const withExtra = args.includes('--extra') ? withExtraTopics(reworded) : reworded;
const holdout = args.includes('--holdout') ? readJudgments(HOLDOUT_JUDGMENTS) : undefined;
const blind5 = args.includes('--fifth-blind') ? readJudgments(BLIND5_JUDGMENTS) : undefined;
// The wording applies to every topic scored (also those added by --extra, --holdout and --fifth-blind).
const added = [holdout, blind5].reduce<Judgments>((j, more) => (more ? withExtraTopics(j, more) : j), withExtra);
const judgments = rewordTopics(added, topicsArg >= 0 ? args[topicsArg + 1] : undefined);
const extra = judgments !== reworded;
const given = new Set(devJudgments.topics.map((t) => t.id));
const heldOut = new Set(holdout?.topics.map((t) => t.id));
const fifth = new Set(blind5?.topics.map((t) => t.id));
// The 240 papers' topics by where they come from, each part's macro printed apart (also in --feedback).
const topicParts: Array<[string, (id: string) => boolean]> = [
  ['given', (id) => given.has(id)],
  ['extra', (id) => !given.has(id) && !heldOut.has(id) && !fifth.has(id)],
  ['held-out', (id) => heldOut.has(id)],
  ['fifth blind round\'s', (id) => fifth.has(id)],
];

function table(name: string, scores: TopicScore[]): string {
  const f = (x: number) => x.toFixed(3);
  const lines = [`${name}`, `  ${'topic'.padEnd(14)} ${'sel'.padStart(4)}  ${'P'.padStart(5)}  ${'R'.padStart(5)}  ${'F1'.padStart(5)}  nDCG@10`];
  for (const s of scores) lines.push(`  ${s.id.padEnd(14)} ${String(s.selected).padStart(4)}  ${f(s.precision)}  ${f(s.recall)}  ${f(s.f1)}  ${f(s.ndcg10)}`);
  const m = macro(scores);
  lines.push(`  ${'MACRO'.padEnd(14)} ${''.padStart(4)}  ${f(m.precision)}  ${f(m.recall)}  ${f(m.f1)}  ${f(m.ndcg10)}`);
  return lines.join('\n');
}

const paramsArg = args.indexOf('--params');
const params = paramsArg >= 0 ? JSON.parse(args[paramsArg + 1]) : {};
const matcher = createMatcher(papers, { params });
const ours = evaluate(judgments, (t) => matcher.matchTopic(t).map((h) => h.paperId));
const base = evaluate(judgments, plainBm25(papers));
if (args.includes('--json')) {
  process.stdout.write(JSON.stringify({ paperboy: { topics: ours, macro: macro(ours) }, plainBm25: { topics: base, macro: macro(base) } }, null, 2) + '\n');
} else {
  process.stdout.write(`Relevance set: ${dir} (${papers.length} papers, ${judgments.topics.length} topics)${topicsArg >= 0 ? `, topics worded as in ${args[topicsArg + 1]}` : ''}\n\n`);
  process.stdout.write(table('Paperboy matcher', ours) + '\n\n' + table('Baseline: plain BM25, cut-off 0.5 × best score, max 20', base) + '\n');
  if (ours.length >= 2) {
    // A macro average over a handful of topics moves a lot with which topics were judged: say how much.
    const b = bootstrap(ours, base);
    const f = (x: number) => x.toFixed(3);
    const sign = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
    process.stdout.write(`\nHow sure (paired bootstrap over the ${ours.length} topics, 10,000 seeded draws, 95 % intervals)\n`
      + (['f1', 'ndcg10'] as const).map((m) => `  ${m === 'f1' ? 'F1     ' : 'nDCG@10'}  Paperboy ${f(b[m].lo)}–${f(b[m].hi)}   Paperboy − plain BM25 ${sign(b[m].diffLo)} to ${sign(b[m].diffHi)}, ahead in ${(100 * b[m].ahead).toFixed(1)} % of draws`).join('\n') + '\n');
  }
  if (extra) {
    const f = (x: number) => x.toFixed(3);
    const line = (name: string, s: TopicScore[]) => { const m = macro(s); return `  ${name.padEnd(40)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  nDCG@10 ${f(m.ndcg10)}`; };
    const lines: string[] = [];
    for (const [who, scores] of [['Paperboy', ours], ['plain BM25', base]] as const) {
      for (const [name, keep] of topicParts) {
        const s = scores.filter((x) => keep(x.id));
        if (s.length) lines.push(line(`${who}, the ${s.length} ${name} topics`, s));
      }
    }
    process.stdout.write('\nMacro apart\n' + lines.join('\n') + '\n');
  }
}

if (args.includes('--regimes')) {
  const f = (x: number) => x.toFixed(3);
  const groups = new Map<string, { papers: number; ours: number[]; ctx: number[] | null; base: number[] }>();
  const fixtures = path.resolve(root, '../shared/fixtures');
  // The four days of tune:space, then very small days (20 % and 10 %, six draws each).
  const regimes = [...dayRegimes(papers, judgments, fixtures), ...smallerDays(papers, judgments, 0.2, 6), ...smallerDays(papers, judgments, 0.1, 6)];
  const score = (r: Regime, context?: MatchPaper[]) => {
    const m = createMatcher(r.papers, { params, context });
    return macro(evaluate(r.judgments, (t) => m.matchTopic(t).map((h) => h.paperId)));
  };
  for (const r of regimes) {
    const o = score(r);
    const c = r.context ? score(r, r.context) : null;
    const b = macro(evaluate(r.judgments, plainBm25(r.papers)));
    const g = groups.get(r.group) ?? { papers: 0, ours: [0, 0, 0, 0], ctx: c ? [0, 0, 0, 0] : null, base: [0, 0] };
    g.papers += r.weight * r.papers.length;
    [o.precision, o.recall, o.f1, o.ndcg10].forEach((v, i) => { g.ours[i] += r.weight * v; });
    if (c && g.ctx) [c.precision, c.recall, c.f1, c.ndcg10].forEach((v, i) => { g.ctx![i] += r.weight * v; });
    g.base[0] += r.weight * b.f1; g.base[1] += r.weight * b.ndcg10;
    groups.set(r.group, g);
  }
  process.stdout.write(`\nDays of other sizes (${judgments.topics.length} topics; subsets: mean of 4 seeded draws, 6 for 20 % and 10 %)\n`
    + `  ${'day'.padEnd(28)} papers  Paperboy P / R / F1 / nDCG@10     with context (to 240 papers)    plain BM25 F1 / nDCG@10\n`
    + [...groups].map(([name, g]) => `  ${name.padEnd(28)} ${String(Math.round(g.papers)).padStart(6)}  ${g.ours.map(f).join(' / ')}     ${g.ctx ? g.ctx.map(f).join(' / ') : '—'.padEnd(29)}   ${g.base.map(f).join(' / ')}`).join('\n') + '\n'
    + '  (context: the papers left out of the subset, standing for the earlier days of the same sources)\n');
}

/**
 * Scores days of one kind of instance alone, with their context, and plain BM25: per day, then over
 * all judged topic-days (each counts the same) with the false alarms on the quiet ones.
 */
function scoreInstanceDays(title: string, days: InstanceDay[]): void {
  const f = (x: number) => x.toFixed(3);
  type Sum = { topics: number; p: number; r: number; f1: number; ndcg: number; quiet: number; alarms: number; sent: number };
  const zero = (): Sum => ({ topics: 0, p: 0, r: 0, f1: 0, ndcg: 0, quiet: 0, alarms: 0, sent: 0 });
  const totals = { alone: zero(), context: zero(), bm25: zero() };
  const add = (sum: Sum, scores: TopicScore[], quietSent: number[]) => {
    for (const x of scores) { sum.topics++; sum.p += x.precision; sum.r += x.recall; sum.f1 += x.f1; sum.ndcg += x.ndcg10; }
    for (const n of quietSent) { sum.quiet++; if (n > 0) sum.alarms++; sum.sent += n; }
  };
  // Over all topic-days a quiet one scores 1 when nothing is sent (the right digest is empty), else 0.
  const row = (name: string, x: Sum) => `  ${name.padEnd(24)} P ${f(x.p / x.topics)}  R ${f(x.r / x.topics)}  F1 ${f(x.f1 / x.topics)}  nDCG@10 ${f(x.ndcg / x.topics)}`
    + `   quiet: sent anything ${f(x.alarms / x.quiet)}, papers ${(x.sent / x.quiet).toFixed(2)}   all topic-days F1 ${f((x.f1 + x.quiet - x.alarms) / (x.topics + x.quiet))}`;
  const lines: string[] = [];
  for (const d of days) {
    const alone = createMatcher(d.papers, { params });
    const withContext = createMatcher(d.papers, { params, context: d.context });
    const bm25 = plainBm25(d.papers);
    const runs: Array<[keyof typeof totals, (t: string) => string[]]> = [
      ['alone', (t) => alone.matchTopic(t).map((h) => h.paperId)],
      ['context', (t) => withContext.matchTopic(t).map((h) => h.paperId)],
      ['bm25', bm25],
    ];
    const cells: string[] = [];
    for (const [name, select] of runs) {
      const scores = evaluate(d.judgments, select);
      add(totals[name], scores, d.quietTopics.map((t) => select(t.topic).length));
      const m = macro(scores);
      cells.push(scores.length ? `${f(m.f1)} / ${f(m.ndcg10)}` : `${'—'.padEnd(13)}`);
    }
    lines.push(`  ${d.name.padEnd(18)} ${String(d.papers.length).padStart(4)} ${String(d.context!.length).padStart(4)} ${String(d.judgments.topics.length).padStart(3)} ${String(d.quietTopics.length).padStart(3)}   ${cells.join('     ')}`);
  }
  process.stdout.write(`\n${title}\n`
    + `  ${'day'.padEnd(18)} papers ctx topics quiet   alone F1 / nDCG     with context        plain BM25\n` + lines.join('\n') + '\n'
    + `  every judged topic-day counts the same (${totals.alone.topics} topic-days with a relevant paper, ${totals.alone.quiet} without):\n`
    + row('Paperboy, alone', totals.alone) + '\n' + row('Paperboy, with context', totals.context) + '\n' + row('plain BM25', totals.bm25) + '\n');
}

if (args.includes('--category-days')) {
  const days = categoryDays(path.resolve(root, '../shared/fixtures'));
  scoreInstanceDays(`Category days: single-category instances (${days.length} arXiv categories with ≥ 30 papers in the recorded listing; context: the category's replaced papers)`, days);
}
if (args.includes('--hf-days')) {
  const days = hfDays(path.resolve(root, '../shared/fixtures'));
  scoreInstanceDays(`Hugging Face days: an instance following only the daily papers (${days.length} recorded list dates, every paper judged for every topic; context: the other dates' papers)`, days);
}

// Flag, judgments, what the day is (scored alone) and its short name (in --feedback).
const otherDays: Array<[string, string, string, string]> = [
  ['--cs-day', CS_DAY_JUDGMENTS, 'cs papers of the recorded arXiv listing', 'cs day'],
  ['--science-day', SCIENCE_DAY_JUDGMENTS, 'papers outside cs of the recorded arXiv listing (judged after the defaults were chosen)', 'science day'],
  ['--cs-blind', CS_BLIND_JUDGMENTS, 'cs papers of the recorded arXiv listing, ten new topics judged blind (never used to choose anything)', 'cs day with the second blind round\'s topics'],
  ['--third-blind', CS_BLIND3_JUDGMENTS, 'cs papers of the recorded arXiv listing, third blind round: six new topics', 'cs day with the third blind round\'s topics'],
  ['--third-blind', SCIENCE_BLIND3_JUDGMENTS, 'papers outside cs of the recorded arXiv listing, third blind round: six new topics', 'science day with the third blind round\'s topics'],
  ['--fourth-blind', CS_BLIND4_JUDGMENTS, 'cs papers of the recorded arXiv listing, fourth blind round: six new topics', 'cs day with the fourth blind round\'s topics'],
  ['--fourth-blind', SCIENCE_BLIND4_JUDGMENTS, 'papers outside cs of the recorded arXiv listing, fourth blind round: six new topics', 'science day with the fourth blind round\'s topics'],
];
const scoreDay = (title: string, day: { papers: MatchPaper[]; judgments: Judgments }) => {
  const m = createMatcher(day.papers, { params });
  const o = evaluate(day.judgments, (t) => m.matchTopic(t).map((h) => h.paperId));
  const b = evaluate(day.judgments, plainBm25(day.papers));
  process.stdout.write(`\n${title}\n\n` + table('Paperboy matcher', o) + '\n\n' + table('Baseline: plain BM25, cut-off 0.5 × best score, max 20', b) + '\n');
};
for (const [flag, file, what] of otherDays) {
  if (!args.includes(flag)) continue;
  const day = judgedListingDay(path.resolve(root, '../shared/fixtures'), file);
  scoreDay(`Another day, its own topics: ${day.papers.length} ${what}, ${day.judgments.topics.length} topics (bench/${path.basename(file)})`, day);
}
if (args.includes('--ai-day')) {
  const day = aiDay(path.resolve(root, '../shared/fixtures'));
  const alone = createMatcher(day.papers, { params });
  const withContext = createMatcher(day.papers, { params, context: day.context });
  const o = evaluate(day.judgments, (t) => alone.matchTopic(t).map((h) => h.paperId));
  const c = evaluate(day.judgments, (t) => withContext.matchTopic(t).map((h) => h.paperId));
  const b = evaluate(day.judgments, plainBm25(day.papers));
  process.stdout.write(`\nA blind day: ${day.papers.length} cs.AI papers of 2025-08-20, ${day.judgments.topics.length} topics judged before any matcher ran on it (bench/${path.basename(AI_DAY_JUDGMENTS)})\n\n`
    + table('Paperboy matcher, the day alone', o) + '\n\n'
    + table(`Paperboy matcher, with ${day.context.length} cs papers of 2024-11-28 as context`, c) + '\n\n'
    + table('Baseline: plain BM25, cut-off 0.5 × best score, max 20', b) + '\n');
}
if (args.includes('--listing-day')) {
  const fixtures = path.resolve(root, '../shared/fixtures');
  const day = listingDay(fixtures);
  scoreDay(`The whole listing as one day: ${day.papers.length} papers of every archive, the cs day's and the science day's ${day.judgments.topics.length} topics together, matched field by field (a paper of the half a topic was not judged on counts as not relevant)`, day);
  // The same judgments with the half a topic was not judged on left out (as if disputed: neither hit nor miss).
  const halves = [judgedListingDay(fixtures, CS_DAY_JUDGMENTS), judgedListingDay(fixtures, SCIENCE_DAY_JUDGMENTS)];
  const own: Judgments = { topics: day.judgments.topics, qrels: {} };
  for (const half of halves) {
    const ids = new Set(half.papers.map((p) => p.id));
    const others = day.papers.filter((p) => !ids.has(p.id)).map((p) => p.id);
    for (const t of half.judgments.topics) own.qrels[t.id] = { ...day.judgments.qrels[t.id], disputed: [...day.judgments.qrels[t.id].disputed, ...others] };
  }
  const split = createMatcher(day.papers, { params });
  const whole = createMatcher(day.papers, { params, splitFields: false });
  const f = (x: number) => x.toFixed(3);
  const line = (name: string, s: TopicScore[]) => { const m = macro(s); return `  ${name.padEnd(66)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  nDCG@10 ${f(m.ndcg10)}`; };
  const rows: string[] = [];
  for (const [what, j] of [['other half counted not relevant', day.judgments], ['other half left out', own]] as const) {
    rows.push(line(`field by field (default), ${what}`, evaluate(j, (t) => split.matchTopic(t).map((h) => h.paperId))));
    rows.push(line(`as one day (splitFields: false), ${what}`, evaluate(j, (t) => whole.matchTopic(t).map((h) => h.paperId))));
    rows.push(line(`plain BM25, ${what}`, evaluate(j, plainBm25(day.papers))));
  }
  process.stdout.write(`\nThe whole listing, macro\n${rows.join('\n')}\n`);
}

if (args.includes('--feedback')) {
  const f = (x: number) => x.toFixed(3);
  const fixtures = path.resolve(root, '../shared/fixtures');
  const row = (name: string, s: TopicScore[], quiet: number[]) => {
    const m = macro(s);
    const alarms = quiet.filter((n) => n > 0).length;
    return `  ${name.padEnd(30)} P ${f(m.precision)}  R ${f(m.recall)}  F1 ${f(m.f1)}  nDCG@10 ${f(m.ndcg10)}   quiet: sent anything ${quiet.length ? f(alarms / quiet.length) : '  —  '}`;
  };
  const report = (title: string, sequences: SequenceDay[][], j: Judgments, parts: Array<[string, (id: string) => boolean]> = [['all', () => true]]) => {
    const lines: string[] = [];
    for (const shown of [Infinity, 3]) {
      const r = mergeResults(sequences.map((days) => feedbackSequence(days, j, params, shown)));
      for (const [name, keep] of parts) {
        if (shown === Infinity) lines.push(row(`${name}: without feedback`, r.without.filter((x) => keep(x.id)), r.quietWithout));
        lines.push(row(`${name}: judged ${shown === Infinity ? 'all sent' : `first ${shown}`}`, r.with.filter((x) => keep(x.id)), r.quietWith));
      }
      if (shown === Infinity) lines.push(`  (${r.without.length} judged topic-days after the first day, ${r.quietWithout.length} quiet; feedback given: ${r.more} more, ${r.less} less)`);
    }
    process.stdout.write(`\n${title}\n${lines.join('\n')}\n`);
  };
  const parts = topicParts.filter(([, keep]) => judgments.topics.some((t) => keep(t.id)));
  report(`The subscriber's feedback: the ${papers.length} papers as two days (4 seeded halves, both orders; context: the other half)`, halvesSequences(papers), judgments, parts);
  for (const [flag, file, , what] of otherDays) {
    if (!args.includes(flag)) continue;
    const day = judgedListingDay(fixtures, file);
    report(`The subscriber's feedback: the ${what} (${day.papers.length} papers) as two days (4 seeded halves, both orders)`, halvesSequences(day.papers), day.judgments);
  }
  if (args.includes('--ai-day')) {
    const day = aiDay(fixtures);
    report(`The subscriber's feedback: the blind cs.AI day (${day.papers.length} papers) as two days (4 seeded halves, both orders)`, halvesSequences(day.papers), day.judgments);
  }
  if (args.includes('--hf-days')) {
    const days = hfDays(fixtures);
    const j = readJudgments(HF_DAY_JUDGMENTS);
    report(`The subscriber's feedback: the ${days.length} Hugging Face list dates in order (context: the other dates)`, [days.map((d) => ({ papers: d.papers, context: d.context }))], j);
  }
}
