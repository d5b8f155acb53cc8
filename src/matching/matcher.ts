/**
 * Topic matching: parse the subscriber's topics, rank the day's papers against each, select by an
 * absolute score threshold and a per-subscriber maximum, and explain every selection.
 *
 *   validateTopic(topic)            throws TopicSyntaxError (message + 0-based position)
 *   createMatcher(papers, options)  builds the index once over the day's papers
 *   matcher.match(topics, opts)     ranked MatchHit[] for one subscriber
 *   matcher.matchTopic(topic, opts) the ranked selection for one topic (per-topic grouping)
 *
 * Pure: no I/O, deterministic (ties broken by HF upvotes, then paper id).
 */
import { shareTopicsInOrder } from './fair-share.js';
import { joinParts, mergeTopics } from './match-protocol.js';
import { TopicSyntaxError, type MatchHit, type MatchOptions, type MatchPaper, type MatchSignals, type TopicFeedback } from './types.js';
import { buildCorpusIndex, type CorpusIndex } from './corpus-index.js';
import { parseTopic, type ParsedTopic } from './query-parser.js';
import { compileTopic, idf, type CompiledTopic } from './compile-topic.js';
import { Scorer, type LexicalStage, type UserVectors } from './scorer.js';
import { tokenize } from './tokenize.js';
import { explain } from './explain.js';
import { DEFAULT_PARAMS, type RankingParams } from './params.js';
import { fieldParts, partOf } from './fields.js';
import { buildSemanticSpace, combineSpaces, spaceFromModel, unit, type SemanticModel, type SemanticSpace } from './semantic-space.js';
export type { SemanticModel };

export { TopicSyntaxError };
export { TOPIC_HELP, TOPIC_HELP_TEXT } from './topic-help.js';

export function validateTopic(topic: string): void {
  parseTopic(topic);
}

/**
 * Parsed topics are independent of the papers: one cache can serve every day's matcher. A parsed
 * topic takes ≈ 1.6 KB (30,000 bench topics: 48 MB), so it keeps as many as a matcher's result cache
 * (50,000): a topic parsed again past that is also scored again, which costs more than ten times as
 * much (≈ 40 µs against ≈ 500 µs on the bench day).
 */
export class TopicCache {
  private readonly parsed = new Map<string, ParsedTopic>();
  constructor(private readonly maxEntries = 50_000) {}
  parse(topic: string): ParsedTopic {
    let p = this.parsed.get(topic);
    if (!p) {
      p = parseTopic(topic);
      if (this.parsed.size >= this.maxEntries) this.parsed.clear();
      this.parsed.set(topic, p);
    }
    return p;
  }
}

/** One topic's cached selection for the day: papers and scores best first, explanations on demand. */
interface TopicSelection {
  docs: Int32Array;
  scores: Float64Array;
  why(k: number): string;
}

interface Selected {
  doc: number;
  score: number;
  /** Index in the TopicSelection. */
  k: number;
}

export interface Matcher {
  /** Rank the day's papers for one subscriber's topics; at most maxResults in total, each topic its fair share (fair-share.ts), best first. */
  match(topics: string[], options?: MatchOptions): MatchHit[];
  /** The selection for one topic alone (cached per topic string for this day's papers). */
  matchTopic(topic: string, options?: MatchOptions): MatchHit[];
  /** The number of papers indexed. */
  readonly size: number;
  /** On a mixed day, the parts it is matched in (the arXiv group of each, undefined for the rest, and their papers); absent otherwise. */
  readonly fields?: Array<{ field: string | undefined; papers: number }>;
}

export interface MatcherOptions {
  params?: Partial<RankingParams>;
  /** Share parsed topics across days/matchers. */
  topicCache?: TopicCache;
  /** How many distinct topics' results to keep for this day (subscribers share topics). */
  resultCacheSize?: number;
  /** The most papers kept per topic (the largest maxResults that will be asked; default 100). */
  maxPerTopic?: number;
  /**
   * A semantic model trained on a larger corpus of stored papers (`npm run build:semantic-model`,
   * loaded with `loadSemanticModel`): the day's papers are folded into it for topic–paper similarity
   * and related words. Without it, only the space learned from the day's papers is used.
   */
  background?: SemanticModel | null;
  /**
   * Earlier papers (e.g. the stored papers of the days before) that the index and the semantic space
   * learn from — word statistics, the space, feedback — but that are never selected. A small day
   * (a community instance following a few categories) is too few papers to learn a space from; with
   * context it is measured against the same field's recent papers. Give the most recent first: only
   * as many are used as complete the day to `contextPapers` (240); papers also in `papers` are skipped.
   */
  context?: MatchPaper[];
  /**
   * The index and semantic space of these same papers from `prepareDay`, reused when built with the
   * same title weight and dimensions (parameter searches build many matchers over one day).
   */
  prepared?: PreparedDay;
  /**
   * Match a day that mixes arXiv's fields as parts with a leading field each (default true; false
   * matches it as one day, for measurement).
   */
  splitFields?: boolean;
}

