/**
 * arXiv announcement listings: RSS 2.0 (`rss.arxiv.org/rss/<cats>`) and Atom (`rss.arxiv.org/atom/<cats>`).
 * Pure: text in, records out. A malformed entry is skipped with its position; a document that is not
 * XML throws ParseError, except a download cut off mid-entry, whose complete entries are recovered.
 */
import type { PaperRecord } from '../../papers/types.js';
import { nyDay } from '../days.js';
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import { ParseError } from './parse-error.js';
import { collapse, normalizeAbstract, optional, parseDate, splitAuthors, splitListingDescription } from './text.js';
import { NS, child, childText, children, parseXml, type XmlElement } from './xml.js';

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';
const ANNOUNCE_TYPES = new Set<string>(['new', 'cross', 'replace', 'replace-cross']);

export interface EntrySkip {
  /** 1-based position of the entry in the document (0 = the document itself). */
  position: number;
  reason: string;
}

export interface ParsedListing {
  format: 'rss2' | 'atom';
  /** The announcement day of the feed (New York date of its pubDate / first entry), when known. */
  day?: string;
  /** Set when arXiv answered with its "Feed error for query" channel: not papers, a failed request. */
  feedError?: string;
  /** The document ended mid-entry; only complete entries are in `records`. */
  truncated: boolean;
  records: PaperRecord[];
  skipped: EntrySkip[];
}

/** Parse an arXiv RSS 2.0 or Atom listing. `where` names the URL or file in messages. */
export function parseArxivListing(xml: string, where: string): ParsedListing {
  let root: XmlElement;
  let truncated = false;
  try {
    root = parseXml(xml, where);
  } catch (err) {
    const recovered = recoverTruncated(xml, where);
    if (!recovered) throw err;
    root = recovered;
    truncated = true;
  }
  let result: ParsedListing;
  if (root.ns === NS.none && root.name === 'rss') result = parseRss(root, where);
  else if (root.ns === NS.atom && root.name === 'feed') result = parseAtom(root, where);
  else throw new ParseError(`${where}: not an arXiv listing (root element <${root.name}>)`, where);
  if (truncated) {
    result.truncated = true;
    result.skipped.push({ position: result.records.length + result.skipped.length + 1, reason: 'document ends mid-entry (truncated download); the incomplete entry was dropped' });
  }
  return result;
}

/** Cut a document after its last complete entry and close the root. */
function recoverTruncated(xml: string, where: string): XmlElement | undefined {
  const isAtom = /<feed[\s>]/.test(xml.slice(0, 2000));
  const endTag = isAtom ? '</entry>' : '</item>';
  const cut = xml.lastIndexOf(endTag);
  if (cut === -1) return undefined;
  const candidate = xml.slice(0, cut + endTag.length) + (isAtom ? '</feed>' : '</channel></rss>');
  try {
    return parseXml(candidate, where);
  } catch {
    return undefined;
  }
}

function parseRss(rss: XmlElement, where: string): ParsedListing {
  const channel = child(rss, NS.none, 'channel');
  if (!channel) throw new ParseError(`${where}: RSS document without <channel>`, where);
  const title = collapse(childText(channel, NS.none, 'title'));
  const pub = parseDate(childText(channel, NS.none, 'pubDate'));
  const out: ParsedListing = { format: 'rss2', day: pub ? nyDay(pub) : undefined, truncated: false, records: [], skipped: [] };
  if (title.startsWith('Feed error for query')) {
    out.feedError = `${title}: ${collapse(childText(channel, NS.none, 'description'))}`;
    return out;
  }
  const items = children(channel, NS.none, 'item');
  items.forEach((item, i) => {
    const position = i + 1;
    try {
      const itemPub = parseDate(childText(item, NS.none, 'pubDate')) ?? pub;
      out.records.push(
        listingRecord(
          {
            guid: childText(item, NS.none, 'guid'),
            link: childText(item, NS.none, 'link'),
            title: childText(item, NS.none, 'title'),
            description: childText(item, NS.none, 'description'),
            categories: children(item, NS.none, 'category').map((c) => c.text),
            announceType: childText(item, NS.arxiv, 'announce_type'),
            rights: childText(item, NS.dc, 'rights'),
            creator: childText(item, NS.dc, 'creator'),
            doi: childText(item, NS.arxiv, 'DOI'),
            journalRef: childText(item, NS.arxiv, 'journal_reference'),
            published: itemPub,
          },
          out.day,
        ),
      );
    } catch (err) {
      out.skipped.push({ position, reason: (err as Error).message });
    }
  });
  return out;
}

