/**
 * Days of other sizes for measuring matching (docs/matching.md, "Days of other sizes"): the relevance
 * set as it is, random subsets of it (smaller days), and a larger day — the relevance set plus the cs
 * papers of a recorded full arXiv listing, judged by pooling (bench/large-day-judgments.json). Also the
 * other judged days of the recorded feeds (the cs and the science day) and the days of single-source
 * instances: single arXiv categories and the Hugging Face daily lists ("Days of single-category
 * instances", "A fourth kind of day").
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArxivListing } from '../../src/sources/parsers/arxiv-listing.js';
import { parseHfDaily } from '../../src/sources/parsers/hf-daily.js';
import { seededRandom } from '../../src/random.js';
import type { MatchPaper } from '../../src/matching/types.js';
import type { Judgments } from './relevance.js';

const benchFile = (name: string) => path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', name);
export const LARGE_DAY_JUDGMENTS = benchFile('large-day-judgments.json');
export const CS_DAY_JUDGMENTS = benchFile('cs-day-judgments.json');
export const SCIENCE_DAY_JUDGMENTS = benchFile('science-day-judgments.json');
export const HF_DAY_JUDGMENTS = benchFile('hf-day-judgments.json');
export const AI_DAY_JUDGMENTS = benchFile('ai-day-judgments.json');
/** The cs day's papers with ten new topics, judged by pooling after this session's rules and never used to choose anything. */
export const CS_BLIND_JUDGMENTS = benchFile('cs-blind-judgments.json');
/** A third blind round: six new topics on the cs day and six on the science day, pooled and judged before any of them was looked at. */
export const CS_BLIND3_JUDGMENTS = benchFile('cs-blind3-judgments.json');
export const SCIENCE_BLIND3_JUDGMENTS = benchFile('science-blind3-judgments.json');
/** A fourth blind round: six more new topics on each of the two days, three judges each, scored once for a candidate written down before. */
export const CS_BLIND4_JUDGMENTS = benchFile('cs-blind4-judgments.json');
export const SCIENCE_BLIND4_JUDGMENTS = benchFile('science-blind4-judgments.json');

/**
 * One day to score: its papers and the judgments restricted to them; `group` names what it stands for,
 * `weight` its share of the group. A subset day also has `context`: the papers left out, in a seeded
 * random order, standing for the earlier days of the same sources (the matcher's `context` option).
 */
export interface Regime { group: string; papers: MatchPaper[]; judgments: Judgments; weight: number; context?: MatchPaper[] }

/** The judgments restricted to `papers` (topics with no relevant paper left are dropped). */
function restrict(papers: MatchPaper[], j: Judgments): Judgments {
  const ids = new Set(papers.map((p) => p.id));
  const qrels: Judgments['qrels'] = {};
  for (const [t, q] of Object.entries(j.qrels)) {
    qrels[t] = { relevant: Object.fromEntries(Object.entries(q.relevant).filter(([p]) => ids.has(p))), disputed: q.disputed.filter((p) => ids.has(p)) };
  }
  return { topics: j.topics.filter((t) => Object.keys(qrels[t.id]?.relevant ?? {}).length > 0), qrels };
}

/** `seeds` random subsets keeping each paper with probability `fraction` (seeded: the same subsets every run). */
export function smallerDays(papers: MatchPaper[], j: Judgments, fraction: number, seeds = 4): Regime[] {
  return Array.from({ length: seeds }, (_, s) => {
    const rand = seededRandom(1000 + s);
    const day = papers.filter(() => rand() < fraction);
    const kept = new Set(day.map((p) => p.id));
    const order = seededRandom(77 + s);
    const context = papers.filter((p) => !kept.has(p.id)).map((p) => ({ p, k: order() })).sort((a, b) => a.k - b.k).map((x) => x.p);
    return { group: `${Math.round(fraction * 100)} % of the papers`, papers: day, judgments: restrict(day, j), weight: 1 / seeds, context };
  });
}