export interface PreparedDay {
  readonly papers: MatchPaper[];
  readonly context: MatchPaper[] | undefined;
  readonly titleWeight: number;
  /** The parameters the day's space was built with (spaceKey). */
  readonly spaceKey: string;
  readonly index: CorpusIndex;
  readonly space: SemanticSpace | undefined;
}

/** The index and the day's semantic space for `papers`, to share between matchers with different ranking parameters. */
export function prepareDay(papers: MatchPaper[], params: Partial<RankingParams> = {}, context?: MatchPaper[]): PreparedDay {
  const p = { ...DEFAULT_PARAMS, ...params };
  const index = buildCorpusIndex(withContext(papers, context, p.contextPapers), p.titleWeight);
  const space = p.semanticDims > 0 ? daySpace(index, p) : undefined;
  return { papers, context, titleWeight: p.titleWeight, spaceKey: spaceKey(p), index, space };
}

/**
 * The day's papers followed by the first context papers not among them, up to `target` papers in all
 * (the index's first papers.length docs are the selectable ones). Each of the two groups is put in
 * paper-id order: the index's term ids and the random projection of the semantic space follow the
 * order of the docs, so without it the same papers given in another order (a feed's order, a file's)
 * could select differently.
 */
function withContext(papers: MatchPaper[], context: MatchPaper[] | undefined, target: number): MatchPaper[] {
  const day = byId(papers);
  if (!context?.length || papers.length >= target) return day;
  const ids = new Set(papers.map((p) => p.id));
  const extra: MatchPaper[] = [];
  for (const p of context) {
    if (day.length + extra.length >= target) break;
    if (!ids.has(p.id)) { ids.add(p.id); extra.push(p); }
  }
  return [...day, ...byId(extra)];
}

