/**
 * The daily run for one digest date: fetch → store → match every active subscriber → one queued
 * Delivery (with its papers) per subscriber that has something new → hand the queued deliveries to the
 * send queue, each released at the subscriber's hour in their time zone. Everything is decided from
 * and recorded in PostgreSQL, so re-running a date (after a crash, a Redis wipe or a double trigger)
 * composes nothing twice and re-enqueues only what is unsent. See docs/delivery.md.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { Ingestor, IngestReport, SourceName } from '../sources/source.js';
import { CONTEXT_LOOKBACK_DAYS, toMatchPaper, type PaperRepository, type Paper } from '../papers/paper-repository.js';
import { createMatcher } from '../matching/matcher.js';
import { createMatchPool, type MatchPool, type MatchRequest } from '../matching/match-pool.js';
import type { MatchHit, TopicFeedback } from '../matching/types.js';
import { fieldParts, mixedFields } from '../matching/fields.js';
import { DEFAULT_PARAMS } from '../matching/params.js';
import { FEEDBACK_LOOKBACK_DAYS, recentFeedback } from '../subscriptions/feedback.js';
import { digestMessageId } from '../mail/message.js';
import { addDays, dateToDay, dayToDate, daysBefore, weekday, zonedTime } from '../time.js';
import { selectPapers, windowStart, WINDOW_DAYS, type SelectedPaper } from './select-papers.js';
import type { ComposeReport, RunLedger } from './run-ledger.js';

export interface SendScheduler {
  /** Enqueue (idempotently: deterministic batch job ids) the sends of deliveries, each at its `sendAt`. */
  schedule(items: { deliveryId: string; sendAt: Date }[]): Promise<unknown>;
}

export interface RunResult extends ComposeReport {
  ingest?: IngestReport;
  /** No paper in the look-back window: nobody gets a digest. */
  nothingToday: boolean;
}

export interface DigestRunService {
  run(date: string, options?: { fetch?: boolean; dryRun?: boolean }): Promise<RunResult>;
  /**
   * Re-enqueue every queued delivery of the date from PostgreSQL (after a Redis wipe). With
   * `createdBefore`, only rows created before that instant (the run enqueues its own as it goes).
   */
  scheduleQueued(date: string, options?: { createdBefore?: Date }): Promise<number>;
}

/** Raised when the sources failed: the run is marked failed and nothing is composed. */
export class SourcesFailedError extends Error {
  readonly code = 'SOURCES_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'SourcesFailedError';
  }
}

export const SUBSCRIBER_PAGE = 500;

/**
 * Whether the day's window and the earlier papers stored for it together fall short of the day size
 * the matcher is tuned for (docs/matching.md, "Context"): a new instance, or one with little history.
 */
export function littleHistory(report: Pick<ComposeReport, 'candidatePapers' | 'contextPapers'>): boolean {
  return report.candidatePapers > 0 && report.candidatePapers + (report.contextPapers ?? 0) < DEFAULT_PARAMS.contextPapers;
}

interface PlannedDelivery {
  id: string;
  subscriberId: string;
  messageId: string;
  sendAt: Date;
  papers: SelectedPaper[];
}

