/**
 * "More like this" / "Less like this" from a digest: the link's GET only shows a page (mail
 * scanners open links); the page's button records the choice on the subscriber's delivery_paper
 * row; the "noted" page undoes it. Bad, foreign and wrong-purpose tokens, papers of other digests,
 * bad fields, CSRF, rate limits and hostile titles. Real PostgreSQL and Redis.
 */
import request from 'supertest';
import { createTokens } from '../../src/subscriptions/tokens.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { linkPagesWeb, type TestWeb, expectRateLimitedAfter } from '../support/web.js';

let db: TestDatabase;
let web: TestWeb;

beforeAll(async () => {
  db = await createTestDatabase();
  web = linkPagesWeb(db);
  for (const [id, title] of [
    ['2411.30001', 'Message passing on hypergraphs'],
    ['2411.30002', 'A paper <script>alert(1)</script> & "friends" in $\\mathbb{R}^{d}$'],
    ['hep-th/9901001', 'An old-style identifier'],
    ['2411.30009', 'Sent on another day'],
  ]) {
    await db.prisma.paper.create({ data: { id, title, abstract: 'A.', authors: ['A'], categories: ['cs.LG'], absUrl: `https://arxiv.org/abs/${id}`, sources: ['arxiv-rss'], contentHash: id } });
  }
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});

let n = 0;
/** A subscriber with one sent delivery carrying the given papers (under "graph neural networks"). */
async function digest(papers: string[], status: 'active' | 'unsubscribed' | 'paused' = 'active', day = '2024-11-28') {
  const sub = await db.prisma.subscriber.create({ data: { email: `reader${++n}@example.org`, status, topics: ['graph neural networks'] } });
  const delivery = await db.prisma.delivery.create({
    data: {
      subscriberId: sub.id, digestDate: new Date(day), messageId: `<fb-${n}@test>`, sendAt: new Date(), status: 'sent',
      papers: { create: papers.map((paperId, i) => ({ subscriberId: sub.id, paperId, topic: 'graph neural networks <b>', rank: i + 1, score: 1, why: 'matched' })) },
    },
  });
  return { sub, delivery };
}

/** The link exactly as the email carries it, made local. */
function link(deliveryId: string, paperId: string, choice: 'more' | 'less'): string {
  const u = new URL(web.links.feedback(deliveryId)(paperId, choice));
  return `${u.pathname}${u.search}`;
}
const tokenOf = (deliveryId: string) => new URL(web.links.feedback(deliveryId)('x', 'more')).pathname.split('/')[2];
const row = (deliveryId: string, paperId: string) =>
  db.prisma.deliveryPaper.findUniqueOrThrow({ where: { deliveryId_paperId: { deliveryId, paperId } }, select: { feedback: true, feedbackAt: true } });

/** Opens the link like a reader's browser, then posts the page's form with `v` (same agent = same CSRF cookie). */
async function click(pageLink: string, v: string, agent = request.agent(web.app)) {
  const page = await agent.get(pageLink).expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const paper = /name="paper" value="([^"]*)"/.exec(page.text)![1];
  const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1];
  return { agent, csrf, res: await agent.post(action).type('form').send({ _csrf: csrf, paper: decodeEntities(paper), v }) };
}
const decodeEntities = (s: string) => s.replace(/&#x2F;/g, '/').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('the link (GET) shows the question and records nothing', () => {
  test('five GETs (a mail scanner, a prefetcher) leave the row untouched; the page offers both answers', async () => {
    const { sub, delivery } = await digest(['2411.30001']);
    const more = link(delivery.id, '2411.30001', 'more');
    expect(more).toMatch(/^\/feedback\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\?paper=2411\.30001&v=more$/);
    for (let i = 0; i < 5; i++) {
      const page = await request(web.app).get(more).expect(200);
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toContain("form-action 'self'");
      expect(page.text).toContain('<h1>More like this?</h1>');
      expect(page.text).toContain('Message passing on hypergraphs');
      expect(page.text).toContain('graph neural networks &lt;b&gt;'); // the topic it was sent under, escaped
      expect(page.text).toContain('<button type="submit" name="v" value="more">More like this</button>');
      expect(page.text).toContain('<button type="submit" name="v" value="less" class="secondary">Less like this</button>');
      expect(page.text).toContain(`href="${new URL(web.links.manage(sub.id)).pathname}"`);
      expect(page.text).toContain('Nothing is recorded until you press a button.');
    }
    const less = await request(web.app).get(link(delivery.id, '2411.30001', 'less')).expect(200);
    expect(less.text).toContain('<h1>Less like this?</h1>');
    expect(less.text.indexOf('value="less">Less like this')).toBeLessThan(less.text.indexOf('value="more" class="secondary">More like this'));
    await request(web.app).head(more).expect(200);
    expect(await row(delivery.id, '2411.30001')).toEqual({ feedback: null, feedbackAt: null });
  });

  test('a hostile title is shown as escaped text (GET and the "noted" page)', async () => {
    const { delivery } = await digest(['2411.30002']);
    const page = await request(web.app).get(link(delivery.id, '2411.30002', 'more')).expect(200);
    expect(page.text).toContain('A paper &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot; in ℝᵈ');
    expect(page.text).not.toContain('<script>alert(1)');
    const { res } = await click(link(delivery.id, '2411.30002', 'more'), 'more');
    expect(res.status).toBe(200);
    expect(res.text).toContain('A paper &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toContain('<script>alert(1)');
  });
});

