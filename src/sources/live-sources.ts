/**
 * The network sources. Each fetches one digest day:
 *   arxiv-rss  one combined listing `ARXIV_RSS_BASE_URL/rss/<cats joined by +>` (conditional request);
 *              it only ever holds the latest announcement, so a feed of another day is reported.
 *   arxiv-api  export API search over the day's submission window (backfill), paged, ≤ 2000 a page.
 *   hf         `HF_BASE_URL/api/daily_papers?date=…` for each list day of hfDaysFor(day), following
 *              `Link: rel="next"`.
 * Requests to arXiv (RSS and API alike) pass the Redis rate limit shared by all processes.
 */
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { PaperRecord } from '../papers/types.js';
import { applyAnnounceType } from './announce-filter.js';
import { hfDaysFor, submissionWindow } from './days.js';
import { createFetchCacheStore } from './http/fetch-cache.js';
import { createHttpClient, type HttpClient } from './http/http-client.js';
import { createRedisRateLimiter, rateLimitKey, type RateLimiter } from './http/rate-limiter.js';
import { parseArxivApi } from './parsers/arxiv-api.js';
import { ingestListing, slices } from './listing-batches.js';
import { parseHfDaily } from './parsers/hf-daily.js';
import type { Logger, PaperSource, SourceFetch, SourceName } from './source.js';

export interface LiveSourceDeps {
  config: Config;
  prisma: PrismaClient;
  redis?: Redis;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Page size of export API searches (arXiv allows at most 2000). */
  apiPageSize?: number;
  /** Safety stop for paged sources. */
  maxPages?: number;
  /** Records per stored batch while the RSS listing is parsed (default 1000). */
  batchSize?: number;
}

export function userAgent(config: Pick<Config, 'contactEmail'>): string {
  return `Paperboy/0.1 (self-hosted paper digest; mailto:${config.contactEmail})`;
}

function categories(config: Config): string[] {
  return config.arxivCategories.split(/[+,\s]+/).map((c) => c.trim()).filter(Boolean);
}

const empty = (): SourceFetch => ({ records: [], skippedEntries: [], errors: [], fetched: 0 });

/** The HTTP client and the arXiv rate-limit gate shared by every live source and the id look-up. */
export interface LiveTransport {
  http: HttpClient;
  /** Awaited before each request to arXiv: the Redis rate limit shared by all processes. */
  arxivGate: () => Promise<() => Promise<void>>;
}

export function createLiveTransport(deps: Pick<LiveSourceDeps, 'config' | 'prisma' | 'redis' | 'logger' | 'fetch' | 'sleep'>): LiveTransport {
  const { config, logger } = deps;
  const http: HttpClient = createHttpClient({
    userAgent: userAgent(config),
    timeoutMs: config.httpTimeoutMs,
    retries: config.httpRetries,
    retryBaseMs: config.httpRetryBaseMs,
    maxBytes: config.httpMaxBytes,
    fetch: deps.fetch,
    sleep: deps.sleep,
    logger,
    validators: createFetchCacheStore(deps.prisma),
  });
  let limiter: RateLimiter | undefined;
  const arxivGate = async () => {
    if (!deps.redis) throw new Error('the arXiv rate limit needs Redis (REDIS_URL)');
    limiter ??= createRedisRateLimiter({
      redis: deps.redis, key: rateLimitKey(config.queuePrefix, 'arxiv'), intervalMs: config.arxivMinIntervalMs,
      holdMs: config.httpTimeoutMs + 5000, sleep: deps.sleep,
    });
    return limiter.acquire();
  };
  return { http, arxivGate };
}

