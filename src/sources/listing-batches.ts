/**
 * Streaming ingestion of an arXiv listing: the document arrives as text chunks (a file stream, a
 * generator, a response body cut in slices), entries are parsed as they close and handed to `store` in
 * batches. Memory holds one chunk, one entry and one batch, whatever the size of the document.
 * Records already stored stay stored if the document later turns out cut off or malformed: they are
 * complete entries, and storing them again is a no-op.
 */
import type { PaperRecord } from '../papers/types.js';
import { ArxivListingStream, type EntrySkip, type ListingSummary } from './parsers/arxiv-listing.js';

export interface ListingBatchOptions {
  /** Records per store call. */
  batchSize: number;
  /** Keep (possibly changed) or drop (undefined) each parsed record before it is batched. */
  accept?: (r: PaperRecord) => PaperRecord | undefined;
  store(batch: PaperRecord[]): Promise<void>;
}

export interface ListingBatchResult {
  summary: ListingSummary;
  skipped: EntrySkip[];
  /** Records parsed (before `accept`). */
  parsed: number;
  /** Records handed to `store`. */
  stored: number;
}

/** Largest slice fed to the parser at once when the input is one big string. */
export const SLICE = 64 * 1024;

/** A string as slices of at most SLICE characters (never splitting a surrogate pair). */
export function* slices(text: string, size = SLICE): Generator<string> {
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    yield text.slice(i, end);
    i = end;
  }
}

export async function ingestListing(
  chunks: AsyncIterable<string> | Iterable<string>, where: string, o: ListingBatchOptions,
): Promise<ListingBatchResult> {
  let batch: PaperRecord[] = [];
  const skipped: EntrySkip[] = [];
  let parsed = 0;
  let stored = 0;
  const parser = new ArxivListingStream(where, {
    record(r) {
      parsed++;
      const kept = o.accept ? o.accept(r) : r;
      if (kept) batch.push(kept);
    },
    skip(s) {
      skipped.push(s);
    },
  });
  const flush = async () => {
    const full = batch;
    batch = [];
    stored += full.length;
    await o.store(full);
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    if (batch.length >= o.batchSize) await flush();
  }
  const summary = parser.end();
  // An error channel holds no papers (arXiv's error answers have no items).
  if (summary.feedError) batch = [];
  if (batch.length) await flush();
  return { summary, skipped, parsed, stored };
}