describe('the button (POST) records, overrides and undoes', () => {
  test('more → 1; the same again → still 1 (time refreshed); less → -1; undo → NULL', async () => {
    const { sub, delivery } = await digest(['2411.30001', 'hep-th/9901001']);
    const more = link(delivery.id, 'hep-th/9901001', 'more');
    expect(more).toContain('?paper=hep-th%2F9901001&v=more');

    const before = Date.now();
    const first = await click(more, 'more');
    expect(first.res.status).toBe(200);
    expect(first.res.text).toContain('<h1>Thanks — noted</h1>');
    expect(first.res.text).toContain('Papers like this one will rank higher in your digests under <strong dir="auto">graph neural networks &lt;b&gt;</strong>.');
    expect(first.res.text).toContain('<button type="submit" name="v" value="none" class="secondary">Undo</button>');
    expect(first.res.text).toContain(`href="${new URL(web.links.manage(sub.id)).pathname}"`);
    const r1 = await row(delivery.id, 'hep-th/9901001');
    expect(r1.feedback).toBe(1);
    expect(r1.feedbackAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await row(delivery.id, '2411.30001')).toEqual({ feedback: null, feedbackAt: null }); // the other paper untouched

    await new Promise((r) => setTimeout(r, 20));
    const again = await first.agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: first.csrf, paper: 'hep-th/9901001', v: 'more' });
    expect(again.status).toBe(200);
    const r2 = await row(delivery.id, 'hep-th/9901001');
    expect(r2.feedback).toBe(1);
    expect(r2.feedbackAt!.getTime()).toBeGreaterThan(r1.feedbackAt!.getTime());
    expect(await db.prisma.deliveryPaper.count({ where: { deliveryId: delivery.id } })).toBe(2);

    // The page now says what was chosen before; the other answer overrides it.
    const page = await request(web.app).get(link(delivery.id, 'hep-th/9901001', 'less')).expect(200);
    expect(page.text).toContain('You already told us: “More like this”.');
    const less = await click(link(delivery.id, 'hep-th/9901001', 'less'), 'less');
    expect(less.res.text).toContain('will rank lower in your digests under');
    expect((await row(delivery.id, 'hep-th/9901001')).feedback).toBe(-1);

    // Undo from the "noted" page: both columns back to NULL, and the question is offered again.
    const undoAction = /<form method="post" action="([^"]+)"/.exec(less.res.text)![1];
    const undone = await less.agent.post(undoAction).type('form').send({ _csrf: less.csrf, paper: 'hep-th/9901001', v: 'none' });
    expect(undone.status).toBe(200);
    expect(undone.text).toContain('<h1>Feedback removed</h1>');
    expect(undone.text).toContain('value="more">More like this</button>');
    expect(await row(delivery.id, 'hep-th/9901001')).toEqual({ feedback: null, feedbackAt: null });
    const undoneAgain = await less.agent.post(undoAction).type('form').send({ _csrf: less.csrf, paper: 'hep-th/9901001', v: 'none' });
    expect(undoneAgain.status).toBe(200);
    expect(await row(delivery.id, 'hep-th/9901001')).toEqual({ feedback: null, feedbackAt: null });
  });

  test('an answer moved to another topic (preferences page) keeps steering it when changed; undo clears feedback_topic too', async () => {
    const { delivery } = await digest(['2411.30001']);
    await click(link(delivery.id, '2411.30001', 'more'), 'more');
    const where = { deliveryId_paperId: { deliveryId: delivery.id, paperId: '2411.30001' } };
    await db.prisma.deliveryPaper.update({ where, data: { feedbackTopic: 'graph neural networks' } }); // as move-feedback stores it
    const less = await click(link(delivery.id, '2411.30001', 'less'), 'less');
    expect(less.res.text).toContain('will rank lower in your digests under <strong dir="auto">graph neural networks</strong>.');
    expect(await db.prisma.deliveryPaper.findUniqueOrThrow({ where })).toMatchObject({ topic: 'graph neural networks <b>', feedback: -1, feedbackTopic: 'graph neural networks' });
    await less.agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: less.csrf, paper: '2411.30001', v: 'none' }).expect(200);
    expect(await db.prisma.deliveryPaper.findUniqueOrThrow({ where })).toMatchObject({ topic: 'graph neural networks <b>', feedback: null, feedbackAt: null, feedbackTopic: null });
    // Answered again later: it belongs to the topic the paper was sent under.
    const again = await click(link(delivery.id, '2411.30001', 'more'), 'more');
    expect(again.res.text).toContain('will rank higher in your digests under <strong dir="auto">graph neural networks &lt;b&gt;</strong>.');
  });

  test('the export of my data carries my feedback', async () => {
    const { sub, delivery } = await digest(['2411.30001']);
    await click(link(delivery.id, '2411.30001', 'less'), 'less');
    const res = await request(web.app).get(`${new URL(web.links.manage(sub.id)).pathname}/export`).expect(200);
    expect(res.body.deliveries[0].papers).toEqual([
      { paperId: '2411.30001', topic: 'graph neural networks <b>', why: 'matched', feedback: 'less', feedbackAt: expect.any(String), feedbackTopic: 'graph neural networks <b>' },
    ]);
  });

  test('without the CSRF field nothing is recorded (403)', async () => {
    const { delivery } = await digest(['2411.30001']);
    await request(web.app).post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ paper: '2411.30001', v: 'more' }).expect(403);
    const agent = request.agent(web.app);
    await agent.get(link(delivery.id, '2411.30001', 'more')).expect(200);
    await agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: 'forged', paper: '2411.30001', v: 'more' }).expect(403);
    expect(await row(delivery.id, '2411.30001')).toEqual({ feedback: null, feedbackAt: null });
  });

  test('the button is rate-limited per IP like preference changes (429)', async () => {
    const strict = linkPagesWeb(db, { RATE_LIMIT_MANAGE_IP: '2/1h' });
    try {
      const { delivery } = await digest(['2411.30001']);
      const agent = request.agent(strict.app);
      const page = await agent.get(link(delivery.id, '2411.30001', 'more')).expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
      const post = () => agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: csrf, paper: '2411.30001', v: 'more' });
      await expectRateLimitedAfter(post, 2);
    } finally {
      await strict.close();
    }
  });
});

