/**
 * The only reader of process.env. Every setting is declared once in SETTINGS (name, default,
 * parser, description); `loadConfig` parses them all, fails with one line naming the bad variable
 * and why, and returns a frozen Config. The README's configuration table is generated from
 * SETTINGS (`npm run docs:config`) and a test keeps the two in step.
 */
import { ConfigError } from './errors.js';

type Parser<T> = (raw: string, name: string) => T;

export interface Setting<T> {
  name: string;
  area: string;
  description: string;
  /** Default as shown in the README; undefined = unset. */
  default?: string;
  parse: Parser<T>;
  /** Settings that must not be logged. */
  secret?: boolean;
}

const str: Parser<string> = (raw) => raw;
const int = (min: number, max: number): Parser<number> => (raw, name) => {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
};
const bool: Parser<boolean> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
};
const url = (protocols: string[]): Parser<string> => (raw, name) => {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL: "${raw}"`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${u.protocol}"`);
  }
  return raw.replace(/\/+$/, '');
};
const oneOf = <T extends string>(values: readonly T[]): Parser<T> => (raw, name) => {
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  }
  return raw as T;
};
/** A rate such as `10/10m` (10 per 10 minutes); `off` disables the limit. Units: s, m, h. */
export interface Rate { limit: number; windowMs: number }
const rate: Parser<Rate | null> = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (v === 'off' || v === '0') return null;
  const m = /^(\d{1,7})\/(\d{1,6})(s|m|h)$/.exec(v);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new ConfigError(name, `must look like 10/10m (count per time with unit s, m or h) or off, got "${raw}"`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000 }[m[3] as 's' | 'm' | 'h'];
  return { limit: Number(m[1]), windowMs: Number(m[2]) * unit };
};
const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);
const timeZone: Parser<string> = (raw, name) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    throw new ConfigError(name, `is not a known IANA time zone: "${raw}"`);
  }
  return raw;
};
const cron: Parser<string> = (raw, name) => {
  const fields = raw.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6 || !fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f))) {
    throw new ConfigError(name, `must be a cron pattern of 5 or 6 fields, got "${raw}"`);
  }
  return fields.join(' ');
};