function parseAtom(feed: XmlElement, where: string): ParsedListing {
  const title = collapse(childText(feed, NS.atom, 'title'));
  const entries = children(feed, NS.atom, 'entry');
  const firstPublished = entries.length ? parseDate(childText(entries[0], NS.atom, 'published')) : undefined;
  const out: ParsedListing = { format: 'atom', day: firstPublished ? nyDay(firstPublished) : undefined, truncated: false, records: [], skipped: [] };
  if (title.startsWith('Feed error for query')) {
    out.feedError = `${title}: ${collapse(childText(feed, NS.atom, 'subtitle'))}`;
    return out;
  }
  entries.forEach((entry, i) => {
    try {
      const alternate = children(entry, NS.atom, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
      out.records.push(
        listingRecord(
          {
            guid: childText(entry, NS.atom, 'id'),
            link: alternate?.attrs.href,
            title: childText(entry, NS.atom, 'title'),
            description: childText(entry, NS.atom, 'summary'),
            categories: children(entry, NS.atom, 'category').map((c) => c.attrs.term ?? ''),
            announceType: childText(entry, NS.arxiv, 'announce_type'),
            rights: childText(entry, NS.dc, 'rights'),
            creator: childText(entry, NS.dc, 'creator'),
            doi: childText(entry, NS.arxiv, 'DOI'),
            journalRef: childText(entry, NS.arxiv, 'journal_reference'),
            published: parseDate(childText(entry, NS.atom, 'published')),
          },
          out.day,
        ),
      );
    } catch (err) {
      out.skipped.push({ position: i + 1, reason: (err as Error).message });
    }
  });
  return out;
}

interface RawEntry {
  guid?: string;
  link?: string;
  title?: string;
  description?: string;
  categories: string[];
  announceType?: string;
  rights?: string;
  creator?: string;
  doi?: string;
  journalRef?: string;
  published?: Date;
}

function listingRecord(e: RawEntry, feedDay: string | undefined): PaperRecord {
  const desc = splitListingDescription(e.description ?? '');
  // The guid carries the version; the link does not. Fall back to the description prefix.
  const parsed = parseArxivId(e.guid) ?? parseArxivId(desc.id) ?? parseArxivId(e.link);
  if (!parsed) throw new Error(`no arXiv id (guid "${collapse(e.guid)}")`);
  const version = parsed.version ?? parseArxivId(desc.id)?.version;
  const title = collapse(e.title);
  if (!title) throw new Error(`${parsed.id}: empty title`);
  const type = collapse(e.announceType) || desc.announceType;
  if (type !== undefined && !ANNOUNCE_TYPES.has(type)) throw new Error(`${parsed.id}: unknown announce type "${type}"`);
  const day = e.published ? nyDay(e.published) : feedDay;
  if (!day) throw new Error(`${parsed.id}: no announcement date`);
  const categories = e.categories.map(collapse).filter(Boolean);
  return {
    id: parsed.id,
    version,
    title,
    abstract: normalizeAbstract(desc.abstract),
    authors: splitAuthors(e.creator),
    categories,
    primaryCategory: categories[0],
    absUrl: absUrl(parsed.id),
    pdfUrl: pdfUrl(parsed.id, version),
    doi: optional(e.doi),
    journalRef: optional(e.journalRef),
    license: optional(e.rights),
    listing: { source: 'arxiv-rss', day, announceType: type as AnnounceType | undefined },
  };
}