/** The relevance set plus the cs papers of the recorded full arXiv listing, with the pooled judgments of LARGE_DAY_JUDGMENTS for them. */
export function largerDay(papers: MatchPaper[], j: Judgments, fixtures: string, file = LARGE_DAY_JUDGMENTS): Regime {
  const large = JSON.parse(readFileSync(file, 'utf8')) as { fixture: string; category: string; qrels: Judgments['qrels'] };
  const listed = listingPapers(fixtures, file);
  // Only the topics judged on the larger day (the 23 of the dev set and bench/extra-judgments.json).
  const topics = j.topics.filter((t) => large.qrels[t.id]);
  const qrels: Judgments['qrels'] = {};
  for (const t of topics) {
    const q = j.qrels[t.id];
    const more = large.qrels[t.id];
    qrels[t.id] = { relevant: { ...q.relevant, ...more.relevant }, disputed: [...q.disputed, ...more.disputed] };
  }
  const day = [...papers, ...listed];
  return { group: `${day.length} papers (${topics.length} topics)`, papers: day, judgments: { topics, qrels }, weight: 1 };
}

/**
 * The papers of the recorded arXiv listing that a judgments file names: those with a category
 * starting with its `category` (LARGE_DAY_JUDGMENTS: the 722 cs papers of another day), or, with
 * `excludeCategory`, those with none starting with it (the 782 papers outside cs).
 */
export function listingPapers(fixtures: string, file = LARGE_DAY_JUDGMENTS): MatchPaper[] {
  return listingRecords(fixtures, file).map((r) => r.paper);
}

/** listingPapers with each paper's announce type in the listing (new, cross, replace, replace-cross). */
function listingRecords(fixtures: string, file: string): Array<{ paper: MatchPaper; announceType?: string }> {
  const large = JSON.parse(readFileSync(file, 'utf8')) as { fixture: string; category?: string; excludeCategory?: string };
  const where = path.join(fixtures, large.fixture);
  const keep = (cats: string[]) => (large.excludeCategory
    ? !cats.some((c) => c.startsWith(large.excludeCategory!))
    : cats.some((c) => c.startsWith(large.category!)));
  return parseArxivListing(readFileSync(where, 'utf8'), where).records
    .filter((r) => r.abstract && keep(r.categories))
    .map((r) => ({ paper: { id: r.id, title: r.title, abstract: r.abstract, categories: r.categories }, announceType: r.listing.announceType }));
}

/**
 * A day of one kind of instance (`name`: the category, or the list date). It also names its topics
 * without a relevant paper that day: whatever is sent for them is a false alarm.
 */
export interface InstanceDay extends Regime { name: string; quietTopics: Judgments['topics'] }

/**
 * The day's judgments (those of `j` restricted to its papers) and its quiet topics. A topic whose only
 * relevant papers today are disputed is neither judged nor quiet.
 */
export function judgeDay(papers: MatchPaper[], j: Judgments): { judgments: Judgments; quietTopics: Judgments['topics'] } {
  const restricted = restrict(papers, j);
  const undisputed = (id: string) => Object.keys(restricted.qrels[id].relevant).some((p) => !restricted.qrels[id].disputed.includes(p));
  return {
    judgments: { topics: restricted.topics.filter((t) => undisputed(t.id)), qrels: restricted.qrels },
    quietTopics: j.topics.filter((t) => !restricted.topics.some((u) => u.id === t.id)),
  };
}

/**
 * Days of single-category instances: a service that follows one arXiv category sees that category's
 * listing — its new and cross-listed papers — and nothing else. For every category with at least
 * `minPapers` such papers in the recorded listing (among the papers a judgments file covers: the cs
 * day's and the science day's), the day is those papers, judged by that file's judgments restricted to
 * them; its context is the category's replaced papers of the same listing (announced on earlier days).
 * Topics with no relevant paper that day are `quietTopics`.
 */
