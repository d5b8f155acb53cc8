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
}

export interface IngestReport {
  day: string;
  sources: SourceReport[];
}

export interface Ingestor {
  /** Fetch every configured source for digest day `day` (YYYY-MM-DD) and store the papers. */
  fetchDay(day: string, options?: { sources?: SourceName[] }): Promise<IngestReport>;
}

export type { PaperRecord, SourceName };
