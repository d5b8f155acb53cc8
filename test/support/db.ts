// A fresh, migrated database for one test file: a clone of this run's template database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.js';
import { dayToDate } from '../../src/time.js';
import type { MatchPaper } from '../../src/matching/types.js';

export interface TestDatabase {
  url: string;
  name: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const base = process.env.PAPERBOY_TEST_PG_BASE!;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.PAPERBOY_TEST_TEMPLATE_DB;
  const base = process.env.PAPERBOY_TEST_PG_BASE;
  if (!template || !base) throw new Error('test/support/global-setup.ts did not run');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (err) {
      if (attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = `${base}/${name}`;
  const prisma = createPrisma(url, 5);
  return {
    url,
    name,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Stores a matcher's paper as an arXiv paper listed on `day` (digest tests over synthetic days). */
export async function storeListedPaper(prisma: PrismaClient, p: MatchPaper, day: string, category = 'cs.CV'): Promise<void> {
  await prisma.paper.create({
    data: {
      id: p.id, title: p.title, abstract: p.abstract, authors: ['A. Author'], categories: [category], absUrl: `https://arxiv.org/abs/${p.id}`,
      aiKeywords: [], sources: ['arxiv-rss'], contentHash: p.id, listings: { create: { source: 'arxiv-rss', day: dayToDate(day), announceType: 'new' } },
    },
  });
}
