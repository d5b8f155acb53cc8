/**
 * arXiv export API answers (Atom 1.0), in both serializations (legacy: namespaces declared inline,
 * hard-wrapped text, http links; new: namespaces on the root, https links). Elements are selected by
 * namespace and name, never by position. Error answers (an entry whose id is under /api/errors) are
 * reported as `apiError`, not as papers. Pure.
 */
import type { PaperRecord } from '../../papers/types.js';
import { announcementDayOf } from '../days.js';
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import type { EntrySkip } from './arxiv-listing.js';
import { ParseError } from './parse-error.js';
import { collapse, normalizeAbstract, optional, parseDate } from './text.js';
import { NS, XmlStream, child, childText, children, type XmlElement } from './xml.js';

export interface ParsedArxivApi {
  records: PaperRecord[];
  skipped: EntrySkip[];
  /** arXiv's error message when the answer is an error feed. */
  apiError?: string;
  totalResults?: number;
  startIndex?: number;
  itemsPerPage?: number;
}

const num = (s: string | undefined) => {
  const n = Number(collapse(s));
  return s !== undefined && collapse(s) !== '' && Number.isFinite(n) ? n : undefined;
};

export function parseArxivApi(xml: string, where: string): ParsedArxivApi {
  const out: ParsedArxivApi = { records: [], skipped: [] };
  let position = 0;
  const stream = new XmlStream(where, {
    onRoot: (ns, name) => {
      if (ns !== NS.atom || name !== 'feed') throw new ParseError(`${where}: not an arXiv API answer (root element <${name}>)`, where);
    },
    isContainer: (_ns, _name, depth) => depth === 0,
    onElement: (el) => {
      if (el.ns === NS.opensearch) {
        if (el.name === 'totalResults') out.totalResults = num(el.text);
        else if (el.name === 'startIndex') out.startIndex = num(el.text);
        else if (el.name === 'itemsPerPage') out.itemsPerPage = num(el.text);
        return;
      }
      if (el.ns !== NS.atom || el.name !== 'entry') return;
      position++;
      if (out.apiError !== undefined) return;
      const id = collapse(childText(el, NS.atom, 'id'));
      if (/\/api\/errors(#|$)/.test(id)) {
        // An error answer: whatever else it holds is not papers.
        out.apiError = collapse(childText(el, NS.atom, 'summary')) || id;
        return;
      }
      try {
        out.records.push(apiRecord(el));
      } catch (err) {
        out.skipped.push({ position, reason: (err as Error).message });
      }
    },
  });
  stream.write(xml);
  stream.close();
  if (out.apiError !== undefined) {
    out.records = [];
    out.skipped = [];
  }
  return out;
}

function apiRecord(entry: XmlElement): PaperRecord {
  const rawId = collapse(childText(entry, NS.atom, 'id'));
  const parsed = parseArxivId(rawId);
  if (!parsed) throw new Error(`no arXiv id ("${rawId}")`);
  const title = collapse(childText(entry, NS.atom, 'title'));
  if (!title) throw new Error(`${parsed.id}: empty title`);
  const published = parseDate(childText(entry, NS.atom, 'published'));
  if (!published) throw new Error(`${parsed.id}: no published date`);
  const updated = parseDate(childText(entry, NS.atom, 'updated'));
  const authorEls = children(entry, NS.atom, 'author');
  const authors = authorEls.map((a) => collapse(childText(a, NS.atom, 'name'))).filter(Boolean);
  const affiliations = authorEls.map((a) => children(a, NS.arxiv, 'affiliation').map((x) => collapse(x.text)).filter(Boolean));
  const primary = child(entry, NS.arxiv, 'primary_category')?.attrs.term;
  const cats = children(entry, NS.atom, 'category').map((c) => collapse(c.attrs.term)).filter(Boolean);
  // Only arXiv categories (legacy answers can carry MSC/ACM codes as categories).
  const categories = [...new Set([...(primary ? [collapse(primary)] : []), ...cats])].filter((c) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c));
  const version = parsed.version ?? 1;
  const meta: Record<string, unknown> = {};
  if (affiliations.some((a) => a.length)) meta.affiliations = affiliations;
  return {
    id: parsed.id,
    version,
    title,
    abstract: normalizeAbstract(childText(entry, NS.atom, 'summary')),
    authors,
    categories,
    primaryCategory: categories[0],
    absUrl: absUrl(parsed.id),
    pdfUrl: pdfUrl(parsed.id, version),
    doi: optional(childText(entry, NS.arxiv, 'doi')),
    journalRef: optional(childText(entry, NS.arxiv, 'journal_ref')),
    comment: optional(childText(entry, NS.arxiv, 'comment')),
    submittedAt: published,
    versionDate: updated,
    meta: Object.keys(meta).length ? meta : undefined,
    listing: { source: 'arxiv-api', day: announcementDayOf(published), announceType: 'new' },
  };
}
