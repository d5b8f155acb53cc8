/**
 * A paper as a source parser produces it: one record per work (arXiv id without version),
 * with the source that saw it and the day it was listed there. The repository merges records
 * from every source into one Paper row and one PaperListing row per (source, day).
 */
export type SourceName = 'arxiv-rss' | 'arxiv-api' | 'hf';

export interface PaperRecord {
  /** arXiv id without version: `2411.17700`, `astro-ph/0601001`. */
  id: string;
  version?: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  primaryCategory?: string;
  absUrl: string;
  pdfUrl?: string;
  doi?: string;
  journalRef?: string;
  comment?: string;
  license?: string;
  submittedAt?: Date;
  versionDate?: Date;
  hfUpvotes?: number;
  hfComments?: number;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  aiSummary?: string;
  aiKeywords?: string[];
  meta?: Record<string, unknown>;
  /**
   * Only update a paper that is already stored; never create it nor list it (arXiv `replace`
   * announcements of types not kept: they bump the version of papers we have).
   */
  updateOnly?: boolean;
  /**
   * Create or update the paper but add no listing, so it joins no digest day (papers looked up by id,
   * metadata filled in from the export API). The listing below then only names the source.
   */
  unlisted?: boolean;
  /** Where and when it was listed. */
  listing: {
    source: SourceName;
    /** The listing day as YYYY-MM-DD (arXiv announcement date in New York; HF daily-list date). */
    day: string;
    announceType?: 'new' | 'cross' | 'replace' | 'replace-cross';
  };
}
