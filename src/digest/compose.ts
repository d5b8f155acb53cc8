/**
 * Pure: turns the papers a delivery carries into the view model that the HTML template, the
 * plain-text template and the web view all render (the text part is rendered from the same data,
 * never scraped from HTML). Every string in the view is plain, cleaned, bounded text; every URL is
 * http(s) or absent. Templates still escape everything: this is the second line, not the first.
 */
import { latexToText } from './latex.js';
import { safeUrl } from './safe-url.js';
import { cleanText, oneLine } from './text.js';

export { oneLine, cleanText } from './text.js';

export type Frequency = 'daily' | 'weekly';

export interface DigestPaperInput {
  paperId: string;
  topic: string;
  /** Position chosen by the matcher (1 = best): relevance first, upvotes as a trending signal. */
  rank: number;
  score: number;
  why: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  absUrl: string;
  pdfUrl?: string | null;
  githubRepo?: string | null;
  projectPage?: string | null;
  hfUpvotes?: number | null;
  aiSummary?: string | null;
  hfDate?: Date | null;
}

export interface DigestLinks {
  manage: string;
  unsubscribe: string;
  webView: string;
}

export interface PaperLink {
  label: string;
  url: string;
}

/** The subscriber's "More like this" / "Less like this" links of one paper (absolute http(s) URLs). */
export interface FeedbackLinks {
  more: string;
  less: string;
}

export interface DigestViewPaper {
  id: string;
  title: string;
  /** The abstract page ('' when the source gave no usable URL: the title is then not a link). */
  url: string;
  authors: string;
  categories: string;
  /** True when there is a categories / upvotes line to show. */
  meta: boolean;
  excerpt: string;
  /** Set when the excerpt is Hugging Face's AI summary rather than the abstract. */
  summaryLabel?: string;
  why: string;
  /** PDF, code, project page, Hugging Face: only the ones known, all http(s). */
  links: PaperLink[];
  upvotes?: number;
  upvotesLabel?: string;
  /** Set when the digest carries feedback links (a stored delivery): they depend on the delivery, not only the paper. */
  feedback?: FeedbackLinks;
  /** Identity of the cached per-paper part (everything but `why`): lets templates memoize its rendering. */
  memoKey?: object;
}

export interface DigestGroup {
  topic: string;
  count: number;
  papers: DigestViewPaper[];
}

export interface DigestView {
  /** `nothing`: the optional "nothing today" note (no paper matched). */
  kind: 'digest' | 'nothing';
  frequency: Frequency;
  weekly: boolean;
  nothing: boolean;
  date: string;
  dateLabel: string;
  /** "Tuesday 3 March 2026" or "25 February – 3 March 2026". */
  periodLabel: string;
  subject: string;
  preheader: string;
  heading: string;
  intro: string;
  paperCount: number;
  groups: DigestGroup[];
  /** The subscriber's topics, for "why you received this". */
  topics: string[];
  reason: string;
  links: DigestLinks;
  postalAddress: string;
  /** Set by the web view renderer: hides the preheader and the "view in browser" link. */
  isWebView?: boolean;
}

export interface ComposeInput {
  date: string;
  frequency?: Frequency;
  papers: DigestPaperInput[];
  links: DigestLinks;
  postalAddress: string;
  topics?: string[];
  /** Cap on papers in this digest (the subscriber's maximum); never more than MAX_PAPERS. */
  maxPapers?: number;
  /** Builds a paper's "More like this" / "Less like this" link (links.feedback of the delivery); none without it. */
  feedback?: (paperId: string, choice: 'more' | 'less') => string;
}

