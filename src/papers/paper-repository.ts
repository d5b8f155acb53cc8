/**
 * Paper storage: one `paper` row per work (arXiv id without version) merged across sources, and one
 * `paper_listing` row per (paper, source, day). Upserts are batched: one read of the batch's hashes,
 * and only records whose input changed are merged under a row lock and written with a single
 * multi-row INSERT … ON CONFLICT. Re-running a day therefore writes nothing: its cost is one indexed
 * SELECT per batch (the stored input hash of each record's source, and whether its listing exists).
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Paper } from '../generated/prisma/client.js';
import { addDays, isAnnouncementWeekday, previousWeekday } from '../sources/days.js';
import { mergeRecord, recordHash, rowHash, type PaperMeta, type PaperRow } from './merge.js';
import type { PaperRecord } from './types.js';
import type { MatchPaper } from '../matching/types.js';

export type { Paper };

/** How far back `listedBefore` looks for matching context for a small day (the daily run and the preview). */
export const CONTEXT_LOOKBACK_DAYS = 60;

/** A stored paper as the matcher sees it. */
export function toMatchPaper(p: Paper): MatchPaper {
  return {
    id: p.id, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories, primaryCategory: p.primaryCategory ?? undefined,
    aiKeywords: p.aiKeywords, aiSummary: p.aiSummary ?? undefined, hfUpvotes: p.hfUpvotes ?? undefined,
  };
}

export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface PaperRepository {
  upsert(records: import('./types.js').PaperRecord[]): Promise<UpsertCounts>;
  /** The papers of digest day `day` (YYYY-MM-DD), see docs/sources.md "The papers of digest day D". */
  forDigestDay(day: string): Promise<Paper[]>;
  /** Papers listed on any day in [fromDay, toDay] (inclusive, YYYY-MM-DD). */
  listedBetween(fromDay: string, toDay: string): Promise<Paper[]>;
  /**
   * At most `limit` papers listed in the `lookbackDays` days before `day` (not on it), the most
   * recently listed first (then by id): context for matching a small day.
   */
  listedBefore(day: string, limit: number, lookbackDays: number): Promise<Paper[]>;
  /** How many listings a source has on a day (a 304 Not Modified feed is "empty" only if none). */
  countListings(source: string, day: string): Promise<number>;
  /**
   * Ids of the papers listed by `source` on `day` that lack the export API's metadata (no submission
   * date: the listing feeds do not carry it), in id order.
   */
  lackingApiMetadata(source: string, day: string): Promise<string[]>;
}

export interface PaperRepositoryOptions {
  /** Records per batch (one lock + one INSERT each). */
  batchSize?: number;
  /**
   * Whether this instance fetches arXiv (SOURCES has `arxiv-rss` or `arxiv-api`; default true). With
   * arXiv, a day has a digest when arXiv listed papers on it. Without it (a Hugging Face-only
   * instance) nothing would ever be listed by arXiv, so every arXiv announcement weekday (Monday to
   * Friday) is a digest day and carries the Hugging Face lists of `hfDaysFor(day)`.
   */
  arxiv?: boolean;
}

const ARXIV_SOURCES = ['arxiv-rss', 'arxiv-api'];

const COLUMNS: [keyof PaperRow | 'contentHash', string, string][] = [
  ['id', 'id', 'text'], ['version', 'version', 'int'], ['title', 'title', 'text'], ['abstract', 'abstract', 'text'],
  ['authors', 'authors', 'text[]'], ['categories', 'categories', 'text[]'], ['primaryCategory', 'primary_category', 'text'],
  ['absUrl', 'abs_url', 'text'], ['pdfUrl', 'pdf_url', 'text'], ['doi', 'doi', 'text'], ['journalRef', 'journal_ref', 'text'],
  ['comment', 'comment', 'text'], ['license', 'license', 'text'], ['submittedAt', 'submitted_at', 'timestamp(3)'],
  ['versionDate', 'version_date', 'timestamp(3)'], ['announcedOn', 'announced_on', 'date'], ['hfDate', 'hf_date', 'date'],
  ['hfUpvotes', 'hf_upvotes', 'int'], ['hfComments', 'hf_comments', 'int'], ['githubRepo', 'github_repo', 'text'],
  ['githubStars', 'github_stars', 'int'], ['projectPage', 'project_page', 'text'], ['aiSummary', 'ai_summary', 'text'],
  ['aiKeywords', 'ai_keywords', 'text[]'], ['sources', 'sources', 'text[]'], ['meta', 'meta', 'jsonb'],
  ['contentHash', 'content_hash', 'text'],
];