/** Every setting Paperboy reads, grouped by area. Order here is the order in the README table. */
export const SETTINGS = {
  // --- service
  nodeEnv: { name: 'NODE_ENV', area: 'service', description: '`production` makes SECRET_KEY mandatory and logs JSON only.', default: 'development', parse: oneOf(['development', 'production', 'test'] as const) },
  logLevel: { name: 'LOG_LEVEL', area: 'service', description: 'pino log level (trace, debug, info, warn, error, fatal, silent).', default: 'info', parse: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const) },
  port: { name: 'PORT', area: 'service', description: 'HTTP port of the web process.', default: '3000', parse: int(0, 65535) },
  host: { name: 'HOST', area: 'service', description: 'Interface the web process binds to.', default: '0.0.0.0', parse: str },
  publicBaseUrl: { name: 'PUBLIC_BASE_URL', area: 'service', description: 'Public URL of the web process, used in every link of every email.', default: 'http://localhost:3000', parse: url(['http:', 'https:']) },
  secretKey: { name: 'SECRET_KEY', area: 'service', description: 'Key that signs confirm / manage / unsubscribe links (at least 32 characters). Required in production; in development a fixed insecure key is used with a warning.', parse: str, secret: true },
  previousSecretKeys: { name: 'SECRET_KEYS_PREVIOUS', area: 'service', description: 'Comma-separated former SECRET_KEYs still accepted when verifying links, so a rotation does not break links already mailed.', default: '', parse: list, secret: true },
  trustProxy: { name: 'TRUST_PROXY', area: 'service', description: "Express `trust proxy`: number of proxy hops in front of the web process (0 = none), or `true`/`false`.", default: '0', parse: str },
  workerConcurrency: { name: 'WORKER_CONCURRENCY', area: 'service', description: 'Digests one worker process has in flight at once (claimed and not yet recorded); send batches share them.', default: '5', parse: int(1, 500) },
  matchThreads: { name: 'MATCH_THREADS', area: 'service', description: "Threads a worker process matches a large daily run on: a mixed day's fields, or the day's topics, divided among them (docs/matching.md, \"On both cores\"); the digests are the same as on one. 1 = the process's own thread only.", default: '2', parse: int(1, 64) },
  matchPoolFrom: { name: 'MATCH_POOL_FROM', area: 'service', description: 'Active subscribers from which a daily run matches on MATCH_THREADS threads (starting them and building the day on each costs a few seconds, which a small run does not win back).', default: '2000', parse: int(0, 100000000) },
  shutdownGraceMs: { name: 'SHUTDOWN_GRACE_MS', area: 'service', description: 'On SIGTERM, how long in-flight jobs may finish before the process exits anyway.', default: '25000', parse: int(0, 600000) },
  adminUser: { name: 'ADMIN_USER', area: 'service', description: 'Basic-auth user for /admin/queues (the queue dashboard). Unset = dashboard off.', parse: str },
  adminPassword: { name: 'ADMIN_PASSWORD', area: 'service', description: 'Basic-auth password for /admin/queues.', parse: str, secret: true },
  // --- web
  rateSignupPerIp: { name: 'RATE_LIMIT_SIGNUP_IP', area: 'web', description: 'Signups (form and API, including "send a new link") per client IP, e.g. `10/10m`; beyond it the answer is 429. `off` disables. Counted in Redis, so it holds across processes.', default: '10/10m', parse: rate },
  rateSignupPerEmail: { name: 'RATE_LIMIT_SIGNUP_EMAIL', area: 'web', description: 'Signup attempts per email address; beyond it the request is answered as usual but nothing is done or sent (no enumeration).', default: '5/1h', parse: rate },
  ratePreviewPerIp: { name: 'RATE_LIMIT_PREVIEW_IP', area: 'web', description: 'Live-preview requests per client IP.', default: '120/1m', parse: rate },
  rateManagePerIp: { name: 'RATE_LIMIT_MANAGE_IP', area: 'web', description: 'Preference changes, "More / Less like this" answers, confirmations and exports per client IP. One-click unsubscribe is never limited.', default: '60/1m', parse: rate },
  consentIp: { name: 'CONSENT_IP', area: 'web', description: 'What the consent record keeps of the signup IP: `hash` (HMAC with SECRET_KEY), `full`, or `none`.', default: 'hash', parse: oneOf(['hash', 'full', 'none'] as const) },
  pendingPurgeDays: { name: 'PENDING_PURGE_DAYS', area: 'web', description: 'Signups not confirmed within this many days are deleted by the maintenance job (confirmation links expire after 7).', default: '30', parse: int(8, 3650) },
  requestTimeoutMs: { name: 'REQUEST_TIMEOUT_MS', area: 'web', description: 'A web request not answered within this time gets a 503 (e.g. PostgreSQL or Redis unreachable).', default: '5000', parse: int(100, 600000) },
  // --- storage
  databaseUrl: { name: 'DATABASE_URL', area: 'storage', description: 'PostgreSQL connection URL. The database is created at start when missing (see DATABASE_CREATE).', default: 'postgresql://postgres@127.0.0.1:5432/paperboy', parse: url(['postgres:', 'postgresql:']), secret: true },
  databaseCreate: { name: 'DATABASE_CREATE', area: 'storage', description: 'Create the database named in DATABASE_URL if it does not exist.', default: 'true', parse: bool },
  databasePoolSize: { name: 'DATABASE_POOL_SIZE', area: 'storage', description: 'PostgreSQL connections per process.', default: '10', parse: int(1, 200) },
  redisUrl: { name: 'REDIS_URL', area: 'storage', description: 'Redis URL (queues, schedules, cross-process rate limits). Redis may lose everything: PostgreSQL is the source of truth.', default: 'redis://127.0.0.1:6379', parse: url(['redis:', 'rediss:']), secret: true },
  queuePrefix: { name: 'QUEUE_PREFIX', area: 'storage', description: 'Prefix of every Redis key Paperboy writes (lets several instances share one Redis).', default: 'paperboy', parse: str },
  // --- schedule
  digestCron: { name: 'DIGEST_CRON', area: 'schedule', description: 'When the daily run (fetch → match → queue sends) fires, as a cron pattern in DIGEST_TZ. arXiv publishes the listing of day D at midnight US Eastern (04:00–05:00 UTC), so the default runs after it.', default: '30 5 * * *', parse: cron },
  digestTimeZone: { name: 'DIGEST_TZ', area: 'schedule', description: 'Time zone of DIGEST_CRON and of the digest date.', default: 'UTC', parse: timeZone },
  // --- sources
  sources: { name: 'SOURCES', area: 'sources', description: 'Comma-separated sources fetched by the daily run: `arxiv-rss`, `arxiv-api`, `hf`. With an arXiv source a day has a digest when arXiv announced papers on it; with `hf` alone every weekday has one (docs/sources.md).', default: 'arxiv-rss,hf', parse: list },
  feedsDir: { name: 'FEEDS_DIR', area: 'sources', description: 'Read recorded feed files from this folder instead of the network (offline runs, the demo).', parse: str },
  historyDays: { name: 'HISTORY_DAYS', area: 'sources', description: 'A new instance\'s history. When a daily run finds a small window with few papers stored before it (fewer than the 240 the matcher completes a small day to), fewer than this many days with listings in the 60 days before, and no earlier run has done so, it first fetches the HISTORY_DAYS days before the digest date (as `paperboy fetch --back`; arXiv through the export API), so that its first digests are matched with earlier papers as context (docs/matching.md, "Context"). Those papers are sent only to subscribers whose window they fall in (a week at most, never before they confirmed). 0 = off.', default: '5', parse: int(0, 60) },
  arxivCategories: { name: 'ARXIV_CATEGORIES', area: 'sources', description: 'arXiv categories or archives whose daily announcements are fetched, joined with `+` or `,`.', default: 'cs', parse: str },
  arxivAnnounceTypes: { name: 'ARXIV_ANNOUNCE_TYPES', area: 'sources', description: 'Announcement types kept from arXiv listings (`new`, `cross`, `replace`, `replace-cross`).', default: 'new,cross', parse: list },
  arxivRssBaseUrl: { name: 'ARXIV_RSS_BASE_URL', area: 'sources', description: 'Base URL of arXiv listing feeds.', default: 'https://rss.arxiv.org', parse: url(['http:', 'https:']) },
  arxivApiBaseUrl: { name: 'ARXIV_API_BASE_URL', area: 'sources', description: 'Base URL of the arXiv export API.', default: 'http://export.arxiv.org', parse: url(['http:', 'https:']) },
  hfBaseUrl: { name: 'HF_BASE_URL', area: 'sources', description: 'Base URL of the Hugging Face API.', default: 'https://huggingface.co', parse: url(['http:', 'https:']) },
  contactEmail: { name: 'CONTACT_EMAIL', area: 'sources', description: 'Contact address sent in the User-Agent to arXiv and Hugging Face (their terms ask for one).', default: 'paperboy@localhost', parse: str },
  httpTimeoutMs: { name: 'HTTP_TIMEOUT_MS', area: 'sources', description: 'Timeout of one HTTP request to a source.', default: '30000', parse: int(100, 600000) },
  httpRetries: { name: 'HTTP_RETRIES', area: 'sources', description: 'Retries after a 5xx, 429 or network error (exponential backoff with jitter, Retry-After honoured).', default: '4', parse: int(0, 20) },
  httpRetryBaseMs: { name: 'HTTP_RETRY_BASE_MS', area: 'sources', description: 'First backoff delay; it doubles on each retry.', default: '1000', parse: int(1, 600000) },
  httpMaxBytes: { name: 'HTTP_MAX_BYTES', area: 'sources', description: 'Largest response body accepted from a source.', default: '52428800', parse: int(1024, 2 ** 31) },
  arxivApiEnrich: { name: 'ARXIV_API_ENRICH', area: 'sources', description: "After the arXiv RSS listing of a day is stored, look its new papers up in the export API to fill in what the feed lacks (submission and version dates, comment, journal ref, DOI, affiliations). Adds no papers to the day; a failure only shows in the report. Never used with FEEDS_DIR.", default: 'true', parse: bool },
  arxivApiLookupBatch: { name: 'ARXIV_API_LOOKUP_BATCH', area: 'sources', description: "Ids per export API look-up request (`id_list`); arXiv allows at most 2000 results a request; the default keeps the GET URL near 4 KB (a 2000-id list is ~22 KB, which proxies and servers may refuse).", default: '400', parse: int(1, 2000) },
  arxivMinIntervalMs: { name: 'ARXIV_MIN_INTERVAL_MS', area: 'sources', description: "Minimum spacing of requests to arXiv across all processes (arXiv's terms: one every 3 s).", default: '3000', parse: int(0, 600000) },
  // --- mail
  smtpUrl: { name: 'SMTP_URL', area: 'mail', description: 'SMTP relay, e.g. `smtps://user:pass@smtp.example.org:465`. Unset = every message is written as an .eml file to OUTBOX_DIR.', parse: url(['smtp:', 'smtps:']), secret: true },
  outboxDir: { name: 'OUTBOX_DIR', area: 'mail', description: 'Folder of the local outbox used when SMTP_URL is unset.', default: './outbox', parse: str },
  mailFrom: { name: 'MAIL_FROM', area: 'mail', description: 'From address of every message.', default: 'Paperboy <paperboy@localhost>', parse: str },
  mailReplyTo: { name: 'MAIL_REPLY_TO', area: 'mail', description: 'Reply-To address (optional).', parse: str },
  postalAddress: { name: 'MAIL_POSTAL_ADDRESS', area: 'mail', description: 'Sender identity / postal line printed in every footer.', default: 'Paperboy, a self-hosted paper digest', parse: str },
  listId: { name: 'LIST_ID', area: 'mail', description: 'List-Id header value (a domain-like identifier).', default: 'daily.paperboy.localhost', parse: str },
  unsubscribeMailto: { name: 'UNSUBSCRIBE_MAILTO', area: 'mail', description: 'Optional mailto address added to List-Unsubscribe.', parse: str },
  smtpPoolConnections: { name: 'SMTP_POOL_CONNECTIONS', area: 'mail', description: 'Pooled SMTP connections per worker process.', default: '5', parse: int(1, 100) },
  smtpRatePerSecond: { name: 'SMTP_RATE_PER_SECOND', area: 'mail', description: 'Messages per second across all worker processes (0 = unlimited).', default: '0', parse: int(0, 100000) },
  sendAttempts: { name: 'SEND_ATTEMPTS', area: 'mail', description: 'Tries of one digest after transient failures (4xx, connection errors, timeouts) before it is marked `failed`.', default: '8', parse: int(1, 50) },
  sendBatchSize: { name: 'SEND_BATCH_SIZE', area: 'mail', description: 'Digests per send job: a batch is loaded with a few queries and its rows are claimed and recorded in grouped statements (each row is still claimed just before its own SMTP transaction).', default: '50', parse: int(1, 1000) },
  sendBackoffMs: { name: 'SEND_BACKOFF_MS', area: 'mail', description: 'First retry delay of a digest after a transient failure; it doubles on each retry, with ±50% jitter.', default: '30000', parse: int(1, 3600000) },
  sendThrottlePauseMs: { name: 'SEND_THROTTLE_PAUSE_MS', area: 'mail', description: 'How long every worker stops sending when the relay answers 421 or 454 (throttling); attempts are not used up.', default: '60000', parse: int(1, 3600000) },
  sendOrphanAfterMs: { name: 'SEND_ORPHAN_AFTER_MS', area: 'mail', description: 'A digest claimed for sending longer ago than this belongs to a dead process and is marked `uncertain` (never resent automatically; see docs/delivery.md).', default: '600000', parse: int(1000, 86400000) },
  sendErrorBreaker: { name: 'SEND_ERROR_BREAKER', area: 'mail', description: 'Circuit breaker: pause the send queue when more than this share (0–100 %) of the last 100 send attempts failed (0 = off).', default: '50', parse: int(0, 100) },
  maxHardBounces: { name: 'MAX_HARD_BOUNCES', area: 'mail', description: 'Hard bounces after which a subscriber is suspended.', default: '1', parse: int(1, 100) },
  dkimDomain: { name: 'DKIM_DOMAIN', area: 'mail', description: 'DKIM signing domain (DKIM is on when this and DKIM_PRIVATE_KEY are set).', parse: str },
  dkimSelector: { name: 'DKIM_SELECTOR', area: 'mail', description: 'DKIM selector.', default: 'paperboy', parse: str },
  dkimPrivateKey: { name: 'DKIM_PRIVATE_KEY', area: 'mail', description: 'DKIM private key (PEM text, or a path to a PEM file).', parse: str, secret: true },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof SETTINGS;
