/**
 * Paper storage. Contract used by matching/digest stages; the sources stage deepens the upsert.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Paper } from '../generated/prisma/client.js';

export type { Paper };

export interface UpsertCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface PaperRepository {
  upsert(records: import('./types.js').PaperRecord[]): Promise<UpsertCounts>;
  /** The papers of digest day `day` (YYYY-MM-DD), see README "What the papers of day D are". */
  forDigestDay(day: string): Promise<Paper[]>;
  /** Papers listed on any day in [fromDay, toDay] (inclusive, YYYY-MM-DD). */
  listedBetween(fromDay: string, toDay: string): Promise<Paper[]>;
}

export function createPaperRepositoryPlaceholder(_prisma: PrismaClient): PaperRepository {
  throw new Error('not implemented');
}