export const MAX_PAPERS = 100;
const EXCERPT_CHARS = 320;
const TITLE_CHARS = 300;
// Raw text read for an excerpt: LaTeX rarely shrinks more than 2.5×, so this always fills the excerpt.
const RAW_EXCERPT_CHARS = EXCERPT_CHARS * 3;
const MAX_AUTHORS_SHOWN = 3;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function parseDay(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`digest date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return new Date(`${date}T00:00:00Z`);
}

/** "Tuesday 3 March 2026" — fixed English, independent of the ICU build (golden files stay stable). */
export function dayLabel(date: string): string {
  const d = parseDay(date);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "25 February – 3 March 2026": the seven days ending on `date`. */
export function weekLabel(date: string): string {
  const end = parseDay(date);
  const start = new Date(end.getTime() - 6 * 86_400_000);
  const left = start.getUTCFullYear() !== end.getUTCFullYear()
    ? `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]} ${start.getUTCFullYear()}`
    : start.getUTCMonth() !== end.getUTCMonth() ? `${start.getUTCDate()} ${MONTHS[start.getUTCMonth()]}` : `${start.getUTCDate()}`;
  return `${left} – ${end.getUTCDate()} ${MONTHS[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
}

/** One author name: TeX accents resolved, cleaned, bounded. */
function authorName(raw: string): string {
  return oneLine(latexToText(cleanText(raw.slice(0, 300))), 80);
}

/** "A, B and C" up to four names; "A, B, C and 9 others" beyond. */
export function shortAuthors(authors: string[], max = MAX_AUTHORS_SHOWN): string {
  const total = authors.length;
  if (total <= max + 1) {
    const names = authors.map(authorName).filter(Boolean);
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  }
  const shown = authors.slice(0, max).map(authorName).filter(Boolean);
  const others = total - shown.length;
  return `${shown.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}`;
}

/**
 * About three lines of `text`: whole when short, else cut at the last sentence end past half the
 * budget, else at a word boundary with an ellipsis. The input is bounded first, so a megabyte of
 * abstract costs no more than a normal one.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const clean = text.slice(0, max * 3).replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
  if (sentenceEnd > max * 0.5) return cut.slice(0, sentenceEnd + 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > max * 0.6 ? lastSpace : max).replace(/[,;:.\s]+$/, '')}…`;
}

function categoriesLabel(categories: string[]): string {
  const seen: string[] = [];
  for (const c of categories) {
    const clean = oneLine(cleanText(String(c)), 40);
    if (clean && !seen.includes(clean)) seen.push(clean);
  }
  const shown = seen.slice(0, 4);
  return seen.length > shown.length ? `${shown.join(' · ')} +${seen.length - shown.length}` : shown.join(' · ');
}

const ARXIV_NEW_ID = /^\d{4}\.\d{4,5}$/;
const HTTP_URL = /^https?:\/\//i;
const GITHUB_SHORT = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

function paperLinks(p: DigestPaperInput): PaperLink[] {
  const links: PaperLink[] = [];
  const add = (label: string, raw: unknown) => {
    const url = safeUrl(raw);
    if (url && !links.some((l) => l.url === url)) links.push({ label, url });
  };
  add('PDF', p.pdfUrl);
  const repo = typeof p.githubRepo === 'string' && GITHUB_SHORT.test(p.githubRepo.trim()) ? `https://github.com/${p.githubRepo.trim()}` : p.githubRepo;
  add('Code', repo);
  add('Project page', p.projectPage);
  if ((p.hfUpvotes != null || p.hfDate || p.aiSummary) && ARXIV_NEW_ID.test(p.paperId)) add('Hugging Face', `https://huggingface.co/papers/${p.paperId}`);
  return links;
}

/** A paper's title as every digest and page shows it: TeX resolved, cleaned, one bounded line. */
export function displayTitle(raw: string): string {
  return oneLine(latexToText(cleanText(raw.slice(0, TITLE_CHARS * 3))), TITLE_CHARS) || 'Untitled';
}

/** A topic as a digest heading shows it. */
export function displayTopic(raw: string): string {
  return oneLine(cleanText(raw), 120) || 'Your topics';
}

function composePaper(p: DigestPaperInput): DigestViewPaper {
  const summary = p.aiSummary ? cleanText(p.aiSummary.slice(0, RAW_EXCERPT_CHARS)) : '';
  const source = summary || cleanText(p.abstract.slice(0, RAW_EXCERPT_CHARS));
  // Zero upvotes is shown as nothing: "▲ 0" reads as a negative signal, and most papers have none.
  const upvotes = typeof p.hfUpvotes === 'number' && Number.isFinite(p.hfUpvotes) && p.hfUpvotes >= 1 ? Math.floor(p.hfUpvotes) : undefined;
  const categories = categoriesLabel(p.categories);
  const absUrl = safeUrl(p.absUrl) || (ARXIV_NEW_ID.test(p.paperId) ? `https://arxiv.org/abs/${p.paperId}` : '');
  return {
    id: oneLine(cleanText(p.paperId), 40),
    title: displayTitle(p.title),
    url: absUrl,
    authors: shortAuthors(p.authors),
    categories,
    meta: categories !== '' || upvotes !== undefined,
    excerpt: excerpt(latexToText(source)),
    ...(summary ? { summaryLabel: 'AI summary (Hugging Face)' } : {}),
    why: oneLine(cleanText(p.why.slice(0, 600)), 200),
    links: paperLinks(p),
    ...(upvotes !== undefined ? { upvotes, upvotesLabel: `${upvotes} ${upvotes === 1 ? 'upvote' : 'upvotes'}` } : {}),
  };
}

/**
 * A bounded memo of composed papers. The same paper appears in thousands of digests of one run and
 * its view depends only on the paper's own fields, so a process may keep one cache for all its
 * deliveries (the delivery service does). An entry is reused only when every input field is equal,
 * so an updated paper (new upvotes, a new version) is composed afresh.
 */
export interface PaperViewCache {
  get(p: DigestPaperInput): PaperCard | undefined;
  set(p: DigestPaperInput, view: PaperCard): void;
}

/** The part of a paper's view that depends only on the paper. */
export type PaperCard = Readonly<Omit<DigestViewPaper, 'why' | 'memoKey'>>;

type PaperFields = Omit<DigestPaperInput, 'topic' | 'rank' | 'score' | 'why'>;

function sameArray(a: string[], b: string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function samePaper(a: PaperFields, b: DigestPaperInput): boolean {
  return a.paperId === b.paperId && a.title === b.title && a.abstract === b.abstract && a.absUrl === b.absUrl
    && (a.pdfUrl ?? null) === (b.pdfUrl ?? null) && (a.githubRepo ?? null) === (b.githubRepo ?? null)
    && (a.projectPage ?? null) === (b.projectPage ?? null) && (a.hfUpvotes ?? null) === (b.hfUpvotes ?? null)
    && (a.aiSummary ?? null) === (b.aiSummary ?? null) && (a.hfDate?.getTime() ?? null) === (b.hfDate?.getTime() ?? null)
    && sameArray(a.authors, b.authors) && sameArray(a.categories, b.categories);
}

export function createPaperViewCache(maxEntries = 5000): PaperViewCache {
  const entries = new Map<string, { fields: PaperFields; view: PaperCard }>();
  return {
    get(p) {
      const e = entries.get(p.paperId);
      return e && samePaper(e.fields, p) ? e.view : undefined;
    },
    set(p, view) {
      if (entries.size >= maxEntries && !entries.has(p.paperId)) entries.delete(entries.keys().next().value!);
      const { topic: _t, rank: _r, score: _s, why: _w, ...fields } = p;
      entries.set(p.paperId, { fields, view });
    },
  };
}

function composePaperCached(p: DigestPaperInput, cache: PaperViewCache | undefined, feedback: FeedbackLinks | undefined): DigestViewPaper {
  if (!cache) return { ...composePaper(p), feedback };
  let card = cache.get(p);
  if (!card) {
    const { why: _why, ...rest } = composePaper(p);
    card = Object.freeze(rest);
    cache.set(p, card);
  }
  return { ...card, why: oneLine(cleanText(p.why.slice(0, 600)), 200), feedback, memoKey: card };
}

/**
 * A paper's feedback links, from the delivery's builder (PUBLIC_BASE_URL, validated as http(s) at
 * start, and a token). The template's safeUrl still gates every href; only the form is checked here.
 */
function feedbackLinks(p: DigestPaperInput, build: ComposeInput['feedback']): FeedbackLinks | undefined {
  if (!build) return undefined;
  const more = build(p.paperId, 'more');
  const less = build(p.paperId, 'less');
  return HTTP_URL.test(more) && HTTP_URL.test(less) ? { more, less } : undefined;
}

function byRank(a: DigestPaperInput, b: DigestPaperInput): number {
  return a.rank - b.rank || b.score - a.score || (b.hfUpvotes ?? 0) - (a.hfUpvotes ?? 0) || (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : 0);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function composeDigest(input: ComposeInput, options: { cache?: PaperViewCache } = {}): DigestView {
  const frequency: Frequency = input.frequency ?? 'daily';
  const weekly = frequency === 'weekly';
  const cap = Math.max(0, Math.min(input.maxPapers ?? MAX_PAPERS, MAX_PAPERS));
  const sorted = [...input.papers].sort(byRank).slice(0, cap);

  // Groups in the order of their best paper; papers in rank order within a group.
  const groups: DigestGroup[] = [];
  const byTopic = new Map<string, DigestGroup>();
  for (const p of sorted) {
    const topic = displayTopic(p.topic);
    let g = byTopic.get(topic);
    if (!g) {
      g = { topic, count: 0, papers: [] };
      byTopic.set(topic, g);
      groups.push(g);
    }
    const paper = composePaperCached(p, options.cache, feedbackLinks(p, input.feedback));
    g.papers.push(paper);
    g.count++;
  }

  const n = sorted.length;
  const dateLabel = dayLabel(input.date);
  const periodLabel = weekly ? weekLabel(input.date) : dateLabel;
  const topics = (input.topics ?? []).slice(0, 50).map((t) => oneLine(cleanText(t), 120)).filter(Boolean);
  const nothing = n === 0;
  const reason = `You receive this ${weekly ? 'weekly' : 'daily'} digest because you subscribed to Paperboy${topics.length ? ` with ${topics.length === 1 ? 'this topic' : 'these topics'}` : ''}.`;

  let subject: string;
  let heading: string;
  let intro: string;
  let preheader: string;
  if (nothing) {
    subject = weekly ? `No new papers on your topics this week — ${periodLabel}` : `No new papers on your topics today — ${dateLabel}`;
    heading = weekly ? 'A quiet week' : 'Nothing new today';
    intro = weekly ? 'No new paper matched your topics this week.' : 'No new paper matched your topics in today’s listings.';
    preheader = 'No new papers matched your topics.';
  } else {
    const top = groups[0].papers[0].title;
    subject = weekly
      ? `Your week in papers: ${plural(n, 'new paper', 'new papers')} — ${periodLabel}`
      : `${plural(n, 'new paper', 'new papers')} for you — ${dateLabel}`;
    heading = weekly ? `Your week in papers` : `Your papers for ${dateLabel}`;
    intro = `${plural(n, 'paper', 'papers')} matched ${groups.length === 1 ? 'one of your topics' : `${groups.length} of your topics`}${weekly ? ` in the week ${periodLabel}` : ''}.`;
    const more = groups.length > 1 ? ` · also ${groups.slice(1, 3).map((g) => g.topic).join(', ')}${groups.length > 3 ? '…' : ''}` : '';
    preheader = `${groups[0].topic}: ${top}${more}`;
  }

  return {
    kind: nothing ? 'nothing' : 'digest',
    frequency,
    weekly,
    nothing,
    date: input.date,
    dateLabel,
    periodLabel,
    subject: oneLine(subject, 140),
    preheader: oneLine(preheader, 180),
    heading: oneLine(heading, 140),
    intro,
    paperCount: n,
    groups,
    topics,
    reason,
    links: {
      manage: safeUrl(input.links.manage),
      unsubscribe: safeUrl(input.links.unsubscribe),
      webView: safeUrl(input.links.webView),
    },
    postalAddress: oneLine(cleanText(input.postalAddress), 300),
  };
}
