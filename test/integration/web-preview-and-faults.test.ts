/**
 * The live preview over the latest listing day's papers, and the answers when PostgreSQL or Redis
 * cannot be reached (a quick generic 503, never a hang or a stack trace).
 */
import request from 'supertest';
import { Redis } from 'ioredis';
import { createPrisma } from '../../src/db/prisma.js';
import { latestDayPapers } from '../../src/web/preview.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { configFor } from '../support/env.js';
import { buildWeb, type TestWeb } from '../support/web.js';

let db: TestDatabase;
let web: TestWeb;

async function paper(id: string, title: string, day: string) {
  await db.prisma.paper.create({
    data: {
      id, title, abstract: `An abstract about ${title.toLowerCase()}.`, authors: ['A. Author'], categories: ['cs.LG'],
      absUrl: `https://arxiv.org/abs/${id}`, sources: ['arxiv-rss'], contentHash: id,
      listings: { create: { source: 'arxiv-rss', day: new Date(day) } },
    },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  web = buildWeb(configFor({ DATABASE_URL: db.url }), db.prisma);
  await paper('2411.00001', 'Symbolic regression with transformers', '2024-11-27');
  await paper('2411.00002', 'Graph neural networks for molecules', '2024-11-28');
  await paper('2411.00003', 'Symbolic regression benchmarks revisited', '2024-11-28');
  await paper('2411.00004', '<img src=x onerror=alert(1)> A hostile title', '2024-11-28');
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});

describe('live preview', () => {
  test('latestDayPapers reads the papers of the most recent listing day', async () => {
    const { day, papers } = await latestDayPapers(db.prisma);
    expect(day).toBe('2024-11-28');
    expect(papers.map((p) => p.id)).toEqual(['2411.00002', '2411.00003', '2411.00004']);
  });

  test('POST /api/preview lists the matches of that day with the explanation of each', async () => {
    const res = await request(web.app).post('/api/preview').send({ topics: ['symbolic regression', ''] }).expect(200);
    expect(res.body).toMatchObject({ day: '2024-11-28', papersThatDay: 3, topicErrors: [null, null] });
    expect(res.body.matches).toEqual([
      expect.objectContaining({ id: '2411.00003', title: 'Symbolic regression benchmarks revisited', url: 'https://arxiv.org/abs/2411.00003', topic: 'symbolic regression', why: expect.stringContaining('symbolic regression') }),
    ]);
  });

  test('words no paper of the day uses are named per topic (a misspelling selects nothing, day after day)', async () => {
    const res = await request(web.app).post('/api/preview')
      .send({ topics: ['symbolic regresion', 'symbolic regression -regresion', '"graph neural netwrks" OR molecules', 'x'.repeat(400)] }).expect(200);
    expect(res.body.unusedWords).toEqual([['regresion'], [], [], []]);
    const phrase = await request(web.app).post('/api/preview').send({ topics: ['"graph neural netwrks"'] }).expect(200);
    expect(phrase.body.unusedWords).toEqual([['"graph neural netwrks"']]);
  });

  test('a topic that cannot be used is reported in place, the others still preview', async () => {
    const res = await request(web.app).post('/api/preview').send({ topics: ['x'.repeat(400), 'graph neural networks'] }).expect(200);
    expect(res.body.topicErrors[0]).toMatch(/too long/);
    expect(res.body.topicErrors[1]).toBeNull();
    expect(res.body.matches.map((m: { id: string }) => m.id)).toEqual(['2411.00002']);
  });

  test('bad preview requests get JSON errors', async () => {
    expect((await request(web.app).post('/api/preview').send({ topics: 5 }).expect(400)).body.error.field).toBe('topics');
    expect((await request(web.app).post('/api/preview').send({ topics: ['a'], maxPapers: 500 }).expect(400)).body.error.field).toBe('maxPapers');
    await request(web.app).post('/api/preview').type('form').send('topics=a').expect(415);
    await request(web.app).post('/api/preview').send({ topics: Array.from({ length: 10_000 }, () => 'a') }).expect(413);
  });

  test('the preview is rate-limited per IP', async () => {
    const limited = buildWeb(configFor({ DATABASE_URL: db.url, RATE_LIMIT_PREVIEW_IP: '3/1m' }), db.prisma);
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(limited.app).post('/api/preview').send({ topics: ['a'] })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('when a dependency is down', () => {
  test('Redis unreachable: signup answers 503 at once (generic page / JSON), landing still renders', async () => {
    // Port 1 refuses connections; the client keeps retrying in the background, never "ready".
    const deadRedis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => 1000 });
    deadRedis.on('error', () => undefined);
    void deadRedis.connect().catch(() => undefined);
    const down = buildWeb(configFor({ DATABASE_URL: db.url, QUEUE_PREFIX: 'pbt-down' }), db.prisma, { redis: deadRedis });
    for (const q of [down.queues.mail, down.queues.daily, down.queues.send]) q.on('error', () => undefined); // refused connections: expected here
    try {
      await request(down.app).get('/').expect(200);
      const agent = request.agent(down.app);
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text)![1];
      const form = await agent.post('/subscribe').type('form').send({ _csrf: csrf, email: 'r@example.org', topics: 'a', consent: 'yes' });
      expect(form.status).toBe(503);
      expect(form.text).toContain('temporarily unavailable');
      expect(form.text).not.toMatch(/redis|ECONN|stack/i);
      const api = await request(down.app).post('/api/subscriptions').send({ email: 'r@example.org', topics: ['a'], consent: true });
      expect(api.status).toBe(503);
      expect(api.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
      expect(api.headers['retry-after']).toBe('30');
      expect((await request(down.app).get('/healthz')).status).toBe(503);
    } finally {
      await down.queues.close().catch(() => undefined);
      deadRedis.disconnect();
    }
  });

  test('PostgreSQL unreachable: 503 with the generic page, nothing leaks', async () => {
    const deadDb = createPrisma('postgresql://postgres@127.0.0.1:1/nothing', 1);
    const down = buildWeb(configFor({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' }), deadDb);
    try {
      const sub = '00000000-0000-4000-8000-000000000001';
      const res = await request(down.app).get(new URL(down.links.manage(sub)).pathname);
      expect(res.status).toBe(503);
      expect(res.text).toContain('temporarily unavailable');
      expect(res.text).not.toMatch(/ECONNREFUSED|postgres|prisma/i);
      const api = await request(down.app).post('/api/subscriptions').send({ email: 'p@example.org', topics: ['a'], consent: true });
      expect(api.status).toBe(503);
    } finally {
      await down.close();
      await deadDb.$disconnect();
    }
  });
});