export function createDigestRunService(deps: {
  prisma: PrismaClient;
  ingestor: Ingestor;
  papers: PaperRepository;
  sends: SendScheduler;
  ledger: RunLedger;
  messageIdDomain: string;
  logger: Logger;
  /**
   * Threads a run matches on when it has at least `matchPoolFrom` active subscribers (MATCH_THREADS,
   * MATCH_POOL_FROM; 1 or absent: the process's own thread). The hits are the same either way.
   */
  matchThreads?: number;
  matchPoolFrom?: number;
  /** Subscribers read, matched and inserted together (SUBSCRIBER_PAGE; tests make it small to cross pages). */
  subscriberPage?: number;
  /**
   * A new instance's history (HISTORY_DAYS; absent or 0: off): how many days before a small first
   * window to fetch, and from which sources (arXiv's RSS feed only holds the latest listing).
   */
  history?: { days: number; sources?: SourceName[] };
}): DigestRunService {
  const { prisma, logger, ledger } = deps;
  const subscriberPage = deps.subscriberPage ?? SUBSCRIBER_PAGE;

  async function scheduleQueued(date: string, options: { createdBefore?: Date } = {}): Promise<number> {
    let cursor: string | undefined;
    let n = 0;
    for (;;) {
      const page = await prisma.delivery.findMany({
        where: {
          digestDate: dayToDate(date), status: 'queued',
          ...(options.createdBefore ? { createdAt: { lt: options.createdBefore } } : {}),
          ...(cursor ? { id: { gt: cursor } } : {}),
        },
        select: { id: true, sendAt: true }, orderBy: { id: 'asc' }, take: 1000,
      });
      if (page.length === 0) return n;
      cursor = page[page.length - 1].id;
      await deps.sends.schedule(page.map((d) => ({ deliveryId: d.id, sendAt: d.sendAt })));
      n += page.length;
    }
  }

  /** Insert a page of deliveries and their papers in one transaction; returns the ones that were new. */
  async function insert(date: string, planned: PlannedDelivery[]): Promise<PlannedDelivery[]> {
    if (planned.length === 0) return [];
    return prisma.$transaction(async (tx) => {
      // A concurrent run of the same date waits on the unique index and then inserts nothing.
      const created = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO delivery (id, subscriber_id, digest_date, status, message_id, send_at, attempts, created_at, updated_at)
        SELECT d.id, d.sid, ${date}::date, 'queued', d.mid, d.at::timestamptz AT TIME ZONE 'UTC', 0, now(), now()
        FROM unnest(${planned.map((p) => p.id)}::uuid[], ${planned.map((p) => p.subscriberId)}::uuid[],
                    ${planned.map((p) => p.messageId)}::text[], ${planned.map((p) => p.sendAt.toISOString())}::text[]) AS d(id, sid, mid, at)
        ON CONFLICT DO NOTHING
        RETURNING id`;
      const mine = new Set(created.map((r) => r.id));
      const inserted = planned.filter((p) => mine.has(p.id));
      const rows = inserted.flatMap((p) => p.papers.map((h, i) => ({ d: p.id, s: p.subscriberId, h, rank: i + 1 })));
      if (rows.length > 0) {
        await tx.$executeRaw`
          INSERT INTO delivery_paper (delivery_id, subscriber_id, paper_id, topic, rank, score, why)
          SELECT * FROM unnest(${rows.map((r) => r.d)}::uuid[], ${rows.map((r) => r.s)}::uuid[], ${rows.map((r) => r.h.paperId)}::text[],
                               ${rows.map((r) => r.h.topic)}::text[], ${rows.map((r) => r.rank)}::int[], ${rows.map((r) => r.h.rankScore)}::float8[],
                               ${rows.map((r) => r.h.why)}::text[])
          ON CONFLICT DO NOTHING`;
      }
      return inserted;
    }, { timeout: 60_000 });
  }

  async function fetchPapers(date: string, report: RunResult, fetch: boolean): Promise<void> {
    if (!fetch) return;
    let ingest: IngestReport;
    try {
      ingest = await deps.ingestor.fetchDay(date);
    } catch (err) {
      const reason = `paper sources failed: ${(err as Error).message}`;
      await ledger.fail(date, reason);
      throw new SourcesFailedError(reason);
    }
    report.ingest = ingest;
    report.sources = ingest.sources.map((s) => ({ source: s.source, fetched: s.fetched, new: s.new, updated: s.updated, errors: s.errors.slice(0, 5), empty: s.empty }));
    report.papersFetched = ingest.sources.reduce((n, s) => n + s.fetched, 0);
    // A source that errored and delivered nothing would make every digest partial: fail the run
    // (the daily job retries it with backoff) rather than mail incomplete digests.
    const broken = ingest.sources.filter((s) => s.errors.length > 0 && s.fetched === 0 && !s.empty);
    if (broken.length > 0) {
      const reason = `paper sources failed: ${broken.map((s) => `${s.source}: ${s.errors[0]}`).join('; ')}`;
      await ledger.fail(date, reason);
      throw new SourcesFailedError(reason);
    }
  }

  /**
   * A new instance's history (HISTORY_DAYS), fetched once: when no earlier run has fetched it and
   * fewer than `history.days` days of the last CONTEXT_LOOKBACK_DAYS before `date` have listings (a
   * new instance, not a small one with a past), fetch the `history.days` days before `date`, oldest
   * first, as `paperboy fetch --back` does. A failure is reported and logged, never fatal: the papers
   * are there for context. Returns whether the sources gave any paper (new or already stored: its
   * listing may be new).
   */
  async function fetchHistory(date: string, report: RunResult): Promise<boolean> {
    const n = deps.history?.days ?? 0;
    if (n <= 0) return false;
    const [{ done }] = await prisma.$queryRaw<{ done: boolean }[]>`SELECT EXISTS (SELECT 1 FROM digest_run WHERE report ? 'history') AS done`;
    if (done) return false;
    const listed = await prisma.paperListing.findMany({
      where: { day: { gte: dayToDate(addDays(date, -CONTEXT_LOOKBACK_DAYS)), lt: dayToDate(date) } },
      distinct: ['day'], select: { day: true },
    });
    if (listed.length >= n) return false;
    const days = daysBefore(date, n);
    const history = { days, papers: 0, errors: [] as string[] };
    let fetched = 0;
    for (const d of days) {
      try {
        const got = await deps.ingestor.fetchDay(d, { sources: deps.history?.sources });
        fetched += got.sources.reduce((k, s) => k + s.fetched, 0);
        history.papers += got.sources.reduce((k, s) => k + s.new, 0);
        for (const s of got.sources) for (const e of s.errors) history.errors.push(`${d} ${s.source}: ${e}`);
      } catch (err) {
        history.errors.push(`${d}: ${(err as Error).message}`);
      }
    }
    report.history = { ...history, errors: history.errors.slice(0, 5) };
    logger.info({ date, days, papers: history.papers, errors: history.errors.length },
      'digest.run.history-fetched: a new instance, so the days before were fetched first (HISTORY_DAYS): matching context for its first small days');
    for (const e of history.errors.slice(0, 5)) logger.warn({ date, error: e }, 'digest.run.history-error: an earlier day could not be fetched (context only; the run goes on)');
    return fetched > 0;
  }

  return {
    scheduleQueued,

    async run(date, options = {}) {
      const started = Date.now();
      const report: RunResult = {
        date, papers: 0, candidatePapers: 0, subscribersConsidered: 0, subscribersMatched: 0,
        deliveriesCreated: 0, deliveriesScheduled: 0, composeMs: 0, nothingToday: false,
      };
      if (!options.dryRun) await ledger.start(date);
      // The database's clock, typed like delivery.created_at (which the inserts below set to now()):
      // rows this run inserts are created after it (see the final enqueue).
      const [{ now: runStartedAt }] = await prisma.$queryRaw<{ now: Date }[]>`SELECT now()::timestamp(3) AS now`;
      await fetchPapers(date, report, options.fetch !== false);

      // Candidates: the papers listed in the week up to `date`; each paper's latest listing day
      // decides which subscribers' windows it falls in. Gathered again when earlier days are fetched.
      const from = addDays(date, -(WINDOW_DAYS - 1));
      const contextTarget = DEFAULT_PARAMS.contextPapers;
      const gather = async () => {
        const todays = await deps.papers.forDigestDay(date);
        const week = await deps.papers.listedBetween(from, date);
        const listings = await prisma.paperListing.findMany({ where: { day: { gte: dayToDate(from), lte: dayToDate(date) } }, select: { paperId: true, day: true } });
        const lastDay = new Map<string, string>();
        for (const l of listings) {
          const d = dateToDay(l.day);
          if ((lastDay.get(l.paperId) ?? '') < d) lastDay.set(l.paperId, d);
        }
        const byId = new Map<string, Paper>();
        for (const p of week) byId.set(p.id, p);
        for (const p of todays) {
          byId.set(p.id, p);
          lastDay.set(p.id, date);
        }
        for (const id of byId.keys()) if (!lastDay.has(id)) lastDay.set(id, date);
        // Context for small windows (docs/matching.md, "Context"): a matcher over fewer than
        // contextPapers papers also learns from the most recently listed papers outside its window —
        // the week's earlier ones first, then those before the week — which are never selected.
        const earlier = byId.size > 0 && byId.size < contextTarget ? await deps.papers.listedBefore(from, contextTarget, CONTEXT_LOOKBACK_DAYS) : [];
        report.papers = todays.length;
        report.candidatePapers = byId.size;
        report.contextPapers = earlier.length;
        return { byId, lastDay, earlier };
      };
      let { byId, lastDay, earlier } = await gather();
      // A new instance has no history: fetch the days before once (HISTORY_DAYS), then gather again.
      if (options.fetch !== false && littleHistory(report) && await fetchHistory(date, report)) ({ byId, lastDay, earlier } = await gather());
      report.nothingToday = byId.size === 0;
      report.mixedFields = mixedFields(byId.values());
      if (report.mixedFields) {
        // The matcher cuts such a day into the days of single-field instances (fieldParts).
        report.fieldParts = fieldParts([...byId.values()])?.map((p) => ({ field: p.field ?? null, papers: p.papers.length }));
        logger.info({ date, candidatePapers: byId.size, fields: report.mixedFields, parts: report.fieldParts },
          'digest.run.mixed-fields: the day mixes arXiv groups; it is matched field by field, as one instance per field would match it (docs/matching.md, "A fifth kind of day")');
      }
      if (littleHistory(report)) {
        logger.warn({ date, candidatePapers: byId.size, contextPapers: earlier.length, wanted: contextTarget },
          'digest.run.little-history: a small day matched with few earlier papers; `paperboy fetch --back N` stores earlier days');
      }
      const byRecency = [...byId.values()].sort((a, b) => lastDay.get(b.id)!.localeCompare(lastDay.get(a.id)!));
      // A large run matches on a pool of threads (docs/matching.md, "On both cores"): same hits.
      const threads = deps.matchThreads ?? 1;
      const pool: MatchPool | undefined = !report.nothingToday && threads > 1
        && await prisma.subscriber.count({ where: { status: 'active' } }) >= (deps.matchPoolFrom ?? 2000) ? createMatchPool(threads) : undefined;
      report.matchThreads = pool ? threads : 1;
      type WindowMatcher = (requests: MatchRequest[]) => Promise<MatchHit[][]>;
      const matchers = new Map<string, WindowMatcher>();
      const matcherFor = (start: string): WindowMatcher => {
        let m = matchers.get(start);
        if (!m) {
          const window = [...byId.values()].filter((p) => lastDay.get(p.id)! >= start).map(toMatchPaper);
          const context = window.length < contextTarget ? [...byRecency.filter((p) => lastDay.get(p.id)! < start), ...earlier].map(toMatchPaper) : undefined;
          if (pool) {
            const day = pool.day(window, { context });
            m = (requests) => day.matchMany(requests);
          } else {
            const one = createMatcher(window, { context });
            m = async (requests) => requests.map((r) => one.match(r.topics, r.options));
          }
          matchers.set(start, m);
        }
        return m;
      };
      const upvotes = (id: string) => byId.get(id)?.hfUpvotes;
      const candidateIds = [...byId.keys()];

      type Candidate = { sub: Awaited<ReturnType<typeof readPage>>[number]; start: string; seen: Set<string>; feedback?: Map<string, TopicFeedback>; hits?: MatchHit[] };
      const readPage = (after: string | undefined) => prisma.subscriber.findMany({
        where: { status: 'active', ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: subscriberPage,
        select: { id: true, topics: true, frequency: true, weeklyDay: true, deliveryHour: true, timeZone: true, maxPapers: true, nothingToday: true, confirmedAt: true },
      });
      /**
       * A page of subscribers read and matched: the ones still to compose for the date with their
       * hits, or undefined after the last page. Pages are read and matched one ahead of the page
       * being inserted (below), so the database and the match threads work at the same time.
       */
      async function matchPage(after: string | undefined): Promise<{ cursor: string; toMatch: Candidate[] } | undefined> {
        const subs = await readPage(after);
        if (subs.length === 0) return undefined;
        const ids = subs.map((s) => s.id);
        const [existing, previous, sent, feedback] = await Promise.all([
          prisma.delivery.findMany({ where: { subscriberId: { in: ids }, digestDate: dayToDate(date) }, select: { subscriberId: true } }),
          prisma.delivery.groupBy({ by: ['subscriberId'], where: { subscriberId: { in: ids }, digestDate: { lt: dayToDate(date) } }, _max: { digestDate: true } }),
          prisma.deliveryPaper.findMany({ where: { subscriberId: { in: ids }, paperId: { in: candidateIds } }, select: { subscriberId: true, paperId: true } }),
          // Their own "more / less like this" (docs/matching.md, "The subscriber's feedback").
          recentFeedback(prisma, ids, { since: dayToDate(addDays(date, -FEEDBACK_LOOKBACK_DAYS)) }),
        ]);
        const done = new Set(existing.map((d) => d.subscriberId));
        const lastDigest = new Map(previous.map((p) => [p.subscriberId, p._max.digestDate ? dateToDay(p._max.digestDate) : undefined]));
        const alreadySent = new Map<string, Set<string>>();
        for (const s of sent) {
          let set = alreadySent.get(s.subscriberId);
          if (!set) alreadySent.set(s.subscriberId, (set = new Set()));
          set.add(s.paperId);
        }
        const toMatch: Candidate[] = [];
        for (const sub of subs) {
          report.subscribersConsidered++;
          if (sub.frequency === 'weekly' && weekday(date) !== sub.weeklyDay) continue;
          // Daily digests go out on announcement days only (a day with papers of its own); weekly
          // readers get their week on their weekday whatever that day's listing.
          if (sub.frequency === 'daily' && report.papers === 0) continue;
          if (done.has(sub.id)) {
            report.subscribersMatched++;
            continue;
          }
          const start = windowStart(date, lastDigest.get(sub.id), sub.confirmedAt ? dateToDay(sub.confirmedAt) : undefined);
          toMatch.push({ sub, start, seen: alreadySent.get(sub.id) ?? new Set<string>(), feedback: feedback.get(sub.id) });
        }
        // The page's subscribers matched together, window by window.
        const byWindow = new Map<string, Candidate[]>();
        for (const x of toMatch) {
          const list = byWindow.get(x.start);
          if (list) list.push(x);
          else byWindow.set(x.start, [x]);
        }
        await Promise.all([...byWindow].map(async ([start, list]) => {
          const hits = await matcherFor(start)(list.map(({ sub, seen, feedback: fb }) => ({ topics: sub.topics, options: { maxResults: sub.maxPapers * 2 + seen.size, feedback: fb } })));
          list.forEach((x, i) => { x.hits = hits[i]; });
        }));
        return { cursor: subs[subs.length - 1].id, toMatch };
      }

      let next = report.nothingToday ? undefined : matchPage(undefined);
      try {
        for (let page = await next; page; page = await next) {
          next = matchPage(page.cursor);
          // Awaited on the next turn (its failure fails the run there), or dropped when this page fails.
          next.catch(() => undefined);
          const planned: PlannedDelivery[] = [];
          for (const { sub, seen, hits } of page.toMatch) {
            const picked = selectPapers(hits!, { upvotes, alreadySent: seen, max: sub.maxPapers });
            if (picked.length === 0 && !sub.nothingToday) continue;
            report.subscribersMatched++;
            planned.push({
              id: randomUUID(),
              subscriberId: sub.id,
              messageId: digestMessageId(sub.id, date, deps.messageIdDomain),
              sendAt: new Date(Math.max(zonedTime(date, sub.deliveryHour, sub.timeZone).getTime(), 0)),
              papers: picked,
            });
          }
          if (options.dryRun) report.deliveriesCreated += planned.length;
          else {
            // Each page is enqueued as soon as it is committed, so sending overlaps composing.
            const inserted = await insert(date, planned);
            report.deliveriesCreated += inserted.length;
            if (inserted.length > 0) {
              await deps.sends.schedule(inserted.map((d) => ({ deliveryId: d.id, sendAt: d.sendAt })));
              report.deliveriesScheduled += inserted.length;
            }
          }
        }
      } finally {
        await pool?.close();
      }
      report.composeMs = Date.now() - started;
      if (!options.dryRun) {
        // Then whatever an earlier, interrupted run of the date left queued (its rows predate this run).
        report.deliveriesScheduled += await scheduleQueued(date, { createdBefore: runStartedAt });
        const { ingest: _ingest, nothingToday: _n, ...stored } = report;
        await ledger.recordCompose(date, stored);
        await ledger.settle(date);
      }
      logger.info({ ...report, ingest: undefined }, 'digest.run.composed');
      return report;
    },
  };
}