export function createLiveSources(deps: LiveSourceDeps, transport: LiveTransport = createLiveTransport(deps)): Record<SourceName, PaperSource> {
  const { config } = deps;
  const { http, arxivGate } = transport;
  const maxPages = deps.maxPages ?? 50;

  const arxivRss: PaperSource = {
    name: 'arxiv-rss',
    async fetchDay(day, store) {
      const out = empty();
      const url = `${config.arxivRssBaseUrl}/rss/${categories(config).join('+')}`;
      const res = await http.get(url, { expect: 'xml', gate: arxivGate });
      if (res.status === 304) return { ...out, notModified: true };
      // Parsed in slices, stored in batches as entries are read: no tree, no list of the whole day.
      const got = await ingestListing(slices(res.body), url, {
        batchSize: deps.batchSize ?? 1000,
        accept: (r) => applyAnnounceType(r, config.arxivAnnounceTypes),
        store: store ?? (async (records) => { out.records.push(...records); }),
      });
      const feed = got.summary;
      if (feed.feedError) {
        out.errors.push(feed.feedError);
        return out;
      }
      out.fetched = got.parsed;
      out.skippedEntries = got.skipped.map((s) => ({ source: 'arxiv-rss', where: `${url} entry ${s.position}`, reason: s.reason }));
      if (feed.day && feed.day !== day) {
        // Still stored (they are that day's listings), but they are not this day's papers.
        out.errors.push(feed.day < day
          ? `${url}: the listing of ${day} is not published yet (the feed is of ${feed.day})`
          : `${url}: the feed holds ${feed.day}, not ${day} (use --source arxiv-api to backfill past days)`);
        return { ...out, commit: undefined };
      }
      out.commit = res.commit;
      return out;
    },
  };

  const arxivApi: PaperSource = {
    name: 'arxiv-api',
    async fetchDay(day) {
      const out = empty();
      const window = submissionWindow(day);
      if (!window) return out; // weekend: no announcement
      const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-T:]/g, '');
      const cats = categories(config).map((c) => (c.includes('.') ? `cat:${c}` : `cat:${c}.*`)).join(' OR ');
      const query = `(${cats}) AND submittedDate:[${stamp(window.from)} TO ${stamp(new Date(window.to.getTime() - 60_000))}]`;
      const pageSize = Math.min(deps.apiPageSize ?? 1000, 2000);
      for (let start = 0, page = 0; page < maxPages; page++) {
        const params = new URLSearchParams({ search_query: query, start: String(start), max_results: String(pageSize), sortBy: 'submittedDate', sortOrder: 'ascending' });
        const url = `${config.arxivApiBaseUrl}/api/query?${params}`;
        const res = await http.get(url, { expect: 'xml', gate: arxivGate, conditional: false, acceptStatus: [400] });
        if (res.status === 304) break;
        const parsed = parseArxivApi(res.body, url);
        if (parsed.apiError) {
          out.errors.push(`${url}: arXiv API error: ${parsed.apiError}`);
          break;
        }
        out.fetched += parsed.records.length;
        out.records.push(...parsed.records.map((r): PaperRecord => ({ ...r, listing: { ...r.listing, day } })));
        out.skippedEntries.push(...parsed.skipped.map((s) => ({ source: 'arxiv-api' as const, where: `${url} entry ${s.position}`, reason: s.reason })));
        const got = parsed.records.length + parsed.skipped.length;
        start += got;
        if (got === 0 || parsed.totalResults === undefined || start >= parsed.totalResults) break;
      }
      return out;
    },
  };

  const hf: PaperSource = {
    name: 'hf',
    async fetchDay(day) {
      const out = empty();
      for (const listDay of hfDaysFor(day)) {
        let url: string | undefined = `${config.hfBaseUrl}/api/daily_papers?${new URLSearchParams({ date: listDay, limit: '100' })}`;
        for (let page = 0; url && page < maxPages; page++) {
          const res = await http.get(url, { expect: 'json', conditional: false });
          if (res.status === 304) break;
          const parsed = parseHfDaily(res.body, url, listDay);
          const ofDay = parsed.records.filter((r) => r.listing.day === listDay);
          out.fetched += parsed.records.length;
          out.records.push(...ofDay);
          out.skippedEntries.push(...parsed.skipped.map((s) => ({ source: 'hf' as const, where: `${url} entry ${s.position}`, reason: s.reason })));
          if (parsed.records.length + parsed.skipped.length === 0) break;
          url = nextLink(res.headers.get('link'), url);
        }
      }
      return out;
    },
  };

  return { 'arxiv-rss': arxivRss, 'arxiv-api': arxivApi, hf };
}

/** The `rel="next"` target of a Link header, resolved against the current URL. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2])) return new URL(m[1], base).toString();
  }
  return undefined;
}
