/**
 * The DigestRun row of a date: its status and its report. States:
 *   running → completed   when no delivery of the date is left queued or sending
 *   running → paused      authentication refused / error-rate breaker (an operator resumes)
 *   running → failed      the paper sources failed (the daily job retries; a later success runs again)
 * The delivery tally in the report is always recounted from the delivery rows, never incremented,
 * so it is exact after crashes, retries and concurrent workers.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import { dateToDay, dayToDate } from '../time.js';

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'uncertain', 'skipped'] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];
export type DeliveryTally = Record<DeliveryStatusName, number>;

export interface ComposeReport {
  date: string;
  /** Papers the sources fetched for the date (sum over sources; absent when not fetched). */
  papersFetched?: number;
  sources?: { source: string; fetched: number; new: number; updated: number; errors: string[]; empty: boolean }[];
  /** Papers of the digest day (forDigestDay). */
  papers: number;
  /** Papers in the look-back window (up to a week) that digests may draw from. */
  candidatePapers: number;
  /** Papers listed before the window, loaded as matching context because the window has fewer than 240 (docs/matching.md, "Context"). */
  contextPapers?: number;
  /** Earlier days fetched first because the instance had little history (HISTORY_DAYS): the days, the papers they stored, the errors. */
  history?: { days: string[]; papers: number; errors: string[] };
  /** The window's papers per arXiv group when no group holds half of them (src/matching/fields.ts). */
  mixedFields?: { field: string; papers: number }[];
  /** Threads the subscribers were matched on (1: the process's own; more: a match pool, MATCH_THREADS). */
  matchThreads?: number;
  /** On such a day, the parts it is matched in, field by field (fieldParts; field null: the rest). */
  fieldParts?: { field: string | null; papers: number }[];
  subscribersConsidered: number;
  /** Subscribers with something to send (new deliveries this pass + those composed before). */
  subscribersMatched: number;
  deliveriesCreated: number;
  deliveriesScheduled: number;
  composeMs: number;
}

export interface RunReport extends ComposeReport {
  status: 'running' | 'completed' | 'failed' | 'paused';
  pausedReason?: string | null;
  deliveries: DeliveryTally;
  startedAt?: string;
  finishedAt?: string | null;
}

export interface RunLedger {
  start(date: string): Promise<void>;
  recordCompose(date: string, report: ComposeReport): Promise<void>;
  /** Recount the deliveries; mark the run completed when nothing is queued or sending. */
  settle(date: string): Promise<RunReport | null>;
  pause(date: string, reason: string): Promise<void>;
  /** Every date whose run is paused becomes running again. Returns the dates. */
  resumeAll(): Promise<string[]>;
  fail(date: string, reason: string): Promise<void>;
  report(date: string): Promise<RunReport | null>;
  /** Dates whose run is still running (for the maintenance sweep). */
  openDates(): Promise<string[]>;
}

export function emptyTally(): DeliveryTally {
  return { queued: 0, sending: 0, sent: 0, failed: 0, bounced: 0, uncertain: 0, skipped: 0 };
}

export function createRunLedger(deps: { prisma: PrismaClient; logger: Logger; onCompleted?: (date: string, seconds: number) => void }): RunLedger {
  const { prisma, logger } = deps;

  async function tally(date: string): Promise<DeliveryTally> {
    const rows = await prisma.$queryRaw<{ status: DeliveryStatusName; n: bigint }[]>`
      SELECT status::text AS status, count(*) AS n FROM delivery WHERE digest_date = ${date}::date GROUP BY status`;
    const t = emptyTally();
    for (const r of rows) t[r.status] = Number(r.n);
    return t;
  }

  async function report(date: string): Promise<RunReport | null> {
    const run = await prisma.digestRun.findUnique({ where: { digestDate: dayToDate(date) } });
    if (!run) return null;
    const stored = (run.report ?? {}) as Partial<RunReport>;
    return {
      date, papers: 0, candidatePapers: 0, subscribersConsidered: 0, subscribersMatched: 0, deliveriesCreated: 0, deliveriesScheduled: 0, composeMs: 0,
      ...stored,
      status: run.status, pausedReason: run.pausedReason,
      deliveries: { ...emptyTally(), ...(stored.deliveries ?? {}) },
      startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }

  return {
    async start(date) {
      // Prisma's upsert is not atomic (two triggers at once both try to create): insert-or-nothing in SQL.
      await prisma.$executeRaw`INSERT INTO digest_run (digest_date, status, started_at, updated_at) VALUES (${date}::date, 'running', now(), now()) ON CONFLICT DO NOTHING`;
      // A failed run that is triggered again runs again; paused and completed runs keep their status.
      await prisma.digestRun.updateMany({ where: { digestDate: dayToDate(date), status: 'failed' }, data: { status: 'running', pausedReason: null, finishedAt: null } });
      // Composing (again): the run may not complete until this compose has finished.
      await prisma.digestRun.updateMany({ where: { digestDate: dayToDate(date), status: 'running' }, data: { composedAt: null } });
    },

    async recordCompose(date, compose) {
      const run = await prisma.digestRun.findUnique({ where: { digestDate: dayToDate(date) } });
      const stored = (run?.report ?? {}) as Record<string, unknown>;
      await prisma.digestRun.update({ where: { digestDate: dayToDate(date) }, data: { report: { ...stored, ...compose } as object, composedAt: new Date() } });
    },

    async settle(date) {
      const deliveries = await tally(date);
      const open = deliveries.queued + deliveries.sending;
      await prisma.$executeRaw`
        UPDATE digest_run SET report = coalesce(report, '{}'::jsonb) || jsonb_build_object('deliveries', ${JSON.stringify(deliveries)}::jsonb), updated_at = now()
        WHERE digest_date = ${date}::date`;
      if (open === 0) {
        const done = await prisma.$queryRaw<{ started_at: Date; finished_at: Date }[]>`
          UPDATE digest_run SET status = 'completed', finished_at = now(), updated_at = now()
          WHERE digest_date = ${date}::date AND status = 'running' AND composed_at IS NOT NULL
          RETURNING started_at, finished_at`;
        if (done.length === 1) {
          const seconds = (done[0].finished_at.getTime() - done[0].started_at.getTime()) / 1000;
          logger.info({ date, deliveries, seconds }, 'digest.run.completed');
          deps.onCompleted?.(date, seconds);
        }
      }
      return report(date);
    },

    async pause(date, reason) {
      const n = await prisma.digestRun.updateMany({ where: { digestDate: dayToDate(date), status: 'running' }, data: { status: 'paused', pausedReason: reason.slice(0, 1000) } });
      if (n.count > 0) logger.fatal({ date, reason, alert: true }, 'digest.run.paused');
    },

    async resumeAll() {
      const paused = await prisma.digestRun.findMany({ where: { status: 'paused' }, select: { digestDate: true } });
      await prisma.digestRun.updateMany({ where: { status: 'paused' }, data: { status: 'running', pausedReason: null } });
      const dates = paused.map((r) => dateToDay(r.digestDate));
      if (dates.length) logger.warn({ dates }, 'digest.run.resumed');
      return dates;
    },

    async fail(date, reason) {
      await prisma.digestRun.updateMany({ where: { digestDate: dayToDate(date) }, data: { status: 'failed', pausedReason: reason.slice(0, 1000), finishedAt: new Date() } });
      logger.fatal({ date, reason, alert: true }, 'digest.run.failed');
    },

    report,

    async openDates() {
      const rows = await prisma.digestRun.findMany({ where: { status: 'running' }, select: { digestDate: true } });
      return rows.map((r) => dateToDay(r.digestDate));
    },
  };
}
