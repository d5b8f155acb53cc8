import pg from 'pg';
import { Redis } from 'ioredis';

/** Deletes the Redis keys this run's test files wrote (their prefixes all start with pbt-<runId>-). */
async function cleanRedis(runId: string): Promise<void> {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `pbt-${runId}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export default async function globalTeardown(): Promise<void> {
  if (process.env.PAPERBOY_TEST_RUN_ID) await cleanRedis(process.env.PAPERBOY_TEST_RUN_ID);
  const base = process.env.PAPERBOY_TEST_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';
  const template = process.env.PAPERBOY_TEST_TEMPLATE_DB;
  if (!template) return;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    // The template and every clone made from it in this run.
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2',
      [template, `${template}\\_%`],
    );
    for (const r of rows) await client.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
