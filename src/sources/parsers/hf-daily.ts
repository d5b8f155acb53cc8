/**
 * Hugging Face Daily Papers (`/api/daily_papers`): a JSON array of items. The listing day is the
 * daily-list date `paper.submittedOnDailyAt` (UTC date), not the arXiv date. Every field except
 * `paper.id` and a title is optional. Pure.
 */
import type { PaperRecord } from '../../papers/types.js';
import { utcDay } from '../days.js';
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import type { EntrySkip } from './arxiv-listing.js';
import { ParseError } from './parse-error.js';
import { collapse, normalizeAbstract, optional, parseDate } from './text.js';

export interface ParsedHfDaily {
  records: PaperRecord[];
  skipped: EntrySkip[];
  /** Distinct listing days present, sorted. */
  days: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const httpUrl = (v: unknown): string | undefined => {
  const s = optional(str(v));
  return s && /^https?:\/\//i.test(s) ? s : undefined;
};

/**
 * `fallbackDay` is used for items without `submittedOnDailyAt` (older API answers) — the `date`
 * the request asked for, when it asked for one.
 */
export function parseHfDaily(json: string, where: string, fallbackDay?: string): ParsedHfDaily {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new ParseError(`${where}: not valid JSON: ${(err as Error).message}`, where);
  }
  if (!Array.isArray(data)) {
    const message = isObj(data) && typeof data.error === 'string' ? `: ${data.error}` : '';
    throw new ParseError(`${where}: expected a JSON array of daily papers${message}`, where);
  }
  const out: ParsedHfDaily = { records: [], skipped: [], days: [] };
  const days = new Set<string>();
  data.forEach((item, i) => {
    try {
      const r = hfRecord(item, fallbackDay);
      out.records.push(r);
      days.add(r.listing.day);
    } catch (err) {
      out.skipped.push({ position: i + 1, reason: (err as Error).message });
    }
  });
  out.days = [...days].sort();
  return out;
}

function hfRecord(item: unknown, fallbackDay: string | undefined): PaperRecord {
  if (!isObj(item)) throw new Error('item is not an object');
  const paper = isObj(item.paper) ? item.paper : item;
  const parsed = parseArxivId(str(paper.id));
  if (!parsed) throw new Error(`no arXiv id (paper.id ${JSON.stringify(paper.id ?? null)})`);
  const id = parsed.id;
  const title = collapse(str(item.title) ?? str(paper.title));
  if (!title) throw new Error(`${id}: empty title`);
  const listedAt = parseDate(str(paper.submittedOnDailyAt) ?? str(item.submittedOnDailyAt));
  const day = listedAt ? utcDay(listedAt) : fallbackDay;
  if (!day) throw new Error(`${id}: no daily-list date (submittedOnDailyAt)`);
  const authors = Array.isArray(paper.authors)
    ? paper.authors.map((a) => (isObj(a) ? collapse(str(a.name)) : '')).filter(Boolean)
    : [];
  const keywords = Array.isArray(paper.ai_keywords)
    ? paper.ai_keywords.map((k) => collapse(str(k))).filter(Boolean)
    : undefined;
  const org = isObj(item.organization) ? item.organization : isObj(paper.organization) ? paper.organization : undefined;
  const meta: Record<string, unknown> = {};
  if (org && str(org.fullname ?? org.name)) meta.organization = str(org.fullname) ?? str(org.name);
  const published = parseDate(str(paper.publishedAt));
  if (published) meta.publishedAt = published.toISOString();
  return {
    id,
    title,
    abstract: normalizeAbstract(str(item.summary) ?? str(paper.summary)),
    authors,
    categories: [],
    absUrl: absUrl(id),
    pdfUrl: pdfUrl(id),
    hfUpvotes: int(paper.upvotes),
    hfComments: int(item.numComments),
    githubRepo: httpUrl(paper.githubRepo),
    githubStars: int(paper.githubStars),
    projectPage: httpUrl(paper.projectPage),
    aiSummary: optional(str(paper.ai_summary)),
    aiKeywords: keywords,
    meta: Object.keys(meta).length ? meta : undefined,
    listing: { source: 'hf', day },
  };
}
