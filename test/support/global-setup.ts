// Creates one migrated template database for this test run; test files clone it (see db.ts).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ensureDatabase, migrate, dropDatabase } from '../../src/db/migrate.ts';

export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const name = `paperboy_test_${runId}`;
  const url = `${base}/${name}`;
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrate(url, path.resolve('prisma/migrations'));
  process.env.PAPERBOY_TEST_TEMPLATE_DB = name;
  process.env.PAPERBOY_TEST_PG_BASE = base;
  process.env.PAPERBOY_TEST_RUN_ID = runId;
}
