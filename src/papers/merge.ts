/**
 * Pure merging of source records into one stored paper (see docs/sources.md, "One paper per work").
 * - Bibliographic fields (title, abstract, authors, version, links, licence) come from arXiv; the
 *   record with the highest version wins, and Hugging Face only fills them for a paper arXiv has not
 *   shown us yet.
 * - Categories and sources are unions; DOI, journal ref, comment and dates are filled or updated by
 *   arXiv records of the same or a newer version.
 * - Hugging Face fields (upvotes, repo, stars, summary, keywords) take the latest HF record.
 * - announcedOn / hfDate are the earliest arXiv / HF listing days seen.
 * The content hash covers every stored field, so re-merging the same input yields the same hash.
 */
import { createHash } from 'node:crypto';
import type { PaperRecord, SourceName } from './types.js';

export interface PaperRow {
  id: string;
  version: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  primaryCategory: string | null;
  absUrl: string;
  pdfUrl: string | null;
  doi: string | null;
  journalRef: string | null;
  comment: string | null;
  license: string | null;
  submittedAt: string | null; // ISO instant
  versionDate: string | null;
  announcedOn: string | null; // YYYY-MM-DD
  hfDate: string | null;
  hfUpvotes: number | null;
  hfComments: number | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[];
  sources: string[];
  meta: PaperMeta;
}

export interface PaperMeta {
  /** Which source supplied title/abstract/authors. */
  textSource?: SourceName;
  /** Hash of the last record seen from each source: identical input is skipped without a merge. */
  inputHashes?: Partial<Record<SourceName, string>>;
  /** Per-source extras without a column (affiliations, HF organisation, …). */
  extra?: Record<string, unknown>;
  [k: string]: unknown;
}

const isArxiv = (s: SourceName) => s === 'arxiv-rss' || s === 'arxiv-api';

function union(a: string[], b: string[]): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);
const minDay = (a: string | null, b: string) => (a === null || b < a ? b : a);

// recordHash runs on every record of every run (it is what makes a re-run cheap), so it avoids
// JSON.stringify: fields are joined with control characters that XML text cannot hold; a string that
// does hold one (possible in JSON sources) is JSON-escaped behind a marker, so the encoding stays
// one-to-one. ABSENT marks undefined/null.
const FIELD = '\u0000';
const ITEM = '\u0001';
const ESCAPED = '\u0002';
const ABSENT = '\u0003';
const CONTROL = /[\u0000-\u0003]/;
const str = (s: string | undefined | null) => (s == null ? ABSENT : CONTROL.test(s) ? ESCAPED + JSON.stringify(s) : s);
const num = (n: number | undefined | null) => (n == null ? ABSENT : String(n));
const list = (xs: string[] | undefined) => (xs === undefined ? ABSENT : xs.length + ITEM + xs.map(str).join(ITEM));

/** Stable hash of one incoming record (everything the merge reads from it). */
export function recordHash(r: PaperRecord): string {
  const key = [
    str(r.id), num(r.version), str(r.title), str(r.abstract), list(r.authors), list(r.categories), str(r.primaryCategory),
    str(r.absUrl), str(r.pdfUrl), str(r.doi), str(r.journalRef), str(r.comment), str(r.license), str(iso(r.submittedAt)),
    str(iso(r.versionDate)), num(r.hfUpvotes), num(r.hfComments), str(r.githubRepo), num(r.githubStars), str(r.projectPage),
    str(r.aiSummary), list(r.aiKeywords), r.meta == null ? ABSENT : JSON.stringify(r.meta), r.listing.source,
    r.listing.day, str(r.listing.announceType), r.updateOnly ? '1' : r.unlisted ? '2' : '0',
  ].join(FIELD);
  return hash(key);
}

