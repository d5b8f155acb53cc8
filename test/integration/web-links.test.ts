/**
 * Pages reached from links in emails: confirm, one-click unsubscribe (RFC 8058), preferences with
 * pause / export / delete, and their JSON twin — including tampered, truncated, cross-purpose,
 * expired and rotated tokens. GET never changes state.
 */
import request from 'supertest';
import { createTokens } from '../../src/subscriptions/tokens.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { configFor } from '../support/env.js';
import { buildWeb, linkPagesWeb, LINK_SECRET as SECRET, type TestWeb } from '../support/web.js';

let db: TestDatabase;
let web: TestWeb;

beforeAll(async () => {
  db = await createTestDatabase();
  web = linkPagesWeb(db);
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});

let n = 0;
async function subscriber(status: 'pending' | 'active' | 'paused' | 'unsubscribed' = 'active') {
  return db.prisma.subscriber.create({ data: { email: `reader${++n}@example.org`, status, topics: ['graph neural networks'] } });
}
const path = (url: string) => new URL(url).pathname;
const statusOf = async (id: string) => (await db.prisma.subscriber.findUnique({ where: { id } }))?.status;

/** GET a page with a form, then post it with the CSRF field from the page (same agent = same cookie). */
async function submit(pagePath: string, action: string, fields: Record<string, string> = {}) {
  const agent = request.agent(web.app);
  const page = await agent.get(pagePath).expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return agent.post(action).type('form').send({ _csrf: csrf, ...fields });
}

