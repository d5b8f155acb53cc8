/**
 * arXiv export API look-up by id: `ARXIV_API_BASE_URL/api/query?id_list=…` in batches of at most
 * 2000 ids (arXiv's limit of results per request), each request through the shared HTTP client and the
 * Redis rate limit of all arXiv requests. arXiv silently drops ids it does not know (an `id_list` of
 * one unknown and one real id answers with one entry and no error), so the returned ids are compared
 * with the requested ones and the missing ones are reported as `unknown`. A malformed id makes arXiv
 * answer the whole batch with HTTP 400 and an `/api/errors` entry, so ids are checked before they are
 * sent and malformed ones are reported as `invalid`. An error answer or a failed request is reported
 * for its batch; the other batches go on.
 */
import type { PaperRecord } from '../papers/types.js';
import type { LiveTransport } from './live-sources.js';
import { parseArxivApi } from './parsers/arxiv-api.js';
import { parseArxivId } from './parsers/arxiv-id.js';
import { silentLogger, type Logger, type SkippedEntry } from './source.js';

/** arXiv's limit: at most 2000 results per request. */
export const ARXIV_MAX_BATCH = 2000;

export interface LookupResult {
  /** One record per id found (source `arxiv-api`, listing day = the v1 announcement day). */
  records: PaperRecord[];
  /** Well-formed ids that arXiv did not return (it drops unknown ids without an error). */
  unknown: string[];
  /** Inputs that are not arXiv ids (never sent). */
  invalid: string[];
  /** One message per failed batch: HTTP failure, API error feed, or unparsable answer. */
  errors: string[];
  skippedEntries: SkippedEntry[];
  /** Requests made (one per batch). */
  requests: number;
}

export interface ArxivLookup {
  lookupIds(ids: string[]): Promise<LookupResult>;
}

export interface ArxivLookupDeps {
  transport: LiveTransport;
  /** ARXIV_API_BASE_URL. */
  baseUrl: string;
  /** Ids per request; capped at ARXIV_MAX_BATCH (tests use a smaller one to show the splitting). */
  batchSize?: number;
  logger?: Logger;
}

export function createArxivLookup(deps: ArxivLookupDeps): ArxivLookup {
  const batchSize = Math.max(1, Math.min(deps.batchSize ?? ARXIV_MAX_BATCH, ARXIV_MAX_BATCH));
  const logger = deps.logger ?? silentLogger;
  const { http, arxivGate } = deps.transport;

  return {
    async lookupIds(ids) {
      const out: LookupResult = { records: [], unknown: [], invalid: [], errors: [], skippedEntries: [], requests: 0 };
      // Requested form (a versioned id asks for that version) keyed by the versionless id; one each.
      const wanted = new Map<string, string>();
      for (const raw of ids) {
        const parsed = parseArxivId(raw);
        if (!parsed) {
          if (!out.invalid.includes(raw)) out.invalid.push(raw);
          continue;
        }
        if (!wanted.has(parsed.id)) wanted.set(parsed.id, parsed.version ? `${parsed.id}v${parsed.version}` : parsed.id);
      }
      const all = [...wanted.entries()];
      for (let i = 0; i < all.length; i += batchSize) {
        const batch = all.slice(i, i + batchSize);
        const params = new URLSearchParams({ id_list: batch.map(([, asked]) => asked).join(','), start: '0', max_results: String(batch.length) });
        const url = `${deps.baseUrl}/api/query?${params}`;
        out.requests++;
        try {
          const res = await http.get(url, { expect: 'xml', gate: arxivGate, conditional: false, acceptStatus: [400] });
          if (res.status === 304) throw new Error(`${url}: unexpected 304 Not Modified`);
          const parsed = parseArxivApi(res.body, url);
          if (parsed.apiError !== undefined) {
            out.errors.push(`${url}: arXiv API error: ${parsed.apiError}`);
            continue;
          }
          const found = new Set<string>();
          for (const r of parsed.records) {
            if (!wanted.has(r.id) || found.has(r.id)) continue; // not asked for in this batch, or twice
            found.add(r.id);
            out.records.push(r);
          }
          out.skippedEntries.push(...parsed.skipped.map((s) => ({ source: 'arxiv-api' as const, where: `${url} entry ${s.position}`, reason: s.reason })));
          for (const [id] of batch) if (!found.has(id)) out.unknown.push(id);
        } catch (err) {
          if (!(err instanceof Error)) throw err;
          out.errors.push(err.message.includes(url) ? err.message : `${url}: ${err.message}`);
        }
      }
      logger.info({ requested: wanted.size, found: out.records.length, unknown: out.unknown.length, invalid: out.invalid.length, errors: out.errors.length }, 'sources.lookup.done');
      return out;
    },
  };
}