describe('errors say what is wrong', () => {
  test('bad, tampered, foreign-key and wrong-purpose tokens: 404 "This link is not valid", nothing recorded', async () => {
    const { sub, delivery } = await digest(['2411.30001']);
    const token = tokenOf(delivery.id);
    const flipped = token.slice(0, 5) + (token[5] === 'A' ? 'B' : 'A') + token.slice(6);
    const bad = [
      flipped, token.slice(0, -3), 'not-a-token', 'x'.repeat(2000),
      createTokens('z'.repeat(40)).sign('feedback', delivery.id), // another instance's key
      web.tokens.sign('digest', delivery.id), // the web view's token of the same delivery
      web.tokens.sign('manage', sub.id), web.tokens.sign('unsubscribe', sub.id),
      web.tokens.sign('feedback', '00000000-0000-4000-8000-000000000000'), // a delivery that does not exist
      web.tokens.sign('feedback', 'not-a-uuid'),
      '%C3%28', // invalid percent-encoding
    ];
    const agent = request.agent(web.app);
    const csrfPage = await agent.get(link(delivery.id, '2411.30001', 'more')).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(csrfPage.text)![1];
    for (const t of bad) {
      const get = await request(web.app).get(`/feedback/${t}?paper=2411.30001&v=more`);
      expect([t, get.status]).toEqual([t, 404]);
      expect(get.text).toContain('This link is not valid');
      const post = await agent.post(`/feedback/${t}`).type('form').send({ _csrf: csrf, paper: '2411.30001', v: 'more' });
      expect([t, post.status]).toEqual([t, 404]);
      expect(post.text).toContain('This link is not valid');
    }
    expect(await row(delivery.id, '2411.30001')).toEqual({ feedback: null, feedbackAt: null });
  });

  test('a paper that was not in that digest: 404 "That paper was not in this digest", even the same reader\'s other digest', async () => {
    const { sub, delivery } = await digest(['2411.30001']);
    const other = await db.prisma.delivery.create({
      data: {
        subscriberId: sub.id, digestDate: new Date('2024-11-29'), messageId: `<fb-other-${sub.id}@test>`, sendAt: new Date(), status: 'sent',
        papers: { create: [{ subscriberId: sub.id, paperId: '2411.30009', topic: 'graph neural networks', rank: 1, score: 1, why: 'matched' }] },
      },
    });
    const agent = request.agent(web.app);
    const csrfPage = await agent.get(link(delivery.id, '2411.30001', 'more')).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(csrfPage.text)![1];
    for (const paper of ['2411.30009', '2411.99999', 'p'.repeat(500)]) {
      const get = await request(web.app).get(`/feedback/${tokenOf(delivery.id)}?paper=${encodeURIComponent(paper)}&v=more`);
      expect(get.status).toBe(404);
      expect(get.text).toContain('That paper was not in this digest');
      const post = await agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: csrf, paper, v: 'less' });
      expect(post.status).toBe(404);
      expect(post.text).toContain('That paper was not in this digest');
    }
    expect(await row(other.id, '2411.30009')).toEqual({ feedback: null, feedbackAt: null });
  });

  test('a v other than more / less (link) or more / less / none (button): 400 naming the field; a missing paper too', async () => {
    const { delivery } = await digest(['2411.30001']);
    const token = tokenOf(delivery.id);
    for (const query of ['paper=2411.30001&v=maybe', 'paper=2411.30001', 'paper=2411.30001&v=none', 'paper=2411.30001&v=more&v=less']) {
      const res = await request(web.app).get(`/feedback/${token}?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.text).toContain('The field v must be &quot;more&quot; or &quot;less&quot;.');
    }
    const noPaper = await request(web.app).get(`/feedback/${token}?v=more`).expect(400);
    expect(noPaper.text).toContain('The field paper');

    const agent = request.agent(web.app);
    const page = await agent.get(link(delivery.id, '2411.30001', 'more')).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    for (const v of ['maybe', '', '1']) {
      const res = await agent.post(`/feedback/${token}`).type('form').send({ _csrf: csrf, paper: '2411.30001', v });
      expect([v, res.status]).toEqual([v, 400]);
      expect(res.text).toContain('The field v must be &quot;more&quot;, &quot;less&quot; or &quot;none&quot;.');
    }
    const missing = await agent.post(`/feedback/${token}`).type('form').send({ _csrf: csrf, v: 'more' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('The field paper');
    const unknown = await agent.post(`/feedback/${token}`).type('form').send({ _csrf: csrf, paper: '2411.30001', v: 'more', score: '9' });
    expect(unknown.status).toBe(400);
    expect(await row(delivery.id, '2411.30001')).toEqual({ feedback: null, feedbackAt: null });
  });
});

describe('readers who are not receiving digests', () => {
  test('unsubscribed: the answer is kept for if they subscribe again, the page says so, nothing else changes', async () => {
    const { sub, delivery } = await digest(['2411.30001'], 'unsubscribed');
    const { res } = await click(link(delivery.id, '2411.30001', 'more'), 'more');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are unsubscribed, so no digest is sent to you. Your answer is kept and counts if you subscribe again.');
    expect((await row(delivery.id, '2411.30001')).feedback).toBe(1);
    expect((await db.prisma.subscriber.findUniqueOrThrow({ where: { id: sub.id } })).status).toBe('unsubscribed');
    expect((await web.mailJobs()).filter((j) => j.subscriberId === sub.id)).toEqual([]);
  });

  test('paused: the page says it counts when they resume', async () => {
    const { delivery } = await digest(['2411.30001'], 'paused');
    const page = await request(web.app).get(link(delivery.id, '2411.30001', 'less')).expect(200);
    expect(page.text).toContain('Your digest is paused. Your answer counts when you resume it.');
  });

  test('erased: the link leads nowhere (404), like every link of a deleted subscriber', async () => {
    const { sub, delivery } = await digest(['2411.30001']);
    const more = link(delivery.id, '2411.30001', 'more');
    const agent = request.agent(web.app);
    const page = await agent.get(more).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await db.prisma.subscriber.delete({ where: { id: sub.id } });
    expect((await request(web.app).get(more)).status).toBe(404);
    const post = await agent.post(`/feedback/${tokenOf(delivery.id)}`).type('form').send({ _csrf: csrf, paper: '2411.30001', v: 'more' });
    expect(post.status).toBe(404);
    expect(post.text).toContain('This link is not valid');
  });
});
