/**
 * The Ingestor: fetches every configured source for one digest day, stores the records through the
 * PaperRepository and reports per source. One failing source never sinks the run: its error is in
 * the report and the other sources go on.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { PaperRepository } from '../papers/paper-repository.js';
import { createArxivLookup, type ArxivLookup } from './arxiv-lookup.js';
import { assertDay } from './days.js';
import { enrichListingDay } from './enrich.js';
import { createLiveSources, createLiveTransport, type LiveTransport } from './live-sources.js';
import { createRecordedSource } from './recorded-source.js';
import {
  silentLogger, type IdsReport, type IngestReport, type PaperRecord, type Ingestor, type PaperLookup, type Logger, type PaperSource, type SourceName, type SourceReport,
} from './source.js';

export interface IngestorDeps {
  config: Config;
  prisma: PrismaClient;
  /** Needed for the live arXiv sources (cross-process rate limit); unused in recorded mode. */
  redis?: Redis;
  repository: PaperRepository;
  logger?: Logger;
  fetch?: typeof fetch;
  /** Recorded mode: read files from this folder (overrides config.feedsDir). */
  feedsDir?: string;
  /** Replace a source (tests). */
  sources?: Partial<Record<SourceName, PaperSource>>;
  /** Injected wait (tests); defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Records per stored batch while a listing is streamed (default 1000). */
  batchSize?: number;
  /** Replace the export API look-up (tests); defaults to one over the live transport. */
  lookup?: ArxivLookup;
}

export const ALL_SOURCES: SourceName[] = ['arxiv-rss', 'arxiv-api', 'hf'];

/** The sources that can fetch a past day from the network: the RSS feed only holds the latest listing, the export API any day. */
export function pastDaySources(sources: readonly SourceName[]): SourceName[] {
  return [...new Set(sources.map((s): SourceName => (s === 'arxiv-rss' ? 'arxiv-api' : s)))];
}

export function createIngestor(deps: IngestorDeps): Ingestor & PaperLookup {
  const { config, repository } = deps;
  const logger = deps.logger ?? silentLogger;
  const feedsDir = deps.feedsDir ?? config.feedsDir;
  const cache = new Map<SourceName, PaperSource>();
  // One HTTP client and one arXiv gate for every live source and the look-up.
  let transport: LiveTransport | undefined;
  const liveDeps = () => ({ config, prisma: deps.prisma, redis: deps.redis, logger, fetch: deps.fetch, sleep: deps.sleep, batchSize: deps.batchSize });
  const live = () => (transport ??= createLiveTransport(liveDeps()));
  let lookup = deps.lookup;
  const arxivLookup = () => (lookup ??= createArxivLookup({ transport: live(), baseUrl: config.arxivApiBaseUrl, batchSize: config.arxivApiLookupBatch, logger }));

  function source(name: SourceName): PaperSource {
    let s = deps.sources?.[name] ?? cache.get(name);
    if (!s) {
      s = feedsDir
        ? createRecordedSource(name, feedsDir, config.arxivAnnounceTypes, deps.batchSize)
        : createLiveSources(liveDeps(), live())[name];
      cache.set(name, s);
    }
    return s;
  }

  // Recorded mode never enriches: it must not touch the network.
  const enriches = (name: SourceName) => name === 'arxiv-rss' && config.arxivApiEnrich && !feedsDir;

  async function runSource(name: SourceName, day: string): Promise<SourceReport> {
    const report: SourceReport = {
      source: name, fetched: 0, new: 0, updated: 0, unchanged: 0, skipped: 0, errors: [], empty: false, skippedEntries: [],
    };
    let listed = false;
    const store = async (records: PaperRecord[]) => {
      const counts = await repository.upsert(records);
      report.new += counts.new;
      report.updated += counts.updated;
      report.unchanged += counts.unchanged;
      listed ||= records.some((r) => !r.updateOnly);
    };
    try {
      // Streaming sources store batches while they read; the rest is stored here.
      const got = await source(name).fetchDay(day, store);
      report.fetched = got.fetched;
      report.errors.push(...got.errors);
      report.skippedEntries.push(...got.skippedEntries);
      report.skipped = got.skippedEntries.length;
      if (got.records.length) await store(got.records);
      await got.commit?.();
      report.empty = report.errors.length === 0 && (got.notModified ? (await repository.countListings(name, day)) === 0 : !listed);
    } catch (err) {
      report.errors.push((err as Error).message);
    }
    // After the listing is stored; also after a 304, so a failed enrichment is retried by the next run.
    if (enriches(name) && report.errors.length === 0 && !report.empty) {
      report.enrichment = await enrichListingDay(name, day, { lookup: arxivLookup(), repository, logger });
    }
    for (const s of report.skippedEntries) logger.warn({ ...s }, 'sources.entry.skipped');
    for (const e of report.errors) logger.error({ source: name, day, error: e }, 'sources.source.failed');
    logger.info({ day, ...report, skippedEntries: undefined }, 'sources.source.done');
    return report;
  }

  return {
    async fetchDay(day, options) {
      assertDay(day, 'date');
      const names = options?.sources ?? (config.sources as SourceName[]);
      const sources: SourceReport[] = [];
      // Sequential: arXiv sources share one rate limit anyway, and the report order is stable.
      for (const name of names) sources.push(await runSource(name, day));
      return { day, sources } satisfies IngestReport;
    },

    async fetchIds(ids) {
      if (feedsDir) throw new Error('looking papers up by id needs the network; it is not available with FEEDS_DIR or --from');
      const got = await arxivLookup().lookupIds(ids);
      const counts = got.records.length
        ? await repository.upsert(got.records.map((r) => ({ ...r, unlisted: true })))
        : { new: 0, updated: 0, unchanged: 0 };
      const report: IdsReport = {
        requested: ids.length, found: got.records.length, ...counts,
        unknown: got.unknown, invalid: got.invalid, errors: got.errors, skippedEntries: got.skippedEntries,
      };
      logger.info({ ...report, skippedEntries: report.skippedEntries.length }, 'sources.ids.done');
      return report;
    },
  };
}

/** True when no source had anything for the day and none failed: no digest that day. */
export function isEmptyDay(report: IngestReport): boolean {
  return report.sources.length > 0 && report.sources.every((s) => s.empty);
}
