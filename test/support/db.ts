// A fresh, migrated database for one test file: a clone of this run's template database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma, type PrismaClient } from '../../src/db/prisma.js';

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
