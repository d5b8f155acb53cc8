/**
 * arXiv announcement listings: RSS 2.0 (`rss.arxiv.org/rss/<cats>`) and Atom (`rss.arxiv.org/atom/<cats>`).
 * Pure: text in, records out, read as a stream (ArxivListingStream) so that one entry at a time is in
 * memory. A malformed entry is skipped with its position; a document that is not XML throws ParseError,
 * except a download cut off mid-entry, whose complete entries are kept.
 */
import type { PaperRecord } from '../../papers/types.js';
import { nyDay } from '../days.js';
import { absUrl, parseArxivId, pdfUrl } from './arxiv-id.js';
import { ParseError } from './parse-error.js';
import { collapse, normalizeAbstract, optional, parseDate, splitAuthors, splitListingDescription } from './text.js';
import { NS, XmlEndedEarlyError, XmlStream, childText, children, type XmlElement } from './xml.js';

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

/** Where parsed entries go, one at a time, as the document is read. */
export interface ListingSink {
  record(r: PaperRecord): void;
  skip(s: EntrySkip): void;
}

/** What is known about a listing once it has been read (its entries went to the sink). */
export type ListingSummary = Omit<ParsedListing, 'records' | 'skipped'> & { entries: number };

/**
 * A streaming listing parser: `write(chunk)` as the document arrives, `end()` at the end. Entries are
 * handed to the sink as soon as they close, so memory holds one entry, not the document.
 * An RSS item without its own pubDate takes the channel's; the few items read before the channel's
 * pubDate (none in arXiv's feeds) wait for it.
 */
export class ArxivListingStream {
  private format?: 'rss2' | 'atom';
  private day?: string;
  private channelPub?: Date;
  private channelPubSeen = false;
  private title?: string;
  private errorDetail?: string;
  private hasChannel = false;
  private entries = 0;
  private waiting: [XmlElement, number][] = [];
  private readonly xml: XmlStream;

  constructor(private readonly where: string, private readonly sink: ListingSink) {
    this.xml = new XmlStream(where, {
      onRoot: (ns, name) => {
        if (ns === NS.none && name === 'rss') this.format = 'rss2';
        else if (ns === NS.atom && name === 'feed') this.format = 'atom';
        else throw new ParseError(`${where}: not an arXiv listing (root element <${name}>)`, where);
      },
      isContainer: (ns, name, depth) => {
        if (depth === 0) return true;
        if (this.format !== 'rss2' || depth !== 1 || ns !== NS.none || name !== 'channel') return false;
        this.hasChannel = true;
        return true;
      },
      onElement: (el, depth) => (this.format === 'rss2' ? this.rssElement(el, depth) : this.atomElement(el)),
    });
  }

  write(chunk: string): void {
    this.xml.write(chunk);
  }

  /** Finish the document. Throws ParseError when it is not a listing (or is cut off before any entry). */
  end(): ListingSummary {
    let truncated = false;
    try {
      this.xml.close();
    } catch (err) {
      // A download cut off mid-entry keeps the entries read so far; the incomplete one is noted.
      if (!(err instanceof XmlEndedEarlyError) || this.entries === 0) throw err;
      truncated = true;
    }
    this.flushWaiting();
    if (this.format === 'rss2' && !this.hasChannel) throw new ParseError(`${this.where}: RSS document without <channel>`, this.where);
    if (truncated) {
      this.sink.skip({ position: this.entries + 1, reason: 'document ends mid-entry (truncated download); the incomplete entry was dropped' });
    }
    const summary: ListingSummary = { format: this.format!, day: this.day, truncated, entries: this.entries };
    if (this.isFeedError()) summary.feedError = `${this.title}: ${this.errorDetail ?? ''}`;
    return summary;
  }

  private isFeedError(): boolean {
    return this.title !== undefined && this.title.startsWith('Feed error for query');
  }

  private rssElement(el: XmlElement, depth: number): void {
    if (depth !== 2 || el.ns !== NS.none) return; // only the channel's children
    if (el.name === 'item') {
      const position = ++this.entries;
      if (this.isFeedError()) return; // an error channel: whatever it holds is not papers
      if (!this.channelPubSeen) this.waiting.push([el, position]);
      else this.rssItem(el, position);
    } else if (el.name === 'title' && this.title === undefined) {
      this.title = collapse(el.text);
    } else if (el.name === 'description' && this.errorDetail === undefined) {
      this.errorDetail = collapse(el.text);
    } else if (el.name === 'pubDate' && !this.channelPubSeen) {
      this.channelPubSeen = true;
      this.channelPub = parseDate(el.text);
      this.day = this.channelPub ? nyDay(this.channelPub) : undefined;
      this.flushWaiting();
    }
  }

  private flushWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    if (!this.isFeedError()) for (const [el, position] of waiting) this.rssItem(el, position);
  }

  private rssItem(item: XmlElement, position: number): void {
    this.entry(position, () => ({
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
      published: parseDate(childText(item, NS.none, 'pubDate')) ?? this.channelPub,
    }));
  }

  private atomElement(el: XmlElement): void {
    if (el.ns !== NS.atom) return;
    if (el.name === 'entry') {
      const position = ++this.entries;
      const published = parseDate(childText(el, NS.atom, 'published'));
      if (position === 1) this.day = published ? nyDay(published) : undefined;
      if (this.isFeedError()) return;
      const alternate = children(el, NS.atom, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
      this.entry(position, () => ({
        guid: childText(el, NS.atom, 'id'),
        link: alternate?.attrs.href,
        title: childText(el, NS.atom, 'title'),
        description: childText(el, NS.atom, 'summary'),
        categories: children(el, NS.atom, 'category').map((c) => c.attrs.term ?? ''),
        announceType: childText(el, NS.arxiv, 'announce_type'),
        rights: childText(el, NS.dc, 'rights'),
        creator: childText(el, NS.dc, 'creator'),
        doi: childText(el, NS.arxiv, 'DOI'),
        journalRef: childText(el, NS.arxiv, 'journal_reference'),
        published,
      }));
    } else if (el.name === 'title' && this.title === undefined) {
      this.title = collapse(el.text);
    } else if (el.name === 'subtitle' && this.errorDetail === undefined) {
      this.errorDetail = collapse(el.text);
    }
  }

  private entry(position: number, raw: () => RawEntry): void {
    let record: PaperRecord;
    try {
      record = listingRecord(raw(), this.day);
    } catch (err) {
      this.sink.skip({ position, reason: (err as Error).message });
      return;
    }
    this.sink.record(record);
  }
}

/** Parse a whole arXiv RSS 2.0 or Atom listing held in memory. `where` names the URL or file in messages. */
export function parseArxivListing(xml: string, where: string): ParsedListing {
  const records: PaperRecord[] = [];
  const skipped: EntrySkip[] = [];
  const stream = new ArxivListingStream(where, { record: (r) => records.push(r), skip: (s) => skipped.push(s) });
  stream.write(xml);
  const { entries: _entries, ...summary } = stream.end();
  if (summary.feedError) return { ...summary, records: [], skipped: [] };
  return { ...summary, records, skipped };
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
