/**
 * Recorded mode (FEEDS_DIR or `paperboy fetch --from DIR`): every source reads the files of its
 * folder instead of the network and keeps the records whose listing day is the requested day.
 *   arxiv-rss  ← DIR/arxiv-rss/*.xml        (RSS 2.0 and Atom listings; day = announcement date)
 *   arxiv-api  ← DIR/arxiv-api/*.xml        (export API answers; day = announcement day of v1)
 *   hf         ← DIR/hf-daily-papers/*.json (lists of the days hfDaysFor(day): the previous weekday up
 *                to the day before, by submittedOnDailyAt)
 * A file that cannot be parsed is an error of that source; a recorded error answer is noted as skipped;
 * files of other days are ignored.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PaperRecord } from '../papers/types.js';
import { applyAnnounceType } from './announce-filter.js';
import { hfDaysFor } from './days.js';
import { SLICE, ingestListing } from './listing-batches.js';
import { parseArxivApi } from './parsers/arxiv-api.js';
import { parseHfDaily } from './parsers/hf-daily.js';
import type { PaperSource, SkippedEntry, SourceFetch, SourceName, StoreBatch } from './source.js';

export const RECORDED_FOLDERS: Record<SourceName, { folder: string; ext: string }> = {
  'arxiv-rss': { folder: 'arxiv-rss', ext: '.xml' },
  'arxiv-api': { folder: 'arxiv-api', ext: '.xml' },
  hf: { folder: 'hf-daily-papers', ext: '.json' },
};

interface FileResult {
  records: PaperRecord[];
  skipped: { position: number; reason: string }[];
  /** Day(s) the file is about, to decide whether its problems concern the requested day. */
  days: string[];
  error?: string;
}

function parseFile(source: 'hf' | 'arxiv-api', text: string, where: string): FileResult {
  if (source === 'hf') {
    const r = parseHfDaily(text, where);
    return { records: r.records, skipped: r.skipped, days: r.days };
  }
  const r = parseArxivApi(text, where);
  return { records: r.records, skipped: r.skipped, days: [...new Set(r.records.map((x) => x.listing.day))], error: r.apiError };
}

/**
 * A listing file is streamed from disk: its records of `day` go to `store` in batches as they are
 * parsed (or into `records` without a store). `fetched` counts the records of the day.
 */
async function streamListingFile(file: string, where: string, day: string, announceTypes: readonly string[], batchSize: number, store: StoreBatch) {
  let fetched = 0;
  const res = await ingestListing(createReadStream(file, { encoding: 'utf8', highWaterMark: SLICE }), where, {
    batchSize,
    accept: (r) => {
      if (r.listing.day !== day) return undefined;
      fetched++;
      return applyAnnounceType(r, announceTypes);
    },
    store,
  });
  const days = res.summary.day ? [res.summary.day] : [];
  return { fetched, skipped: res.skipped, days, error: res.summary.feedError };
}

export function createRecordedSource(source: SourceName, dir: string, announceTypes: readonly string[], batchSize = 1000): PaperSource {
  const { folder, ext } = RECORDED_FOLDERS[source];
  const base = path.join(dir, folder);
  return {
    name: source,
    async fetchDay(day, store?: StoreBatch): Promise<SourceFetch> {
      const out: SourceFetch = { records: [], skippedEntries: [], errors: [], fetched: 0 };
      let files: string[];
      try {
        files = (await readdir(base)).filter((f) => f.endsWith(ext)).sort();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out; // no recordings: nothing that day
        throw err;
      }
      const keep: StoreBatch = store ?? (async (records) => { out.records.push(...records); });
      for (const f of files) {
        const where = path.join(folder, f);
        if (source === 'arxiv-rss') {
          try {
            const got = await streamListingFile(path.join(base, f), where, day, announceTypes, batchSize, keep);
            out.fetched += got.fetched;
            if (got.days.includes(day)) noteProblems(out, source, where, got.error, got.skipped);
          } catch (err) {
            out.errors.push((err as Error).message);
          }
          continue;
        }
        let parsed: FileResult;
        try {
          parsed = parseFile(source, await readFile(path.join(base, f), 'utf8'), where);
        } catch (err) {
          out.errors.push((err as Error).message);
          continue;
        }
        const wanted = source === 'hf' ? hfDaysFor(day) : [day];
        const ofDay = parsed.records.filter((r) => wanted.includes(r.listing.day));
        out.fetched += ofDay.length;
        out.records.push(...ofDay);
        if (parsed.days.some((d) => wanted.includes(d))) noteProblems(out, source, where, parsed.error, parsed.skipped);
      }
      return out;
    },
  };
}

/**
 * Problems of a file that concerns the requested day. A recorded error answer (e.g. a misspelt
 * archive) is a recording of a failed request, not a failure of this run: note it and go on.
 */
function noteProblems(out: SourceFetch, source: SourceName, where: string, error: string | undefined, skipped: { position: number; reason: string }[]) {
  if (error) out.skippedEntries.push({ source, where, reason: `recorded error answer: ${error}` });
  for (const s of skipped) out.skippedEntries.push({ source, where: `${where} entry ${s.position}`, reason: s.reason } satisfies SkippedEntry);
}
