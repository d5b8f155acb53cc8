/**
 * The contract between the pipeline and the paper sources (owned by the sources stage).
 * A source fetches (or reads recorded files for) one digest day and returns parsed records;
 * the Ingestor stores them through the PaperRepository and reports per source.
 */
import type { PaperRecord, SourceName } from '../papers/types.js';

export interface SkippedEntry {
  source: SourceName;
  /** Where: file/URL and entry position (1-based) when known. */
  where: string;
  reason: string;
}

export interface SourceReport {
  source: SourceName;
  fetched: number;
  new: number;
  updated: number;
  unchanged: number;
  skipped: number;
  errors: string[];
  /** A normal "nothing today" (weekend / holiday feed), not an error. */
  empty: boolean;
  skippedEntries: SkippedEntry[];
  /**
   * arxiv-rss with ARXIV_API_ENRICH: the day's papers looked up in the export API for what the feed
   * lacks. Its errors never fail the source (the listing is what counts).
   */
  enrichment?: EnrichmentReport;
}

export interface EnrichmentReport {
  /** Papers of the day that lacked the API's metadata (looked up). */
  requested: number;
  /** Papers whose stored row changed. */
  enriched: number;
  /** Ids arXiv did not return. */
  unknown: string[];
  errors: string[];
}

/** `paperboy fetch --ids`: papers looked up by id and stored without a listing. */
export interface IdsReport {
  requested: number;
  found: number;
  new: number;
  updated: number;
  unchanged: number;
  unknown: string[];
  invalid: string[];
  errors: string[];
  skippedEntries: SkippedEntry[];
}

export interface IngestReport {
  day: string;
  sources: SourceReport[];
}

export interface Ingestor {
  /** Fetch every configured source for digest day `day` (YYYY-MM-DD) and store the papers. */
  fetchDay(day: string, options?: { sources?: SourceName[] }): Promise<IngestReport>;
}

/** Papers by id (`paperboy fetch --ids`); the Ingestor of createIngestor is one. */
export interface PaperLookup {
  /**
   * Look the given arXiv ids up in the export API and store the papers. They get no listing, so
   * no digest day changes. Needs the network (not available with FEEDS_DIR).
   */
  fetchIds(ids: string[]): Promise<IdsReport>;
}

export type { PaperRecord, SourceName };

/** What one source produced for one day, before storing. */
export interface SourceFetch {
  records: PaperRecord[];
  skippedEntries: SkippedEntry[];
  errors: string[];
  /** Entries read (before the announce-type filter and the day filter). */
  fetched: number;
  /** Every response was 304 Not Modified: what it holds is already stored. */
  notModified?: boolean;
  /** Called after the records are stored (saves HTTP validators for conditional requests). */
  commit?: () => Promise<void>;
}

/** Stores records while a source is still reading (batches of a streamed listing). */
export type StoreBatch = (records: PaperRecord[]) => Promise<void>;

/** One paper source: fetches (or reads recorded files for) one digest day. */
export interface PaperSource {
  readonly name: SourceName;
  /**
   * With `store`, a source that reads a large document may hand its records over in batches as they
   * are parsed (memory stays bounded); those records are then not in the returned `records`.
   */
  fetchDay(day: string, store?: StoreBatch): Promise<SourceFetch>;
}

/** Minimal structured logger (pino-compatible). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
