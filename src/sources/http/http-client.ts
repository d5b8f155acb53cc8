/**
 * The HTTP edge of every source: timeouts, retries with exponential backoff and full jitter on 5xx,
 * 429 and network errors (Retry-After honoured), conditional requests with stored validators, a
 * response size cap, a content-type check, and an optional per-request gate (the arXiv rate limit).
 */
import type { Logger } from '../source.js';
import { silentLogger } from '../source.js';

export type HttpErrorCode = 'HTTP_STATUS' | 'TIMEOUT' | 'TOO_LARGE' | 'CONTENT_TYPE' | 'NETWORK';

export class HttpError extends Error {
  constructor(readonly code: HttpErrorCode, message: string, readonly url: string, readonly status?: number, readonly retryable = false) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** Where validators of conditional requests are kept (the FetchCache table). */
export interface ValidatorStore {
  get(url: string): Promise<Validators | undefined>;
  set(url: string, v: Validators): Promise<void>;
}

export type HttpResult =
  | { status: 200; url: string; body: string; contentType: string; headers: Headers; commit(): Promise<void> }
  | { status: 304; url: string; commit(): Promise<void> };

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  /** Longest single wait (backoff or Retry-After); a longer Retry-After gives up. */
  maxRetryDelayMs?: number;
  maxBytes: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: Logger;
  validators?: ValidatorStore;
}

export interface GetOptions {
  /** Accepted content: anything else is an error (not retried). */
  expect: 'xml' | 'json';
  /** Send stored validators and accept 304 (default true when a ValidatorStore is set). */
  conditional?: boolean;
  /** Awaited before every attempt (rate limit); the function it returns is called when the attempt ends. */
  gate?: () => Promise<() => Promise<void>>;
  /** Statuses whose body is still returned as a result (arXiv API errors come as 400 feeds). */
  acceptStatus?: number[];
}

const ACCEPT = { xml: 'application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9', json: 'application/json' };

function contentTypeOk(type: string, expect: 'xml' | 'json'): boolean {
  if (type === '') return true; // some servers send none; the parser decides
  const t = type.toLowerCase();
  return expect === 'xml' ? /xml/.test(t) : /json/.test(t);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export interface HttpClient {
  get(url: string, options: GetOptions): Promise<HttpResult>;
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  const doFetch = o.fetch ?? fetch;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const logger = o.logger ?? silentLogger;
  const maxDelay = o.maxRetryDelayMs ?? 5 * 60_000;

  async function readCapped(res: Response, url: string, signal: AbortSignal): Promise<string> {
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > o.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new HttpError('TOO_LARGE', `${url}: response of ${declared} bytes exceeds HTTP_MAX_BYTES (${o.maxBytes})`, url, res.status);
    }
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for (;;) {
        if (signal.aborted) throw signal.reason;
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > o.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new HttpError('TOO_LARGE', `${url}: response exceeds HTTP_MAX_BYTES (${o.maxBytes})`, url, res.status);
        }
        chunks.push(value);
      }
    } finally {
      reader.releaseLock();
    }
    return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
  }

  async function attempt(url: string, opts: GetOptions, cached: Validators | undefined): Promise<HttpResult> {
    const headers: Record<string, string> = { 'user-agent': o.userAgent, accept: ACCEPT[opts.expect] };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const signal = AbortSignal.timeout(o.timeoutMs);
    let res: Response;
    try {
      res = await doFetch(url, { headers, signal, redirect: 'follow' });
    } catch (err) {
      throw wrapNetwork(err, url);
    }
    const noop = async () => undefined;
    if (res.status === 304 && cached) {
      await res.body?.cancel().catch(() => undefined);
      return { status: 304, url, commit: noop };
    }
    const accepted = res.ok || (opts.acceptStatus ?? []).includes(res.status);
    if (!accepted) {
      await res.body?.cancel().catch(() => undefined);
      const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
      const err = new HttpError('HTTP_STATUS', `${url}: HTTP ${res.status}`, url, res.status, retryable);
      (err as HttpError & { retryAfterMs?: number }).retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      throw err;
    }
    const contentType = res.headers.get('content-type') ?? '';
    if (!contentTypeOk(contentType, opts.expect)) {
      await res.body?.cancel().catch(() => undefined);
      throw new HttpError('CONTENT_TYPE', `${url}: expected ${opts.expect}, got content type "${contentType}"`, url, res.status);
    }
    let body: string;
    try {
      body = await readCapped(res, url, signal);
    } catch (err) {
      throw err instanceof HttpError ? err : wrapNetwork(err, url);
    }
    const validators: Validators = { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
    const store = o.validators;
    const commit = store && res.ok && (validators.etag || validators.lastModified) ? () => store.set(url, validators) : noop;
    return { status: 200, url, body, contentType, headers: res.headers, commit };
  }

  function wrapNetwork(err: unknown, url: string): HttpError {
    const e = err as Error & { cause?: Error };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return new HttpError('TIMEOUT', `${url}: no complete answer within ${o.timeoutMs} ms`, url, undefined, true);
    }
    const detail = e?.cause?.message ? `${e.message} (${e.cause.message})` : String(e?.message ?? err);
    return new HttpError('NETWORK', `${url}: ${detail}`, url, undefined, true);
  }

  return {
    async get(url, opts) {
      const conditional = opts.conditional ?? true;
      const cached = conditional && o.validators ? await o.validators.get(url) : undefined;
      for (let n = 0; ; n++) {
        const held = await opts.gate?.();
        let released = false;
        const release = async () => {
          if (held && !released) {
            released = true;
            await held();
          }
        };
        try {
          return await attempt(url, opts, cached);
        } catch (err) {
          const e = err as HttpError & { retryAfterMs?: number };
          if (!(e instanceof HttpError) || !e.retryable || n >= o.retries) throw err;
          const backoff = o.retryBaseMs * 2 ** n;
          const jittered = backoff / 2 + random() * (backoff / 2);
          const wait = e.retryAfterMs !== undefined ? Math.max(e.retryAfterMs, jittered) : jittered;
          if (wait > maxDelay) throw new HttpError(e.code, `${e.message}; Retry-After ${Math.round(wait / 1000)} s is too long`, url, e.status);
          await release();
          logger.warn({ url, attempt: n + 1, waitMs: Math.round(wait), error: e.message }, 'sources.http.retry');
          await sleep(wait);
        } finally {
          await release();
        }
      }
    },
  };
}