export type Config = {
  readonly [K in keyof Settings]: Settings[K] extends Setting<infer T>
    ? Settings[K] extends { default: string } ? T : T | undefined
    : never;
};

const DEV_SECRET = 'paperboy-development-secret-not-for-production-use';

/** Parse the environment (or any record of strings). Throws ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[setting.name];
    const value = raw !== undefined && raw !== '' ? raw : setting.default;
    out[key] = value === undefined ? undefined : setting.parse(value, setting.name);
  }
  if (out.secretKey === undefined) {
    if (out.nodeEnv === 'production') throw new ConfigError('SECRET_KEY', 'is required when NODE_ENV=production');
    out.secretKey = DEV_SECRET;
  } else if ((out.secretKey as string).length < 32) {
    throw new ConfigError('SECRET_KEY', 'must be at least 32 characters long');
  }
  for (const s of out.sources as string[]) {
    if (!['arxiv-rss', 'arxiv-api', 'hf'].includes(s)) {
      throw new ConfigError('SOURCES', `unknown source "${s}" (known: arxiv-rss, arxiv-api, hf)`);
    }
  }
  for (const t of out.arxivAnnounceTypes as string[]) {
    if (!['new', 'cross', 'replace', 'replace-cross'].includes(t)) {
      throw new ConfigError('ARXIV_ANNOUNCE_TYPES', `unknown announce type "${t}"`);
    }
  }
  if (out.adminUser !== undefined && out.adminPassword === undefined) {
    throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_USER is set');
  }
  return Object.freeze(out) as Config;
}

/** True when the development signing key is in use (logged as a warning at start). */
export function usesDevelopmentSecret(config: Config): boolean {
  return config.secretKey === DEV_SECRET;
}

/** Build a Config for tests: defaults + overrides, without reading process.env. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}