/** Hash of the stored fields of a row (meta.inputHashes excluded: it records input, not content). */
export function rowHash(row: PaperRow): string {
  const { meta, ...rest } = row;
  const { inputHashes: _ignored, ...metaRest } = meta;
  return hash(JSON.stringify([rest, sortKeys(metaRest)]));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

function hash(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('base64url');
}

/** Merge one record into a stored row (or create the row). Does not mutate `row`. */
export function mergeRecord(row: PaperRow | undefined, r: PaperRecord, inputHash = recordHash(r)): PaperRow {
  const src = r.listing.source;
  const base: PaperRow = row
    ? { ...row, meta: { ...row.meta, inputHashes: { ...row.meta.inputHashes }, extra: { ...row.meta.extra } } }
    : {
        id: r.id, version: r.version ?? 1, title: r.title, abstract: r.abstract, authors: r.authors,
        categories: [], primaryCategory: null, absUrl: r.absUrl, pdfUrl: r.pdfUrl ?? null, doi: null,
        journalRef: null, comment: null, license: null, submittedAt: null, versionDate: null, announcedOn: null,
        hfDate: null, hfUpvotes: null, hfComments: null, githubRepo: null, githubStars: null, projectPage: null,
        aiSummary: null, aiKeywords: [], sources: [], meta: { textSource: src, inputHashes: {}, extra: {} },
      };
  const out = base;
  const incomingVersion = r.version ?? (isArxiv(src) ? 1 : 0);
  const newer = isArxiv(src) && (incomingVersion >= out.version || out.meta.textSource === 'hf');
  const sameOrNewer = isArxiv(src) && incomingVersion >= out.version;
  if (!row || newer) {
    out.title = r.title || out.title;
    out.abstract = r.abstract || out.abstract;
    if (r.authors.length) out.authors = r.authors;
    out.absUrl = r.absUrl;
    if (r.pdfUrl) out.pdfUrl = r.pdfUrl;
    if (r.license) out.license = r.license;
    if (isArxiv(src)) out.version = Math.max(incomingVersion, row && out.meta.textSource !== 'hf' ? out.version : 0);
    if (isArxiv(src) || !row) out.meta.textSource = src;
  }
  if (r.primaryCategory && (sameOrNewer || !out.primaryCategory)) out.primaryCategory = r.primaryCategory;
  out.categories = union(out.primaryCategory ? [out.primaryCategory] : [], union(out.categories, r.categories));
  const fill = <K extends 'doi' | 'journalRef' | 'comment'>(k: K, v: string | undefined) => {
    if (v !== undefined && (sameOrNewer || out[k] === null)) out[k] = v;
  };
  fill('doi', r.doi);
  fill('journalRef', r.journalRef);
  fill('comment', r.comment);
  if (r.submittedAt && (sameOrNewer || !out.submittedAt)) out.submittedAt = iso(r.submittedAt);
  if (r.versionDate && (sameOrNewer || !out.versionDate)) out.versionDate = iso(r.versionDate);
  if (src === 'hf') {
    if (r.hfUpvotes !== undefined) out.hfUpvotes = r.hfUpvotes;
    if (r.hfComments !== undefined) out.hfComments = r.hfComments;
    if (r.githubRepo !== undefined) out.githubRepo = r.githubRepo;
    if (r.githubStars !== undefined) out.githubStars = r.githubStars;
    if (r.projectPage !== undefined) out.projectPage = r.projectPage;
    if (r.aiSummary !== undefined) out.aiSummary = r.aiSummary;
    if (r.aiKeywords !== undefined) out.aiKeywords = r.aiKeywords;
  }
  if (!r.updateOnly && !r.unlisted) {
    if (isArxiv(src)) out.announcedOn = minDay(out.announcedOn, r.listing.day);
    else out.hfDate = minDay(out.hfDate, r.listing.day);
  }
  out.sources = union(out.sources, [src]);
  if (r.meta) out.meta.extra = { ...out.meta.extra, [src]: r.meta };
  out.meta.inputHashes = { ...out.meta.inputHashes, [src]: inputHash };
  return out;
}