export function categoryDays(fixtures: string, files = [CS_DAY_JUDGMENTS, SCIENCE_DAY_JUDGMENTS], minPapers = 30): InstanceDay[] {
  const days: InstanceDay[] = [];
  for (const file of files) {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Judgments;
    const records = listingRecords(fixtures, file);
    const listed = (t?: string) => t === 'new' || t === 'cross';
    const counts = new Map<string, number>();
    for (const r of records) if (listed(r.announceType)) for (const c of new Set(r.paper.categories)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const categories = [...counts].filter(([, n]) => n >= minPapers).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
    for (const category of categories) {
      const inCategory = records.filter((r) => r.paper.categories?.includes(category));
      const papers = inCategory.filter((r) => listed(r.announceType)).map((r) => r.paper);
      const context = inCategory.filter((r) => !listed(r.announceType)).map((r) => r.paper);
      days.push({ group: 'category days', name: category, papers, ...judgeDay(papers, j), weight: 1, context });
    }
  }
  return days;
}

/**
 * A day of the recorded listing with its own topics: the 722 cs papers and the topics of
 * CS_DAY_JUDGMENTS, or (file SCIENCE_DAY_JUDGMENTS) the 782 papers outside cs and theirs.
 */
export function judgedListingDay(fixtures: string, file = CS_DAY_JUDGMENTS): { papers: MatchPaper[]; judgments: Judgments } {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Judgments;
  return { papers: listingPapers(fixtures, file), judgments: { topics: j.topics, qrels: j.qrels } };
}

/**
 * The whole recorded listing as one day (1,504 papers of every archive, as an instance following all
 * of arXiv sees it), with the cs day's and the science day's topics together. Each file judged only
 * its own half: a paper of the other half counts as not relevant (a cs paper for "dark matter", a
 * physics paper for "retrieval-augmented generation"), so precision here is a lower bound.
 */
export function listingDay(fixtures: string): { papers: MatchPaper[]; judgments: Judgments } {
  const cs = judgedListingDay(fixtures, CS_DAY_JUDGMENTS);
  const sci = judgedListingDay(fixtures, SCIENCE_DAY_JUDGMENTS);
  return { papers: [...cs.papers, ...sci.papers], judgments: { topics: [...cs.judgments.topics, ...sci.judgments.topics], qrels: { ...cs.judgments.qrels, ...sci.judgments.qrels } } };
}

/** The four days eval:match --regimes and tune:space score: as given, half, 30 %, and the larger day. */
export function dayRegimes(papers: MatchPaper[], j: Judgments, fixtures: string): Regime[] {
  return [
    { group: `${papers.length} papers (as given)`, papers, judgments: j, weight: 1 },
    ...smallerDays(papers, j, 0.5),
    ...smallerDays(papers, j, 0.3),
    largerDay(papers, j, fixtures),
  ];
}

/**
 * Days of an instance that follows only Hugging Face's daily papers: each list date of the recorded
 * lists in `fixtures/hf-daily-papers` (11–30 papers) is one day, judged by HF_DAY_JUDGMENTS (every
 * paper judged for every topic); its context is the other dates' papers (the same source's other
 * days). Papers keep the lists' AI summary and keywords, as the daily run stores them.
 */
export function hfDays(fixtures: string, file = HF_DAY_JUDGMENTS): InstanceDay[] {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Judgments & { fixtureDir: string };
  const dir = path.join(fixtures, j.fixtureDir);
  const byId = new Map<string, MatchPaper>();
  const listed = new Map<string, Set<string>>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    for (const r of parseHfDaily(readFileSync(path.join(dir, f), 'utf8'), f).records) {
      byId.set(r.id, { id: r.id, title: r.title, abstract: r.abstract, aiKeywords: r.aiKeywords, aiSummary: r.aiSummary, hfUpvotes: r.hfUpvotes });
      listed.set(r.listing.day, (listed.get(r.listing.day) ?? new Set()).add(r.id));
    }
  }
  return [...listed].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([day, ids]) => {
    const papers = [...ids].sort().map((id) => byId.get(id)!);
    const context = [...byId.values()].filter((p) => !ids.has(p.id));
    return { group: 'Hugging Face days', name: day, papers, ...judgeDay(papers, j), weight: 1, context };
  });
}

/**
 * A day never used in any choice: the recorded cs.AI listing of 2025-08-20 (86 papers: new and
 * cross-listed), with the ten topics of AI_DAY_JUDGMENTS — written from the titles and judged by two
 * judges apart, over every paper, before any matcher ran on the day. Its context stands for the
 * instance's earlier days: the cs papers of the other recorded listing (2024-11-28), the same field
 * nine months earlier.
 */
export function aiDay(fixtures: string, file = AI_DAY_JUDGMENTS): { papers: MatchPaper[]; judgments: Judgments; context: MatchPaper[] } {
  const j = JSON.parse(readFileSync(file, 'utf8')) as Judgments & { fixture: string };
  const where = path.join(fixtures, j.fixture);
  const papers = parseArxivListing(readFileSync(where, 'utf8'), where).records
    .map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, categories: r.categories }));
  return { papers, judgments: { topics: j.topics, qrels: j.qrels }, context: listingPapers(fixtures, CS_DAY_JUDGMENTS) };
}