describe('confirming', () => {
  test('GET (a mail scanner) only shows the page; POST confirms; repeating says "already"', async () => {
    const sub = await subscriber('pending');
    const link = path(web.links.confirm(sub.id));
    for (let i = 0; i < 5; i++) {
      const page = await request(web.app).get(link).expect(200);
      expect(page.text).toContain('Confirm my subscription');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['cache-control']).toBe('no-store');
    }
    expect(await statusOf(sub.id)).toBe('pending');
    const done = await request(web.app).post(link).expect(200);
    expect(done.text).toContain("You're subscribed");
    expect(await statusOf(sub.id)).toBe('active');
    const again = await request(web.app).post(link).expect(200);
    expect(again.text).toContain('already subscribed');
  });

  test('an expired link is refused with a "send me a new link" path that queues a new confirmation', async () => {
    const sub = await subscriber('pending');
    const past = createTokens(SECRET, [], () => Date.now() - 8 * 86400_000);
    const link = `/confirm/${past.sign('confirm', sub.id, 7 * 86400)}`;
    const page = await request(web.app).get(link).expect(410);
    expect(page.text).toContain('Send me a new link');
    await request(web.app).post(link).expect(410);
    expect(await statusOf(sub.id)).toBe('pending');
    const resent = await request(web.app).post(`${link}/resend`).expect(200);
    expect(resent.text).toContain('Check your inbox');
    expect((await web.mailJobs()).filter((j) => j.subscriberId === sub.id)).toEqual([{ name: 'confirm', subscriberId: sub.id }]);
    // Asking again right away does not queue another (throttled per subscriber).
    await request(web.app).post(`${link}/resend`).expect(200);
    expect((await web.mailJobs()).filter((j) => j.subscriberId === sub.id)).toHaveLength(1);
  });

  test('a confirm link cannot unsubscribe and an unsubscribe link cannot confirm', async () => {
    const pending = await subscriber('pending');
    const active = await subscriber('active');
    const confirmToken = web.tokens.sign('confirm', active.id, 3600);
    const unsubscribeToken = web.tokens.sign('unsubscribe', pending.id);
    await request(web.app).post(`/unsubscribe/${confirmToken}`).type('form').send('List-Unsubscribe=One-Click').expect(400);
    await request(web.app).post(`/confirm/${unsubscribeToken}`).expect(400);
    await request(web.app).get(`/preferences/${unsubscribeToken}`).expect(400);
    expect(await statusOf(active.id)).toBe('active');
    expect(await statusOf(pending.id)).toBe('pending');
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  test('urlencoded then multipart, no cookie, no CSRF token: 200 both times, unsubscribed, idempotent', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.unsubscribe(sub.id));
    const first = await request(web.app).post(link).type('form').send('List-Unsubscribe=One-Click');
    expect(first.status).toBe(200);
    expect(await statusOf(sub.id)).toBe('unsubscribed');
    const second = await request(web.app).post(link).field('List-Unsubscribe', 'One-Click');
    expect(second.status).toBe(200);
    expect(second.text).toContain("You're unsubscribed");
    expect(await statusOf(sub.id)).toBe('unsubscribed');
  });

  test('the link GET by a scanner five times changes nothing and shows one button with a way back', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.unsubscribe(sub.id));
    for (let i = 0; i < 5; i++) {
      const page = await request(web.app).get(link).expect(200);
      expect(page.text).toContain('<button type="submit">Unsubscribe</button>');
      expect(page.text).toContain('change or pause it');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(await statusOf(sub.id)).toBe('active');
  });

  test('200 one-click POSTs from one provider IP all succeed (never rate-limited)', async () => {
    const strict = linkPagesWeb(db, { RATE_LIMIT_MANAGE_IP: '2/1h', RATE_LIMIT_SIGNUP_IP: '2/1h' });
    try {
      const subs = await Promise.all(Array.from({ length: 20 }, () => subscriber('active')));
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await request(strict.app).post(path(strict.links.unsubscribe(subs[i % 20].id))).type('form').send('List-Unsubscribe=One-Click');
        statuses.push(res.status);
      }
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect(await db.prisma.subscriber.count({ where: { id: { in: subs.map((s) => s.id) }, status: 'unsubscribed' } })).toBe(20);
    } finally {
      await strict.close();
    }
  });

  test('the "undo" button on the unsubscribed page subscribes again', async () => {
    const sub = await subscriber('active');
    const agent = request.agent(web.app);
    const page = await agent.post(path(web.links.unsubscribe(sub.id))).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const action = /<form method="post" action="([^"]+\/resume)"/.exec(page.text)![1];
    expect(await statusOf(sub.id)).toBe('unsubscribed');
    await agent.post(action).type('form').send({ _csrf: csrf }).expect(200);
    expect(await statusOf(sub.id)).toBe('active');
  });

  test('links mailed 31 days ago and links signed with a rotated-out key still unsubscribe', async () => {
    const old = await subscriber('active');
    const monthAgo = createTokens(SECRET, [], () => Date.now() - 31 * 86400_000);
    await request(web.app).post(`/unsubscribe/${monthAgo.sign('unsubscribe', old.id)}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await statusOf(old.id)).toBe('unsubscribed');

    const rotated = buildWeb(configFor({ DATABASE_URL: db.url, SECRET_KEY: 'n'.repeat(40), SECRET_KEYS_PREVIOUS: SECRET }), db.prisma);
    try {
      const sub = await subscriber('active');
      const mailedBeforeRotation = web.links.unsubscribe(sub.id);
      await request(rotated.app).post(path(mailedBeforeRotation)).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(await statusOf(sub.id)).toBe('unsubscribed');
    } finally {
      await rotated.close();
    }
  });

  test('tampered, truncated, empty, huge, invalid UTF-8 and foreign tokens: the same 400, no state change', async () => {
    const sub = await subscriber('active');
    const token = web.tokens.sign('unsubscribe', sub.id);
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    const otherId = web.tokens.sign('unsubscribe', '00000000-0000-4000-8000-000000000000');
    const swapped = `${otherId.split('.')[0]}.${token.split('.')[1]}`;
    const foreignKey = createTokens('z'.repeat(40)).sign('unsubscribe', sub.id);
    const bodies = new Set<string>();
    for (const bad of [flipped, token.slice(0, -3), token.split('.')[0], swapped, foreignKey, 'x'.repeat(10_000), '%C3%28', '%00', '..%2F..%2Fetc%2Fpasswd']) {
      const res = await request(web.app).post(`/unsubscribe/${bad}`).type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(400);
      bodies.add(res.text);
      expect((await request(web.app).get(`/unsubscribe/${bad}`)).status).toBe(400);
    }
    expect([...bodies].map((b) => /<h1>.*<\/h1>\s*<p>.*<\/p>/.exec(b)?.[0])).toEqual([expect.stringContaining('Link not valid')]);
    expect((await request(web.app).post('/unsubscribe/').type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
    expect(await statusOf(sub.id)).toBe('active');
  });

  test('a genuine link of an erased subscriber answers like any unsubscribe (nothing to reveal, nothing to fail)', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.unsubscribe(sub.id));
    await db.prisma.subscriber.delete({ where: { id: sub.id } });
    const res = await request(web.app).post(link).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(res.text).toContain("You're unsubscribed");
  });
});

describe('preferences', () => {
  test('the page shows the saved choices; saving changes them; GET changes nothing', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.manage(sub.id));
    const page = await request(web.app).get(link).expect(200);
    expect(page.text).toContain(sub.email);
    expect(page.text).toContain('graph neural networks');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const saved = await submit(link, link, { topics: 'cat:cs.LG\nsymbolic regression', frequency: 'weekly', weeklyDay: '5', deliveryHour: '18', timeZone: 'America/New_York', maxPapers: '7' });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Your preferences are saved');
    expect(await db.prisma.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({
      topics: ['cat:cs.LG', 'symbolic regression'], frequency: 'weekly', weeklyDay: 5, deliveryHour: 18, timeZone: 'America/New_York', maxPapers: 7,
    });
    const bad = await submit(link, link, { topics: '', maxPapers: '7' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter at least one topic');
  });

  test('changing preferences needs the CSRF field', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.manage(sub.id));
    await request(web.app).post(link).type('form').send({ topics: 'evil' }).expect(403);
    await request(web.app).post(`${link}/delete`).type('form').send({ confirm: 'yes' }).expect(403);
    await request(web.app).post(`${link}/pause`).type('form').send({}).expect(403);
    expect(await db.prisma.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).toMatchObject({ status: 'active', topics: ['graph neural networks'] });
  });

  test('pause and resume', async () => {
    const sub = await subscriber('active');
    const link = path(web.links.manage(sub.id));
    expect((await submit(link, `${link}/pause`)).status).toBe(200);
    expect(await statusOf(sub.id)).toBe('paused');
    expect((await submit(link, `${link}/resume`)).status).toBe(200);
    expect(await statusOf(sub.id)).toBe('active');
  });

  test('export gives my data as a JSON attachment', async () => {
    const sub = await subscriber('active');
    const res = await request(web.app).get(`${path(web.links.manage(sub.id))}/export`).expect(200).expect('content-type', /json/);
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body.subscriber).toMatchObject({ id: sub.id, email: sub.email, topics: ['graph neural networks'] });
    expect(res.body.deliveries).toEqual([]);
  });

  test('delete my data removes the subscriber and its deliveries, and needs the confirmation box', async () => {
    const sub = await subscriber('active');
    await db.prisma.delivery.create({ data: { subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: `<${sub.id}@test>`, sendAt: new Date() } });
    const link = path(web.links.manage(sub.id));
    const unticked = await submit(link, `${link}/delete`);
    expect(unticked.status).toBe(400);
    expect(await statusOf(sub.id)).toBe('active');
    const res = await submit(link, `${link}/delete`, { confirm: 'yes' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your data is deleted');
    expect(await db.prisma.subscriber.count({ where: { id: sub.id } })).toBe(0);
    expect(await db.prisma.delivery.count({ where: { subscriberId: sub.id } })).toBe(0);
    await request(web.app).get(link).expect(400);
  });
});

describe('the preferences API', () => {
  test('GET, PATCH (with pause), export and DELETE by token; bad tokens get 404 JSON', async () => {
    const sub = await subscriber('active');
    const token = path(web.links.manage(sub.id)).split('/').pop();
    const got = await request(web.app).get(`/api/preferences/${token}`).expect(200);
    expect(got.body).toMatchObject({ email: sub.email, status: 'active', topics: ['graph neural networks'], frequency: 'daily' });
    const patched = await request(web.app).patch(`/api/preferences/${token}`).send({ maxPapers: 3, topics: ['ti:transformer'], paused: true }).expect(200);
    expect(patched.body).toMatchObject({ maxPapers: 3, topics: ['ti:transformer'], status: 'paused' });
    const bad = await request(web.app).patch(`/api/preferences/${token}`).send({ timeZone: 'Nowhere/Land' }).expect(400);
    expect(bad.body.error).toMatchObject({ code: 'validation', field: 'timeZone' });
    await request(web.app).get(`/api/preferences/${token}/export`).expect(200);
    await request(web.app).get(`/api/preferences/${token}x`).expect(404);
    await request(web.app).get(`/api/preferences/${web.tokens.sign('unsubscribe', sub.id)}`).expect(404);
    await request(web.app).delete(`/api/preferences/${token}`).expect(204);
    expect(await db.prisma.subscriber.count({ where: { id: sub.id } })).toBe(0);
  });
});

describe('maintenance', () => {
  test('pending signups older than the purge age are deleted; confirmed and recent ones stay', async () => {
    const old = new Date(Date.now() - 31 * 86400_000);
    const stale = await db.prisma.subscriber.create({ data: { email: 'stale@example.org', topics: ['x'], status: 'pending', createdAt: old } });
    const oldActive = await db.prisma.subscriber.create({ data: { email: 'old-active@example.org', topics: ['x'], status: 'active', createdAt: old } });
    const fresh = await subscriber('pending');
    expect(await web.subscriptions.purgePending(30 * 86400_000)).toBe(1);
    expect(await statusOf(stale.id)).toBeUndefined();
    expect(await statusOf(oldActive.id)).toBe('active');
    expect(await statusOf(fresh.id)).toBe('pending');
  });
});

describe('the digest web view', () => {
  test('renders the email with its styles, under a CSP that lets no script run', async () => {
    const sub = await subscriber('active');
    await db.prisma.paper.create({ data: { id: '2411.20001', title: 'A paper <script>alert(1)</script>', abstract: 'Abstract.', authors: ['A'], categories: ['cs.LG'], absUrl: 'https://arxiv.org/abs/2411.20001', sources: ['arxiv-rss'], contentHash: 'h' } });
    const delivery = await db.prisma.delivery.create({ data: { subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: `<web-${sub.id}@test>`, sendAt: new Date(), status: 'sent' } });
    await db.prisma.deliveryPaper.create({ data: { deliveryId: delivery.id, subscriberId: sub.id, paperId: '2411.20001', topic: 'graph neural networks', rank: 1, score: 1, why: 'matched' } });
    const res = await request(web.app).get(path(web.links.webView(delivery.id))).expect(200);
    expect(res.text).toContain('A paper &lt;script&gt;');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    await request(web.app).get('/digest/not-a-token').expect(404);
  });
});
