// Proves prisma/schema.prisma and the SQL migrations agree: every model round-trips through the
// generated client on a freshly migrated database, and the migration history matches Prisma's format.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });

test('every model round-trips through the generated client', async () => {
  const { prisma } = db;
  const sub = await prisma.subscriber.create({
    data: { email: 'a@example.org', topics: ['symbolic regression'], consent: { formVersion: 1 } },
  });
  expect(sub.status).toBe('pending');
  const paper = await prisma.paper.create({
    data: {
      id: '2411.17700', version: 2, title: 'T', abstract: 'A', authors: ['X'], categories: ['cs.LG'],
      absUrl: 'https://arxiv.org/abs/2411.17700', aiKeywords: ['k'], sources: ['arxiv-rss'], contentHash: 'h',
      announcedOn: new Date('2024-11-28'), meta: { a: 1 },
      listings: { create: { source: 'arxiv-rss', day: new Date('2024-11-28'), announceType: 'new' } },
    },
  });
  expect(paper.version).toBe(2);
  await prisma.fetchCache.create({ data: { url: 'http://x', etag: '"e"' } });
  await prisma.digestRun.create({ data: { digestDate: new Date('2024-11-28'), report: { sent: 0 } } });
  const delivery = await prisma.delivery.create({
    data: {
      subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: '<m@x>', sendAt: new Date(),
      papers: { create: { subscriberId: sub.id, paperId: paper.id, topic: 'symbolic regression', rank: 1, score: 1.5, why: 'w' } },
    },
    include: { papers: true, subscriber: true },
  });
  expect(delivery.papers).toHaveLength(1);
  expect(delivery.papers[0]).toMatchObject({ feedback: null, feedbackAt: null, feedbackTopic: null });
  const at = new Date('2024-11-29T08:00:00.123Z');
  const rated = await prisma.deliveryPaper.update({
    where: { deliveryId_paperId: { deliveryId: delivery.id, paperId: paper.id } }, data: { feedback: -1, feedbackAt: at },
  });
  expect(rated).toMatchObject({ feedback: -1, feedbackAt: at });
  // feedback is 1, -1 or null: anything else is refused by the database.
  await expect(prisma.deliveryPaper.update({
    where: { deliveryId_paperId: { deliveryId: delivery.id, paperId: paper.id } }, data: { feedback: 2 },
  })).rejects.toThrow();
  // feedback_topic: an answer moved to another topic; only with an answer, never the topic it was sent under.
  const row = { deliveryId_paperId: { deliveryId: delivery.id, paperId: paper.id } };
  expect(await prisma.deliveryPaper.update({ where: row, data: { feedbackTopic: 'genetic programming' } }))
    .toMatchObject({ topic: 'symbolic regression', feedback: -1, feedbackTopic: 'genetic programming' });
  await expect(prisma.deliveryPaper.update({ where: row, data: { feedbackTopic: 'symbolic regression' } })).rejects.toThrow();
  await expect(prisma.deliveryPaper.update({ where: row, data: { feedback: null, feedbackAt: null } })).rejects.toThrow();
  expect(await prisma.deliveryPaper.update({ where: row, data: { feedback: null, feedbackAt: null, feedbackTopic: null } }))
    .toMatchObject({ feedback: null, feedbackTopic: null });
  const [index] = await prisma.$queryRawUnsafe<{ indexdef: string }[]>(
    `SELECT indexdef FROM pg_indexes WHERE indexname = 'delivery_paper_subscriber_id_feedback_at_idx'`,
  );
  expect(index.indexdef).toMatch(/\(subscriber_id, feedback_at\) WHERE \(feedback IS NOT NULL\)/);
  expect(delivery.subscriber.email).toBe('a@example.org');
  const listing = await prisma.paperListing.findFirstOrThrow({ where: { paperId: paper.id } });
  expect(listing.day.toISOString().slice(0, 10)).toBe('2024-11-28');
  // Unique constraints the code relies on.
  await expect(prisma.delivery.create({
    data: { subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: '<m2@x>', sendAt: new Date() },
  })).rejects.toMatchObject({ code: 'P2002' });
});

test('migrations are recorded like prisma migrate deploy, and re-running applies nothing', async () => {
  const dir = path.resolve('prisma/migrations');
  const files = await readMigrations(dir);
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date }[]>(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
  );
  expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
  for (const f of files) {
    const sql = await readFile(path.join(dir, f.name, 'migration.sql'));
    const row = rows.find((r) => r.migration_name === f.name)!;
    expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
    expect(row.finished_at).toBeInstanceOf(Date);
  }
  const again = await migrate(db.url, dir);
  expect(again.applied).toEqual([]);
  expect(again.alreadyApplied).toHaveLength(files.length);
});