const UPSERT_SQL = `
INSERT INTO "paper" (${COLUMNS.map((c) => `"${c[1]}"`).join(', ')}, "updated_at")
SELECT ${COLUMNS.map((c) => `x."${c[0]}"`).join(', ')}, CURRENT_TIMESTAMP
FROM jsonb_to_recordset($1::jsonb) AS x(${COLUMNS.map((c) => `"${c[0]}" ${c[2]}`).join(', ')})
ON CONFLICT ("id") DO UPDATE SET ${COLUMNS.filter((c) => c[0] !== 'id').map((c) => `"${c[1]}" = EXCLUDED."${c[1]}"`).join(', ')},
  "updated_at" = CURRENT_TIMESTAMP`;

const LISTING_SQL = `
INSERT INTO "paper_listing" ("paper_id", "source", "day", "announce_type")
SELECT x.p, x.s, x.d, x.t FROM jsonb_to_recordset($1::jsonb) AS x(p text, s text, d date, t text)
ON CONFLICT DO NOTHING`;

const SELECT_ROWS = `
SELECT ${COLUMNS.map((c) => (c[2] === 'date' ? `to_char("${c[1]}", 'YYYY-MM-DD')` : c[2] === 'timestamp(3)' ? `to_char("${c[1]}", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : `"${c[1]}"`) + ` AS "${c[0]}"`).join(', ')}
FROM "paper" WHERE "id" = ANY($1::text[]) ORDER BY "id" FOR UPDATE`;

const KNOWN_SQL = `
SELECT x.i, p."meta"->'inputHashes'->>x.s AS h,
       EXISTS (SELECT 1 FROM "paper_listing" l WHERE l."paper_id" = x.id AND l."source" = x.s AND l."day" = x.d::date) AS listed
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS x(i, id, s, d)
JOIN "paper" p ON p."id" = x.id`;

export function createPaperRepository(prisma: PrismaClient, options: PaperRepositoryOptions = {}): PaperRepository {
  const batchSize = options.batchSize ?? 1000;
  const fetchesArxiv = options.arxiv ?? true;

  async function upsertBatch(records: PaperRecord[], counts: UpsertCounts): Promise<void> {
    // Phase 1, no locks, one indexed read: per record, the hash of the last input its source gave for
    // the paper (if stored) and whether its listing exists. Identical input needs nothing more.
    const query = prisma.$queryRawUnsafe<{ i: number; h: string | null; listed: boolean }[]>(
      KNOWN_SQL, records.map((_, i) => i), records.map((r) => r.id), records.map((r) => r.listing.source), records.map((r) => r.listing.day),
    );
    // Hash while the database answers (the two are the whole cost of an unchanged batch).
    const inputHashes = records.map(recordHash);
    const known = await query;
    const stored = new Array<{ h: string | null; listed: boolean } | undefined>(records.length);
    for (const k of known) stored[k.i] = k;
    const pending = new Map<string, PaperRecord[]>();
    const needsListing = new Set<PaperRecord>();
    const hashOf = new Map<PaperRecord, string>();
    const seen = new Set<string>();
    records.forEach((r, i) => {
      const s = stored[i];
      const listingMissing = !r.updateOnly && !r.unlisted && !s?.listed;
      const skip = (s === undefined && r.updateOnly) || (s !== undefined && !listingMissing && s.h === inputHashes[i]);
      if (skip) {
        if (!seen.has(r.id) && s !== undefined) counts.unchanged++;
        seen.add(r.id);
        return;
      }
      if (listingMissing) needsListing.add(r);
      hashOf.set(r, inputHashes[i]);
      const list = pending.get(r.id) ?? [];
      list.push(r);
      pending.set(r.id, list);
    });
    if (pending.size === 0) return;
    const changedIds = [...pending.keys()].sort();
    // Phase 2, under row locks: merge with the stored rows and write what changed.
    await prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<(Omit<PaperRow, 'meta'> & { meta: PaperMeta | null; contentHash: string })[]>(SELECT_ROWS, changedIds);
      const current = new Map(rows.map((r) => [r.id, r]));
      const writes: (PaperRow & { contentHash: string })[] = [];
      const listings: { p: string; s: string; d: string; t: string | null }[] = [];
      for (const id of changedIds) {
        const before = current.get(id);
        let row: PaperRow | undefined = before ? { ...before, meta: before.meta ?? {} } : undefined;
        for (const r of pending.get(id)!) {
          if (!row && r.updateOnly) continue;
          row = mergeRecord(row, r, hashOf.get(r));
          if (needsListing.has(r)) {
            listings.push({ p: r.id, s: r.listing.source, d: r.listing.day, t: r.listing.announceType ?? null });
          }
        }
        if (!row) continue;
        const contentHash = rowHash(row);
        if (before && before.contentHash === contentHash) {
          // Same content; only the input hashes (or a listing) are new.
          if (!seen.has(id)) counts.unchanged++;
        } else if (!seen.has(id)) {
          if (before) counts.updated++;
          else counts.new++;
        }
        seen.add(id);
        if (!before || before.contentHash !== contentHash || JSON.stringify(before.meta?.inputHashes) !== JSON.stringify(row.meta.inputHashes)) {
          writes.push({ ...row, contentHash });
        }
      }
      if (writes.length) await tx.$executeRawUnsafe(UPSERT_SQL, JSON.stringify(writes));
      if (listings.length) await tx.$executeRawUnsafe(LISTING_SQL, JSON.stringify(listings));
    });
  }

  return {
    async upsert(records) {
      const counts: UpsertCounts = { new: 0, updated: 0, unchanged: 0 };
      // Keep every record of one paper in the same batch so counts are per paper.
      const byId = new Map<string, PaperRecord[]>();
      for (const r of records) {
        const list = byId.get(r.id);
        if (list) list.push(r);
        else byId.set(r.id, [r]);
      }
      let batch: PaperRecord[] = [];
      for (const list of byId.values()) {
        batch.push(...list);
        if (batch.length >= batchSize) {
          await upsertBatch(batch, counts);
          batch = [];
        }
      }
      if (batch.length) await upsertBatch(batch, counts);
      return counts;
    },

    async forDigestDay(day) {
      const date = new Date(`${day}T00:00:00Z`);
      // Hugging Face lists from hfFrom up to the day before: since the previous announcement day
      // (inclusive) with arXiv, since the previous weekday without it.
      let hfFrom = new Date(`${previousWeekday(day)}T00:00:00Z`);
      if (fetchesArxiv) {
        const arxiv = await prisma.paperListing.count({ where: { day: date, source: { in: ARXIV_SOURCES } } });
        if (arxiv === 0) return []; // no announcement: weekend, holiday, or nothing fetched
        const prev = await prisma.paperListing.findFirst({
          where: { source: { in: ARXIV_SOURCES }, day: { lt: date, gte: new Date(`${addDays(day, -7)}T00:00:00Z`) } },
          orderBy: { day: 'desc' },
          select: { day: true },
        });
        if (prev) hfFrom = prev.day;
      } else if (!isAnnouncementWeekday(day)) {
        return [];
      }
      const hfTo = new Date(`${addDays(day, -1)}T00:00:00Z`);
      return prisma.paper.findMany({
        where: {
          listings: {
            some: {
              OR: [
                ...(fetchesArxiv ? [{ source: { in: ARXIV_SOURCES }, day: date }] : []),
                { source: 'hf', day: { gte: hfFrom, lte: hfTo } },
              ],
            },
          },
        },
        orderBy: { id: 'asc' },
      });
    },

    async listedBetween(fromDay, toDay) {
      return prisma.paper.findMany({
        where: { listings: { some: { day: { gte: new Date(`${fromDay}T00:00:00Z`), lte: new Date(`${toDay}T00:00:00Z`) } } } },
        orderBy: { id: 'asc' },
      });
    },

    async listedBefore(day, limit, lookbackDays) {
      if (limit <= 0 || lookbackDays <= 0) return [];
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT "paper_id" AS id FROM "paper_listing"
        WHERE "day" < ${day}::date AND "day" >= ${addDays(day, -lookbackDays)}::date
        GROUP BY "paper_id" ORDER BY max("day") DESC, "paper_id" LIMIT ${limit}`;
      const rank = new Map(rows.map((r, i) => [r.id, i]));
      const papers = await prisma.paper.findMany({ where: { id: { in: rows.map((r) => r.id) } } });
      return papers.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
    },

    async lackingApiMetadata(source, day) {
      const rows = await prisma.paper.findMany({
        where: { submittedAt: null, listings: { some: { source, day: new Date(`${day}T00:00:00Z`) } } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      return rows.map((r) => r.id);
    },

    async countListings(source, day) {
      return prisma.paperListing.count({ where: { source, day: new Date(`${day}T00:00:00Z`) } });
    },
  };
}
