import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
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
