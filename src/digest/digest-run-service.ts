/**
 * The daily run for one digest date: fetch → store → match every active subscriber → one queued
 * Delivery (with its papers) per subscriber that has something new → hand the queued deliveries to the
 * send queue. Everything is decided from and recorded in PostgreSQL, so re-running a date (after a
 * crash, a Redis wipe or a double trigger) composes nothing twice and re-enqueues only what is unsent.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { Ingestor, IngestReport } from '../sources/source.js';
import type { PaperRepository, Paper } from '../papers/paper-repository.js';
import { createMatcher } from '../matching/matcher.js';
import type { MatchPaper } from '../matching/types.js';
import { digestMessageId } from '../mail/message.js';
import { addDays, dayToDate, weekday, zonedTime } from '../time.js';
import { Prisma } from '../db/prisma.js';

export interface SendScheduler {
  /** Enqueue (idempotently) the send of one delivery at `sendAt`. */
  schedule(deliveryId: string, sendAt: Date): Promise<void>;
}

export interface RunReport {
  date: string;
  ingest?: IngestReport;
  papers: number;
  subscribersConsidered: number;
  deliveriesCreated: number;
  deliveriesScheduled: number;
  nothingToday: boolean;
}

export interface DigestRunService {
  run(date: string, options?: { fetch?: boolean; dryRun?: boolean }): Promise<RunReport>;
}

const PAGE = 500;

function toMatchPaper(p: Paper): MatchPaper {
  return {
    id: p.id, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories,
    aiKeywords: p.aiKeywords, aiSummary: p.aiSummary ?? undefined, hfUpvotes: p.hfUpvotes ?? undefined,
  };
}

export function createDigestRunService(deps: {
  prisma: PrismaClient;
  ingestor: Ingestor;
  papers: PaperRepository;
  sends: SendScheduler;
  messageIdDomain: string;
  logger: Logger;
  now?: () => Date;
}): DigestRunService {
  const { prisma, logger } = deps;
  const now = deps.now ?? (() => new Date());

  // Re-enqueue every unsent delivery of the date from PostgreSQL (safe after a Redis wipe).
  async function scheduleQueued(date: string): Promise<number> {
    const queued = await prisma.delivery.findMany({ where: { digestDate: dayToDate(date), status: 'queued' }, select: { id: true, sendAt: true } });
    for (const d of queued) await deps.sends.schedule(d.id, d.sendAt < now() ? now() : d.sendAt);
    return queued.length;
  }

  return {
    async run(date, options = {}) {
      const report: RunReport = { date, papers: 0, subscribersConsidered: 0, deliveriesCreated: 0, deliveriesScheduled: 0, nothingToday: false };
      await prisma.digestRun.upsert({ where: { digestDate: dayToDate(date) }, create: { digestDate: dayToDate(date) }, update: {} });
      if (options.fetch !== false) report.ingest = await deps.ingestor.fetchDay(date);

      // Candidates: the papers of the week up to this date (weekly subscribers and anyone who
      // missed a day get what they have not been sent; DeliveryPaper guarantees "never twice").
      const todays = await deps.papers.forDigestDay(date);
      report.papers = todays.length;
      if (todays.length === 0) {
        report.nothingToday = true;
      } else {
        const week = await deps.papers.listedBetween(addDays(date, -6), date);
        const byId = new Map<string, Paper>([...week, ...todays].map((p) => [p.id, p]));
        const todayIds = new Set(todays.map((p) => p.id));
        const dailyMatcher = createMatcher(todays.map(toMatchPaper));
        const weeklyMatcher = createMatcher([...byId.values()].map(toMatchPaper));
        let cursor: string | undefined;
        for (;;) {
          const subs = await prisma.subscriber.findMany({
            where: { status: 'active' },
            orderBy: { id: 'asc' },
            take: PAGE,
            ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
          });
          if (subs.length === 0) break;
          cursor = subs[subs.length - 1].id;
          const ids = subs.map((s) => s.id);
          const [existing, sent] = await Promise.all([
            prisma.delivery.findMany({ where: { subscriberId: { in: ids }, digestDate: dayToDate(date) }, select: { subscriberId: true } }),
            prisma.deliveryPaper.findMany({ where: { subscriberId: { in: ids }, paperId: { in: [...byId.keys()] } }, select: { subscriberId: true, paperId: true } }),
          ]);
          const done = new Set(existing.map((d) => d.subscriberId));
          const alreadySent = new Map<string, Set<string>>();
          for (const s of sent) {
            if (!alreadySent.has(s.subscriberId)) alreadySent.set(s.subscriberId, new Set());
            alreadySent.get(s.subscriberId)!.add(s.paperId);
          }
          for (const sub of subs) {
            report.subscribersConsidered++;
            if (done.has(sub.id)) continue;
            const weekly = sub.frequency === 'weekly';
            if (weekly && weekday(date) !== sub.weeklyDay) continue;
            const seen = alreadySent.get(sub.id) ?? new Set<string>();
            const matcher = weekly ? weeklyMatcher : dailyMatcher;
            const hits = matcher
              .match(sub.topics, { maxResults: sub.maxPapers + seen.size })
              .filter((h) => !seen.has(h.paperId) && (weekly || todayIds.has(h.paperId)))
              .slice(0, sub.maxPapers);
            if (hits.length === 0 || options.dryRun) {
              if (hits.length) report.deliveriesCreated++;
              continue;
            }
            const sendAt = new Date(Math.max(zonedTime(date, sub.deliveryHour, sub.timeZone).getTime(), 0));
            try {
              await prisma.delivery.create({
                data: {
                  subscriberId: sub.id,
                  digestDate: dayToDate(date),
                  messageId: digestMessageId(sub.id, date, deps.messageIdDomain),
                  sendAt,
                  papers: {
                    create: hits.map((h, i) => ({
                      subscriberId: sub.id, paperId: h.paperId, topic: h.topic, rank: i + 1, score: h.score, why: h.why,
                    })),
                  },
                },
              });
              report.deliveriesCreated++;
            } catch (err) {
              // Another process composed this subscriber's delivery first: theirs stands.
              if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') continue;
              throw err;
            }
          }
        }
      }
      if (!options.dryRun) report.deliveriesScheduled = await scheduleQueued(date);
      logger.info({ ...report, ingest: undefined }, 'digest.run.composed');
      await prisma.digestRun.update({ where: { digestDate: dayToDate(date) }, data: { report: report as unknown as object } });
      return report;
    },
  };
}