/** The papers in id order (the array itself when it already is). */
function byId(papers: MatchPaper[]): MatchPaper[] {
  for (let i = 1; i < papers.length; i++) {
    if (papers[i - 1].id > papers[i].id) return [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return papers;
}

/** The parameters that decide the day's space: equal keys, the same space. */
export function spaceKey(p: RankingParams): string {
  return [p.semanticDims, p.semanticPapersPerDim, p.semanticMaxDims, p.semanticDocsPerDim, p.contextPapers].join('/');
}

/** Dimensions of the day's space before the small-day cap: semanticDims, or one per semanticPapersPerDim papers, at most semanticMaxDims. */
export function dayDims(papers: number, p: Pick<RankingParams, 'semanticDims' | 'semanticMaxDims' | 'semanticPapersPerDim'>): number {
  return Math.max(p.semanticDims, Math.min(p.semanticMaxDims, Math.floor(papers / p.semanticPapersPerDim)));
}

/** The semantic space learned from the day's papers (words in at least two of them). */
function daySpace(index: CorpusIndex, p: RankingParams): SemanticSpace {
  return buildSemanticSpace(index, { dims: dayDims(index.docs.length, p), minDf: 2, docsPerDim: p.semanticDocsPerDim });
}

/** How many topics' lexical stages a matcher keeps for subscribers with feedback (≈ 24 bytes per paper sharing a word with the topic: ≈ 30 KB a topic on a 3,000-paper day). */
const LEXICAL_STAGES = 5_000;

/**
 * How many compiled topics a day's matcher keeps (scoring needs a topic's once; an explanation asked
 * for later compiles it again): ≈ 4 KB each on the bench's 3,000-paper day.
 */
const COMPILED_TOPICS = 2_000;

/** How close (cosine in the day's space) a selected paper must be to a paper the subscriber wanted more of for its explanation to name that paper. */
const LIKE_WANTED = 0.7;

/**
 * The day's matcher. A day that mixes arXiv's fields (`fieldParts`: no group holds half of the
 * papers) is matched as parts that each have a leading field — word statistics, semantic space and
 * feedback learned within the part — and the parts' selections merged by score (docs/matching.md,
 * "A fifth kind of day"). Any other day is one part.
 */
export function createMatcher(papers: MatchPaper[], options: MatcherOptions = {}): Matcher {
  const parts = dayParts(papers, options);
  if (!parts) return dayMatcher(papers, options);
  const matchers = parts.map((part) => dayMatcher(part.papers, part.options));
  const resultCacheSize = options.resultCacheSize ?? 50_000;
  const joined = new Map<string, { max: number; hits: MatchHit[] }>();
  const merge = (lists: MatchHit[][], max: number): MatchHit[] => lists.flat()
    .sort((a, b) => b.score - a.score || a.topicIndex - b.topicIndex || (a.paperId < b.paperId ? -1 : 1))
    .slice(0, max);
  return {
    size: papers.length,
    fields: parts.map((p) => ({ field: p.field, papers: p.papers.length })),
    matchTopic(topic, opts = {}) {
      return merge(matchers.map((m) => m.matchTopic(topic, opts)), opts.maxResults ?? 20);
    },
    match(topics, opts = {}) {
      // Each topic's selection over the whole day (its parts' selections together, best first, as a
      // match pool's caller has them), then shared between the topics (mergeTopics). A topic without
      // the subscriber's feedback or signals is joined once (at the size last asked), not per subscriber.
      const max = opts.maxResults ?? 20;
      const perTopic = topics.map((topic) => {
        if (!topic.trim()) return [];
        const keep = resultCacheSize > 0 && !opts.signals && !opts.feedback?.get(topic);
        const have = keep ? joined.get(topic) : undefined;
        if (have && have.max === max) return have.hits;
        const hits = joinParts(matchers.map((m) => m.matchTopic(topic, { ...opts, maxResults: max })));
        if (keep) {
          if (!have && joined.size >= resultCacheSize) joined.clear();
          joined.set(topic, { max, hits });
        }
        return hits;
      });
      return mergeTopics(topics, perTopic, max);
    },
  };
}

/**
 * The parts a day is matched in (undefined: one, the whole day), each with its papers and the options
 * its own matcher is built with (`createMatcher(part.papers, part.options)` is that part's matcher):
 * a mixed day's fields (see createMatcher), each learning from the context papers of its own field.
 */
export function dayParts(papers: MatchPaper[], options: MatcherOptions = {}): Array<{ field: string | undefined; papers: MatchPaper[]; options: MatcherOptions }> | undefined {
  const parts = options.splitFields === false ? undefined : fieldParts(papers);
  return parts?.map((part, i) => ({
    field: part.field,
    papers: part.papers,
    options: { ...options, prepared: undefined, splitFields: false, context: options.context?.filter((p) => partOf(parts, p) === i) },
  }));
}

function dayMatcher(papers: MatchPaper[], options: MatcherOptions): Matcher {
  const params: RankingParams = { ...DEFAULT_PARAMS, ...options.params };
  const pre = options.prepared;
  const reuse = pre && pre.papers === papers && pre.context === options.context && pre.titleWeight === params.titleWeight && pre.spaceKey === spaceKey(params) ? pre : undefined;
  const index: CorpusIndex = reuse ? reuse.index : buildCorpusIndex(withContext(papers, options.context, params.contextPapers), params.titleWeight);
  const wanted = params.semanticWeight > 0 || params.expansionWeight > 0;
  const day = wanted && params.semanticDims > 0 && (!options.background || params.useDaySpace)
    ? (reuse ? reuse.space : daySpace(index, params)) : undefined;
  const bg = wanted && options.background ? spaceFromModel(options.background, index) : undefined;
  const space: SemanticSpace | undefined = day && bg ? combineSpaces(day, bg) : day ?? bg;
  const scorer = new Scorer(index, params, space, papers.length);
  const expansion = space ? { space, weight: params.expansionWeight, minSim: params.expansionMinSim, terms: params.expansionTerms, cache: new Map() } : undefined;
  const topicCache = options.topicCache ?? new TopicCache();
  const resultCacheSize = options.resultCacheSize ?? 50_000;
  const maxPerTopic = options.maxPerTopic ?? 100;
  const compiled = new Map<string, CompiledTopic>();
  const results = new Map<string, TopicSelection>();
  // Subscribers with feedback on the same topic share its lexical stage (their feedback changes only what follows).
  const lexicalStages = new Map<string, LexicalStage>();

  /** The topic bound to the day's index: kept for the last COMPILED_TOPICS topics, compiled again when asked after that. */
  function compiledTopic(topic: string): CompiledTopic {
    let c = compiled.get(topic);
    if (!c) {
      c = compileTopic(topicCache.parse(topic), index, params.proximityWeight, expansion, params.compoundSourceWeight, params.rareWordRatio, params.openedCompoundCredit);
      if (compiled.size >= COMPILED_TOPICS) compiled.clear();
      compiled.set(topic, c);
    }
    return c;
  }

  /**
   * A topic's selection as the result cache keeps it: the papers, their scores and facets, and the
   * explanations made so far. It holds no compiled topic: on the bench day the 30,000 topics of a
   * one-thread run, compiled in both of its parts, held 240 of its 510 MB of live heap. An
   * explanation asked for after the topic has left `compiled` compiles it again, which gives the
   * same explanation.
   */
  function selection(topic: string, docs: Int32Array, scores: Float64Array, facets: Int32Array, related: number[],
    user: (UserVectors & { wanted: MatchPaper[] }) | undefined): TopicSelection {
    const whys: string[] = [];
    return {
      docs,
      scores,
      why(k) {
        return (whys[k] ??= explain(index, scorer, topicCache.parse(topic), compiledTopic(topic), { doc: docs[k], score: scores[k], facet: facets[k] }, related)
          + (user ? likeWanted(user, docs[k]) : ''));
      },
    };
  }

  /**
   * All papers above the threshold for one topic, best first (compact; explanations made on demand).
   * With the subscriber's feedback the selection is theirs alone and is not cached.
   */
  function selectTopic(topic: string, feedback?: TopicFeedback): TopicSelection {
    const user = feedback ? userVectors(feedback) : undefined;
    const cached = user ? undefined : results.get(topic);
    if (cached) return cached;
    const stage = user ? lexicalStages.get(topic) : undefined;
    const { hits, related, lexical } = scorer.score(compiledTopic(topic), params.threshold, maxPerTopic, user, stage ?? (user ? 'keep' : undefined));
    if (lexical) {
      if (lexicalStages.size >= LEXICAL_STAGES) lexicalStages.clear();
      lexicalStages.set(topic, lexical);
    }
    const sel = selection(topic, Int32Array.from(hits, (h) => h.doc), Float64Array.from(hits, (h) => round(h.score)),
      Int32Array.from(hits, (h) => h.facet), related, user);
    if (resultCacheSize > 0 && !user) {
      if (results.size >= resultCacheSize) results.clear();
      results.set(topic, sel);
    }
    return sel;
  }


  let docOf: Map<string, number> | undefined;
  // Subscribers judge the same papers: each one is placed once per day.
  const placedPapers = new Map<string, Float64Array | null>();
  /** A judged paper as a unit vector of the day's space (see placePaper), placed once per day. */
  function paperVector(paper: MatchPaper): Float64Array | null {
    let v = placedPapers.get(paper.id);
    if (v === undefined) {
      if (placedPapers.size >= 100_000) placedPapers.clear();
      placedPapers.set(paper.id, (v = placePaper(paper)));
    }
    return v;
  }
  /**
   * A paper as a vector of the day's space: its own when it is indexed today (as context: a paper the
   * subscriber was sent is never selected again), else folded in from its words (log tf × IDF, the
   * title counted as in the index), like a topic. Null when the space knows none of its words.
   */
  function placePaper(paper: MatchPaper): Float64Array | null {
    docOf ??= new Map(index.docs.map((d, i) => [d.paper.id, i]));
    const d = docOf.get(paper.id);
    if (d !== undefined) return space!.docsVector([{ doc: d, weight: 1 }]);
    const tf = new Map<number, number>();
    const add = (text: string | undefined, w: number) => {
      for (const t of tokenize(text ?? '', { fused: true })) {
        const id = index.termIds.get(t.term);
        if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + w);
      }
    };
    add(paper.title, index.titleWeight);
    add(paper.abstract, 1);
    add(paper.aiSummary, 1);
    add(paper.aiKeywords?.join(' ; '), 1);
    const n = index.docs.length;
    return space!.queryVector([...tf].map(([termId, f]) => ({ termId, weight: (1 + Math.log(f)) * idf(n, index.df[termId]) })));
  }

  /** The unit centroid of the papers' vectors (each counts the same), or null. */
  function centroid(list: MatchPaper[]): Float64Array | null {
    let sum: Float64Array | null = null;
    for (const paper of list) {
      const v = paperVector(paper);
      if (!v) continue;
      sum ??= new Float64Array(v.length);
      for (let o = 0; o < v.length; o++) sum[o] += v[o];
    }
    return sum && unit(sum);
  }

  /** The subscriber's feedback under one topic as vectors of the day's space (undefined: nothing to use). */
  function userVectors(fb: TopicFeedback): (UserVectors & { wanted: MatchPaper[] }) | undefined {
    if (!space?.dims || (params.userMoreWeight <= 0 && params.userLessWeight <= 0 && params.userNearMore <= 0 && params.userNearLess <= 0)) return undefined;
    const more = params.userMoreWeight > 0 ? centroid(fb.more) : null;
    const less = params.userLessWeight > 0 ? centroid(fb.less) : null;
    const placed = (list: MatchPaper[]) => list.flatMap((paper) => { const v = paperVector(paper); return v ? [{ paper, v }] : []; });
    // The wanted papers' own vectors also name, in the explanation, the one a selected paper is like.
    const wanted = placed(fb.more);
    const lessDocs = params.userNearLess > 0 ? placed(fb.less).map((x) => x.v) : [];
    return more || less || wanted.length || lessDocs.length
      ? { more, less, moreDocs: wanted.map((x) => x.v), lessDocs, wanted: wanted.map((x) => x.paper) }
      : undefined;
  }

  /**
   * For the explanation: the wanted paper a selected paper is most like, when it is close (cosine ≥
   * LIKE_WANTED in the day's space) — the subscriber sees their own click at work.
   */
  function likeWanted(user: UserVectors & { wanted: MatchPaper[] }, doc: number): string {
    let best = LIKE_WANTED;
    let title: string | undefined;
    user.moreDocs.forEach((v, i) => {
      const c = space!.docCosine(v, doc);
      if (c >= best) { best = c; title = user.wanted[i].title; }
    });
    if (!title) return '';
    const t = title.replace(/\s+/g, ' ').trim();
    return `; like "${t.length > 70 ? `${t.slice(0, 67).trimEnd()}…` : t}", which you wanted more of`;
  }

  /**
   * The selection's first `max` papers: in its own order, or reordered by the signals (every paper
   * rescored first). A subscriber's list never looks past a topic's first `max` (shareTopics).
   */
  function list(sel: TopicSelection, signals: MatchSignals | undefined, max: number): Selected[] {
    const out: Selected[] = [];
    const n = signals ? sel.docs.length : Math.min(sel.docs.length, max);
    for (let k = 0; k < n; k++) {
      const doc = sel.docs[k];
      out.push({ doc, score: signals ? round(applySignals(sel.scores[k], index.docs[doc].paper, signals)) : sel.scores[k], k });
    }
    if (signals) {
      out.sort((a, b) => b.score - a.score || (index.docs[a.doc].paper.id < index.docs[b.doc].paper.id ? -1 : 1));
      out.length = Math.min(out.length, Math.max(0, max));
    }
    return out;
  }

  return {
    size: papers.length,
    matchTopic(topic, opts = {}) {
      const max = opts.maxResults ?? 20;
      const sel = selectTopic(topic, opts.feedback?.get(topic));
      return list(sel, opts.signals, max).map((h) => ({
        paperId: index.docs[h.doc].paper.id, topicIndex: 0, topic, score: h.score, why: sel.why(h.k),
      }));
    },
    match(topics, opts = {}) {
      const max = opts.maxResults ?? 20;
      const sels = topics.map((topic) => (topic.trim() ? selectTopic(topic, opts.feedback?.get(topic)) : undefined));
      return shareTopicsInOrder(sels.map((sel) => (sel ? list(sel, opts.signals, max) : [])), max, (h) => h.doc, (h) => h.score)
        .map(({ hit: h, topicIndex }) => ({ paperId: index.docs[h.doc].paper.id, topicIndex, topic: topics[topicIndex], score: h.score, why: sels[topicIndex]!.why(h.k) }));
    },
  };
}

/**
 * Later signals, applied after selection so they reorder but never admit a paper by themselves:
 * HF upvotes as a small trending boost.
 */
function applySignals(score: number, paper: MatchPaper, s: MatchSignals): number {
  let v = score;
  if (s.trendingWeight && paper.hfUpvotes) v *= 1 + s.trendingWeight * Math.log1p(paper.hfUpvotes) / Math.log1p(1000);
  return v;
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
