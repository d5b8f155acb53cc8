/**
 * The reader's "More / Less like this" answers on the preferences page: how many steer each current
 * topic (exactly those the daily run uses), the answers under earlier wordings, "Forget these
 * answers" (one topic string of one subscriber; CSRF, missing field, unknown topic, hostile topic
 * strings) and "Use these answers for" (an earlier wording's answers moved to a current topic, then
 * used by the daily run there). The JSON twin's `feedback`, the export. Real PostgreSQL and Redis.
 */
import request from 'supertest';
import { FEEDBACK_LOOKBACK_DAYS, FEEDBACK_PER_SUBSCRIBER, recentFeedback } from '../../src/subscriptions/feedback.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { linkPagesWeb, type TestWeb, expectRateLimitedAfter } from '../support/web.js';

const DAY = 86_400_000;
const PAPERS = Array.from({ length: 60 }, (_, i) => `2411.4${String(i).padStart(4, '0')}`);
let db: TestDatabase;
let web: TestWeb;

beforeAll(async () => {
  db = await createTestDatabase();
  web = linkPagesWeb(db);
  await db.prisma.paper.createMany({
    data: PAPERS.map((id) => ({ id, title: `Paper ${id}`, abstract: 'A.', authors: ['A'], categories: ['cs.LG'], absUrl: `https://arxiv.org/abs/${id}`, sources: ['arxiv-rss'], contentHash: id })),
  });
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});

/** One answer (or none) on a paper sent under `topic`, given `daysAgo` days ago (moved to `movedTo`). */
interface Answer { topic: string; feedback: 1 | -1 | null; daysAgo?: number; movedTo?: string }

let n = 0;
/** A subscriber with these topics and one sent delivery carrying one paper per answer. */
async function reader(topics: string[], answers: Answer[], status: 'active' | 'paused' = 'active') {
  const sub = await db.prisma.subscriber.create({ data: { email: `answers${++n}@example.org`, status, topics } });
  const now = Date.now();
  await db.prisma.delivery.create({
    data: {
      subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: `<answers-${n}@test>`, sendAt: new Date(), status: 'sent',
      papers: {
        create: answers.map((a, i) => ({
          subscriberId: sub.id, paperId: PAPERS[i], topic: a.topic, rank: i + 1, score: 1, why: 'matched', feedback: a.feedback, feedbackTopic: a.movedTo,
          // Distinct times (a second apart, in list order: the first answer is the most recent).
          feedbackAt: a.feedback === null ? null : new Date(now - (a.daysAgo ?? 0) * DAY - i * 1000),
        })),
      },
    },
  });
  const link = new URL(web.links.manage(sub.id)).pathname;
  return { sub, link, token: link.split('/').pop()! };
}

const rows = (subscriberId: string) => db.prisma.deliveryPaper.findMany({
  where: { subscriberId }, orderBy: { rank: 'asc' }, select: { paperId: true, topic: true, feedback: true, feedbackAt: true, feedbackTopic: true },
});

/** The preferences page in a browser-like agent, with its CSRF field. */
async function open(link: string) {
  const agent = request.agent(web.app);
  const page = await agent.get(link).expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return { agent, page, csrf };
}

type Agent = ReturnType<typeof request.agent>;

/** Posting with a bad, tampered or wrong-purpose token in the path: the "Link not valid" page, nothing changes. */
async function expectInvalidTokens(me: Awaited<ReturnType<typeof reader>>, post: (agent: Agent, path: string, csrf: string) => request.Test[]) {
  const before = await rows(me.sub.id);
  const { agent, csrf } = await open(me.link);
  for (const token of [`${me.token}x`, web.tokens.sign('unsubscribe', me.sub.id), 'not-a-token']) {
    for (const sent of post(agent, `/preferences/${token}`, csrf)) { // supertest sends when awaited: one by one
      const res = await sent;
      expect(res.status).toBe(400);
      expect(res.text).toContain('Link not valid');
    }
  }
  expect(await rows(me.sub.id)).toEqual(before);
}

/** A reader with these answers under a limit of 2 preference actions an hour: `post` is allowed twice, then 429. */
async function expectRateLimited(answers: Answer[], post: (agent: Agent, link: string, csrf: string) => request.Test) {
  const strict = linkPagesWeb(db, { RATE_LIMIT_MANAGE_IP: '2/1h' });
  try {
    const me = await reader(['graph neural networks'], answers);
    const agent = request.agent(strict.app);
    const page = await agent.get(me.link).expect(200); // the page itself is not counted
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await expectRateLimitedAfter(() => post(agent, me.link, csrf), 2);
  } finally {
    await strict.close();
  }
}

/** The "Your answers" section of a page. */
const section = (html: string) => /<section class="card actions" aria-labelledby="answers-title">[\s\S]*?<\/section>/.exec(html)![0];

/** An attribute value as a browser reads (and posts) it. */
const decode = (v: string) => v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x60;/g, '`').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The topic fields of the page's forget forms, entities decoded (what a browser posts). */
const forgetTopics = (html: string) => [...html.matchAll(/action="[^"]+\/forget-feedback"><input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="topic" value="([^"]*)">/g)]
  .map((m) => decode(m[1]));

/** The page's move forms: the `from` field and the `to` choices of each, entities decoded. */
const moveForms = (html: string) => [...html.matchAll(/<form method="post" action="[^"]+\/move-feedback"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => ({
  from: decode(/name="from" value="([^"]*)"/.exec(m[1])![1]),
  to: [...m[1].matchAll(/<option value="([^"]*)">/g)].map((o) => decode(o[1])),
}));

describe('the preferences page shows the answers that steer each current topic', () => {
  test('counts per current topic; nothing for a topic without answers; a year-old answer and other readers do not count', async () => {
    const { link } = await reader(['graph neural networks', 'symbolic regression', 'protein folding'], [
      { topic: 'graph neural networks', feedback: 1 },
      { topic: 'graph neural networks', feedback: 1 },
      { topic: 'graph neural networks', feedback: -1 },
      { topic: 'graph neural networks', feedback: 1 },
      { topic: 'graph neural networks', feedback: null }, // sent, not answered
      { topic: 'graph neural networks', feedback: 1, daysAgo: FEEDBACK_LOOKBACK_DAYS + 10 }, // too old to steer
      { topic: 'symbolic regression', feedback: -1 },
      { topic: 'protein folding', feedback: null },
    ]);
    await reader(['protein folding'], [{ topic: 'protein folding', feedback: 1 }]); // someone else's answer
    const { page } = await open(link);
    const answers = section(page.text);
    expect(answers).toContain('<h2 id="answers-title">Your answers</h2>');
    expect(answers).toContain('<span class="answer-topic" id="answers-topic-0" dir="auto">graph neural networks</span>');
    expect(answers).toContain('Your answers steer this topic: 3 × more like this, 1 × less like this');
    expect(answers).toContain('<span class="answer-topic" id="answers-topic-1" dir="auto">symbolic regression</span>');
    expect(answers).toContain('Your answers steer this topic: 1 × less like this');
    expect(answers).not.toContain('protein folding');
    expect(answers).not.toContain('earlier wordings');
    expect(answers).not.toContain('None of your answers');
    expect(forgetTopics(answers)).toEqual(['graph neural networks', 'symbolic regression']);
    expect(answers).toContain('aria-describedby="answers-topic-0">Forget these answers</button>');
  });

  test('a reader without answers sees one line and no button', async () => {
    const { link } = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: null }]);
    const answers = section((await open(link)).page.text);
    expect(answers).toContain('None of your answers steers your topics at the moment.');
    expect(answers).not.toContain('Your answers steer this topic');
    expect(forgetTopics(answers)).toEqual([]);
  });

  test('exactly the answers the daily run uses: the most recent FEEDBACK_PER_SUBSCRIBER over all topics', async () => {
    // 30 recent answers under A, then 25 older (still within the year) under B: only 20 of B count.
    const answers: Answer[] = [
      ...Array.from({ length: 30 }, (_, i): Answer => ({ topic: 'topic A', feedback: i % 3 === 0 ? -1 : 1, daysAgo: 1 })),
      ...Array.from({ length: 25 }, (_, i): Answer => ({ topic: 'topic B', feedback: i % 2 === 0 ? 1 : -1, daysAgo: 20 })),
    ];
    const { sub, link, token } = await reader(['topic A', 'topic B'], answers);
    const used = (await recentFeedback(db.prisma, [sub.id], { since: new Date(Date.now() - FEEDBACK_LOOKBACK_DAYS * DAY) })).get(sub.id)!;
    const count = (t: string) => ({ more: used.get(t)!.more.length, less: used.get(t)!.less.length });
    expect(count('topic A')).toEqual({ more: 20, less: 10 });
    expect(count('topic B').more + count('topic B').less).toBe(FEEDBACK_PER_SUBSCRIBER - 30);
    const page = section((await open(link)).page.text);
    expect(page).toContain(`Your answers steer this topic: ${count('topic A').more} × more like this, ${count('topic A').less} × less like this`);
    expect(page).toContain(`Your answers steer this topic: ${count('topic B').more} × more like this, ${count('topic B').less} × less like this`);
    const api = await request(web.app).get(`/api/preferences/${token}`).expect(200);
    expect(api.body.feedback).toEqual([{ topic: 'topic A', ...count('topic A') }, { topic: 'topic B', ...count('topic B') }]);
  });
});

describe('"Forget these answers"', () => {
  test('clears only that topic of that reader, and says so', async () => {
    const me = await reader(['graph neural networks', 'symbolic regression'], [
      { topic: 'graph neural networks', feedback: 1 },
      { topic: 'graph neural networks', feedback: -1 },
      { topic: 'graph neural networks', feedback: 1, daysAgo: FEEDBACK_LOOKBACK_DAYS + 10 }, // not shown, forgotten too
      { topic: 'symbolic regression', feedback: 1 },
    ]);
    const other = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: 1 }]);
    const otherBefore = await rows(other.sub.id);
    const { agent, csrf } = await open(me.link);
    const res = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'graph neural networks' });
    expect(res.status).toBe(200);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<h1>Your preferences</h1>');
    expect(res.text).toContain('<div class="notice" role="status"><p>Your answers for “graph neural networks” are forgotten.</p></div>');
    expect(forgetTopics(section(res.text))).toEqual(['symbolic regression']);
    expect((await rows(me.sub.id)).map((r) => [r.topic, r.feedback, r.feedbackAt === null])).toEqual([
      ['graph neural networks', null, true],
      ['graph neural networks', null, true],
      ['graph neural networks', null, true],
      ['symbolic regression', 1, false],
    ]);
    expect(await rows(other.sub.id)).toEqual(otherBefore);
    expect(await db.prisma.deliveryPaper.count({ where: { subscriberId: me.sub.id } })).toBe(4); // the rows stay
  });

  test('a topic with no answers of this reader: the page says so and nothing changes', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: 1 }, { topic: 'unanswered', feedback: null }]);
    await reader(['someone else'], [{ topic: 'someone else', feedback: -1 }]);
    const before = await rows(me.sub.id);
    const { agent, csrf } = await open(me.link);
    for (const topic of ['someone else', 'unanswered', 'Graph neural networks', 'x'.repeat(5000)]) {
      const res = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic });
      expect([topic.slice(0, 30), res.status]).toEqual([topic.slice(0, 30), 200]);
      expect(res.text).toMatch(/<div class="alert" role="alert"><p>You have no answers stored under “[^”]*”, so nothing was changed.<\/p><\/div>/);
      expect(res.text).not.toContain('are forgotten');
    }
    expect(await rows(me.sub.id)).toEqual(before);
    expect(await db.prisma.deliveryPaper.count({ where: { topic: 'someone else', feedback: -1 } })).toBe(1);
  });

  test('forgetting twice: the second time says there is nothing left', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: -1 }]);
    const { agent, csrf } = await open(me.link);
    const post = () => agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'graph neural networks' });
    expect((await post()).text).toContain('Your answers for “graph neural networks” are forgotten.');
    expect((await post()).text).toContain('You have no answers stored under “graph neural networks”, so nothing was changed.');
  });

  test('without the CSRF field (or with a forged one): 403, nothing changes', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: 1 }]);
    const before = await rows(me.sub.id);
    await request(web.app).post(`${me.link}/forget-feedback`).type('form').send({ topic: 'graph neural networks' }).expect(403);
    const { agent } = await open(me.link);
    await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: 'forged', topic: 'graph neural networks' }).expect(403);
    expect(await rows(me.sub.id)).toEqual(before);
  });

  test('a missing, empty, blank or repeated topic field: 400 naming the field; an unknown field: 400', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: 1 }]);
    const before = await rows(me.sub.id);
    const { agent, csrf } = await open(me.link);
    for (const body of [`_csrf=${encodeURIComponent(csrf)}`, `_csrf=${encodeURIComponent(csrf)}&topic=`, `_csrf=${encodeURIComponent(csrf)}&topic=%20%20`, `_csrf=${encodeURIComponent(csrf)}&topic=a&topic=b`]) {
      const res = await agent.post(`${me.link}/forget-feedback`).type('form').send(body);
      expect([body.slice(-20), res.status]).toEqual([body.slice(-20), 400]);
      expect(res.text).toContain('The field topic (the topic whose answers to forget) is missing.');
    }
    await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'graph neural networks', all: 'yes' }).expect(400);
    expect(await rows(me.sub.id)).toEqual(before);
  });

  test('a bad or wrong-purpose token: the "Link not valid" page, nothing changes', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'graph neural networks', feedback: 1 }]);
    await expectInvalidTokens(me, (agent, path, csrf) => [
      agent.post(`${path}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'graph neural networks' }),
    ]);
  });

  test('rate-limited like the other preference actions (429)', async () => {
    await expectRateLimited([{ topic: 'graph neural networks', feedback: 1 }], (agent, link, csrf) =>
      agent.post(`${link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'graph neural networks' }));
  });
});

describe('answers under earlier wordings', () => {
  test('listed with their count (not used), each forgettable; the current topics are not affected', async () => {
    const me = await reader(['graph neural networks'], [
      { topic: 'graph neural networks', feedback: 1 },
      { topic: 'GNNs', feedback: 1 },
      { topic: 'GNNs', feedback: -1, daysAgo: FEEDBACK_LOOKBACK_DAYS + 30 }, // stored, whatever its age
      { topic: 'graph nets', feedback: -1, daysAgo: 3 },
      { topic: 'never answered', feedback: null },
    ]);
    const { agent, page, csrf } = await open(me.link);
    const answers = section(page.text);
    expect(answers).toContain('<p class="answers-earlier">3 answers under earlier wordings (not used)</p>');
    expect(answers).toContain('<span class="answer-topic" id="answers-earlier-0" dir="auto">GNNs</span>\n      <span class="answer-count">2 answers</span>');
    expect(answers).toContain('<span class="answer-topic" id="answers-earlier-1" dir="auto">graph nets</span>\n      <span class="answer-count">1 answer</span>');
    expect(answers).not.toContain('never answered');
    expect(forgetTopics(answers)).toEqual(['graph neural networks', 'GNNs', 'graph nets']);

    const res = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'GNNs' }).expect(200);
    expect(res.text).toContain('Your answers for “GNNs” are forgotten.');
    expect(section(res.text)).toContain('1 answer under earlier wordings (not used)');
    expect(forgetTopics(section(res.text))).toEqual(['graph neural networks', 'graph nets']);
    expect((await rows(me.sub.id)).map((r) => [r.topic, r.feedback])).toEqual([
      ['graph neural networks', 1], ['GNNs', null], ['GNNs', null], ['graph nets', -1], ['never answered', null],
    ]);
    // The JSON twin lists only what steers the current topics.
    const api = await request(web.app).get(`/api/preferences/${me.token}`).expect(200);
    expect(api.body.feedback).toEqual([{ topic: 'graph neural networks', more: 1, less: 0 }]);
  });

  test('a reader with answers only under earlier wordings sees them and not the "none" line', async () => {
    const me = await reader(['symbolic regression'], [{ topic: 'old wording', feedback: 1 }]);
    const answers = section((await open(me.link)).page.text);
    expect(answers).toContain('1 answer under earlier wordings (not used)');
    expect(answers).not.toContain('None of your answers');
    expect(answers).not.toContain('Your answers steer this topic');
  });
});

describe('"Use these answers for": answers under an earlier wording moved to a current topic', () => {
  const since = () => new Date(Date.now() - FEEDBACK_LOOKBACK_DAYS * DAY);
  /** What recentFeedback (the daily run's query) gives this reader: more / less per topic. */
  async function used(subscriberId: string) {
    const byTopic = (await recentFeedback(db.prisma, [subscriberId], { since: since() })).get(subscriberId) ?? new Map();
    return Object.fromEntries([...byTopic].map(([topic, fb]) => [topic, { more: fb.more.length, less: fb.less.length }]));
  }
  const move = (agent: Agent, link: string, body: Record<string, string> | string) =>
    agent.post(`${link}/move-feedback`).type('form').send(body);

  test('each earlier wording offers the current topics; moving adds its answers to the target, the daily run uses them there, `topic` stays', async () => {
    const me = await reader(['gene expression', 'protein folding'], [
      { topic: 'gene expression', feedback: 1 }, // the target already has an answer
      { topic: 'expression', feedback: 1 },
      { topic: 'expression', feedback: -1, daysAgo: 2 },
      { topic: 'expression', feedback: 1, daysAgo: FEEDBACK_LOOKBACK_DAYS + 10 }, // moved too, too old to steer
      { topic: 'expression', feedback: null }, // sent, never answered: nothing to move
      { topic: 'protein folding', feedback: -1 },
      { topic: 'folding', feedback: 1, daysAgo: 5 }, // another earlier wording, left alone
    ]);
    const other = await reader(['gene expression'], [{ topic: 'expression', feedback: -1 }]);
    const otherBefore = await rows(other.sub.id);
    const before = await rows(me.sub.id);
    expect(await used(me.sub.id)).toEqual({
      'gene expression': { more: 1, less: 0 }, expression: { more: 1, less: 1 }, 'protein folding': { more: 0, less: 1 }, folding: { more: 1, less: 0 },
    });

    const { agent, page, csrf } = await open(me.link);
    const answers = section(page.text);
    expect(moveForms(answers)).toEqual([
      { from: 'expression', to: ['gene expression', 'protein folding'] },
      { from: 'folding', to: ['gene expression', 'protein folding'] },
    ]);
    // Labelled, and tied to the wording it moves.
    expect(answers).toContain('<label for="move-to-0">Use these answers for</label>');
    expect(answers).toContain('<select id="move-to-0" name="to" aria-describedby="answers-earlier-0" dir="auto">');
    expect(answers).toContain('<button type="submit" aria-describedby="answers-earlier-0">Use them</button>');
    expect(answers).toContain('<p class="answers-earlier">4 answers under earlier wordings (not used)</p>');

    const res = await move(agent, me.link, { _csrf: csrf, from: 'expression', to: 'gene expression' });
    expect(res.status).toBe(200);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('<div class="notice" role="status"><p>3 answers from “expression” now steer “gene expression”.</p></div>');
    const after = section(res.text);
    expect(after).toContain('<span class="answer-topic" id="answers-topic-0" dir="auto">gene expression</span>\n      <span class="answer-count">Your answers steer this topic: 2 × more like this, 1 × less like this</span>');
    expect(after).toContain('<p class="answers-earlier">1 answer under earlier wordings (not used)</p>');
    expect(moveForms(after)).toEqual([{ from: 'folding', to: ['gene expression', 'protein folding'] }]);
    expect(forgetTopics(after)).toEqual(['gene expression', 'protein folding', 'folding']);

    // The daily run's query now steers "gene expression" with them; "expression" is gone.
    expect(await used(me.sub.id)).toEqual({
      'gene expression': { more: 2, less: 1 }, 'protein folding': { more: 0, less: 1 }, folding: { more: 1, less: 0 },
    });
    // Only feedback_topic changed: what was sent (topic) and when it was answered stay.
    const moved = await rows(me.sub.id);
    expect(moved.map((r) => r.feedbackTopic)).toEqual([null, 'gene expression', 'gene expression', 'gene expression', null, null, null]);
    expect(moved.map(({ feedbackTopic: _, ...r }) => r)).toEqual(before.map(({ feedbackTopic: _, ...r }) => r));
    expect(await rows(other.sub.id)).toEqual(otherBefore);

    const api = await request(web.app).get(`/api/preferences/${me.token}`).expect(200);
    expect(api.body.feedback).toEqual([{ topic: 'gene expression', more: 2, less: 1 }, { topic: 'protein folding', more: 0, less: 1 }]);
    // The export shows both: the topic each paper was sent under and the topic its answer steers.
    const exported = await request(web.app).get(`${me.link}/export`).expect(200);
    expect(exported.body.deliveries[0].papers.map((p: { topic: string; feedbackTopic: string | null }) => [p.topic, p.feedbackTopic])).toEqual([
      ['gene expression', 'gene expression'], ['expression', 'gene expression'], ['expression', 'gene expression'], ['expression', 'gene expression'],
      ['expression', null], ['protein folding', 'protein folding'], ['folding', 'folding'],
    ]);

    // Forgetting the target topic forgets the moved answers with it.
    const forgot = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: 'gene expression' }).expect(200);
    expect(forgot.text).toContain('Your answers for “gene expression” are forgotten.');
    expect((await rows(me.sub.id)).map((r) => [r.topic, r.feedback, r.feedbackAt === null, r.feedbackTopic])).toEqual([
      ['gene expression', null, true, null], ['expression', null, true, null], ['expression', null, true, null], ['expression', null, true, null],
      ['expression', null, true, null], ['protein folding', -1, false, null], ['folding', 1, false, null],
    ]);
    expect(await used(me.sub.id)).toEqual({ 'protein folding': { more: 0, less: 1 }, folding: { more: 1, less: 0 } });
  });

  test('answers moved once can be moved again, also back to the wording they were sent under (feedback_topic NULL again)', async () => {
    const me = await reader(['expression'], [
      { topic: 'expression', feedback: 1, movedTo: 'gene expression' }, // moved away, then the topic was reworded back
      { topic: 'expr', feedback: -1, movedTo: 'gene expression' },
      { topic: 'gene expression', feedback: 1 },
    ]);
    const { agent, page, csrf } = await open(me.link);
    expect(section(page.text)).toContain('<span class="answer-topic" id="answers-earlier-0" dir="auto">gene expression</span>\n      <span class="answer-count">3 answers</span>');
    const res = await move(agent, me.link, { _csrf: csrf, from: 'gene expression', to: 'expression' }).expect(200);
    expect(res.text).toContain('3 answers from “gene expression” now steer “expression”.');
    expect((await rows(me.sub.id)).map((r) => [r.topic, r.feedbackTopic])).toEqual([
      ['expression', null], ['expr', 'expression'], ['gene expression', 'expression'],
    ]);
    expect(await used(me.sub.id)).toEqual({ expression: { more: 2, less: 1 } });
  });

  test('one answer: "1 answer … now steers"', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'GNNs', feedback: -1 }]);
    const { agent, csrf } = await open(me.link);
    const res = await move(agent, me.link, { _csrf: csrf, from: 'GNNs', to: 'graph neural networks' }).expect(200);
    expect(res.text).toContain('1 answer from “GNNs” now steers “graph neural networks”.');
    expect(section(res.text)).toContain('Your answers steer this topic: 1 × less like this');
    expect(moveForms(res.text)).toEqual([]);
  });

  test('nothing to move: a wording without answers of this reader, or the target itself; the page says so (200)', async () => {
    const me = await reader(['graph neural networks', 'symbolic regression'], [
      { topic: 'graph neural networks', feedback: 1 }, { topic: 'GNNs', feedback: 1 }, { topic: 'unanswered', feedback: null },
    ]);
    await reader(['someone else'], [{ topic: 'someone else', feedback: -1 }]);
    const before = await rows(me.sub.id);
    const { agent, csrf } = await open(me.link);
    for (const from of ['someone else', 'unanswered', 'gnns', 'x'.repeat(5000)]) {
      const res = await move(agent, me.link, { _csrf: csrf, from, to: 'symbolic regression' });
      expect([from.slice(0, 30), res.status]).toEqual([from.slice(0, 30), 200]);
      expect(res.text).toMatch(/<div class="alert" role="alert"><p>You have no answers stored under “[^”]*”, so nothing was moved.<\/p><\/div>/);
      expect(res.text).not.toContain('now steer');
    }
    const same = await move(agent, me.link, { _csrf: csrf, from: 'graph neural networks', to: 'graph neural networks' }).expect(200);
    expect(same.text).toContain('<div class="alert" role="alert"><p>Your answers under “graph neural networks” already steer that topic, so nothing was moved.</p></div>');
    expect(await rows(me.sub.id)).toEqual(before);
  });

  test('a missing, empty, blank or repeated from / to: 400 naming the field on the page; a `to` that is not a current topic: 400; an unknown field: 400', async () => {
    const me = await reader(['graph neural networks', 'symbolic regression'], [{ topic: 'GNNs', feedback: 1 }, { topic: 'graph nets', feedback: -1 }]);
    await reader(['someone else'], [{ topic: 'someone else', feedback: -1 }]);
    const before = await rows(me.sub.id);
    const { agent, csrf } = await open(me.link);
    const c = `_csrf=${encodeURIComponent(csrf)}`;
    const MISSING_FROM = 'The field from (the earlier wording whose answers to move) is missing.';
    const MISSING_TO = 'The field to (the topic to use these answers for) is missing.';
    const NOT_CURRENT = 'The field to must be one of your current topics.';
    for (const [body, message] of [
      [`${c}&to=symbolic%20regression`, MISSING_FROM],
      [`${c}&from=&to=symbolic%20regression`, MISSING_FROM],
      [`${c}&from=%20%20&to=symbolic%20regression`, MISSING_FROM],
      [`${c}&from=GNNs&from=graph%20nets&to=symbolic%20regression`, MISSING_FROM],
      [`${c}&from=GNNs`, MISSING_TO],
      [`${c}&from=GNNs&to=`, MISSING_TO],
      [`${c}&from=GNNs&to=%09`, MISSING_TO],
      [`${c}&from=GNNs&to=symbolic%20regression&to=graph%20neural%20networks`, MISSING_TO],
      [`${c}&from=GNNs&to=graph%20nets`, NOT_CURRENT], // an earlier wording
      [`${c}&from=GNNs&to=someone%20else`, NOT_CURRENT], // another reader's topic
      [`${c}&from=GNNs&to=Symbolic%20regression`, NOT_CURRENT], // exact strings only
      [`${c}&from=GNNs&to=GNNs`, NOT_CURRENT],
    ] as const) {
      const res = await move(agent, me.link, body);
      expect([body.slice(c.length), res.status]).toEqual([body.slice(c.length), 400]);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('<h1>Your preferences</h1>'); // the page again, with the message
      expect(res.text).toContain(`<div class="alert" role="alert"><p>${message}</p></div>`);
      expect(moveForms(section(res.text)).map((f) => f.from)).toEqual(['GNNs', 'graph nets']);
    }
    await move(agent, me.link, { _csrf: csrf, from: 'GNNs', to: 'symbolic regression', all: 'yes' }).expect(400);
    expect(await rows(me.sub.id)).toEqual(before);
  });

  test('without the CSRF field (or with a forged one): 403, nothing changes', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'GNNs', feedback: 1 }]);
    const before = await rows(me.sub.id);
    const body = { from: 'GNNs', to: 'graph neural networks' };
    await request(web.app).post(`${me.link}/move-feedback`).type('form').send(body).expect(403);
    const { agent } = await open(me.link);
    await move(agent, me.link, { _csrf: 'forged', ...body }).expect(403);
    expect(await rows(me.sub.id)).toEqual(before);
  });

  test('a bad or wrong-purpose token (with or without every field): the "Link not valid" page, nothing changes', async () => {
    const me = await reader(['graph neural networks'], [{ topic: 'GNNs', feedback: 1 }]);
    await expectInvalidTokens(me, (agent, path, csrf) => [
      move(agent, path, { _csrf: csrf, from: 'GNNs', to: 'graph neural networks' }),
      move(agent, path, { _csrf: csrf, from: 'GNNs' }),
    ]);
  });

  test('rate-limited like the other preference actions (429)', async () => {
    await expectRateLimited([{ topic: 'GNNs', feedback: 1 }], (agent, link, csrf) => move(agent, link, { _csrf: csrf, from: 'GNNs', to: 'graph neural networks' }));
  });
});

describe('hostile topic strings', () => {
  const HOSTILE = 'gnn <script>alert(1)</script> & "quotes" \'single\' `tick` =eq';
  const ESCAPED = 'gnn &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#x27;single&#x27; &#x60;tick&#x60; &#x3D;eq';

  test('escaped in the list, the form field and the notice; the posted field forgets exactly that string', async () => {
    const me = await reader([HOSTILE], [{ topic: HOSTILE, feedback: 1 }, { topic: `${HOSTILE} <b>old</b>`, feedback: -1 }]);
    const { agent, page, csrf } = await open(me.link);
    const answers = section(page.text);
    expect(answers).toContain(`<span class="answer-topic" id="answers-topic-0" dir="auto">${ESCAPED}</span>`);
    expect(answers).toContain(`<input type="hidden" name="topic" value="${ESCAPED}">`);
    expect(answers).toContain(`${ESCAPED} &lt;b&gt;old&lt;/b&gt;`);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('<b>old');
    expect(forgetTopics(answers)).toEqual([HOSTILE, `${HOSTILE} <b>old</b>`]);

    const res = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: HOSTILE }).expect(200);
    expect(res.text).toContain(`Your answers for “${ESCAPED}” are forgotten.`);
    expect(res.text).not.toContain('<script>alert(1)');
    expect((await rows(me.sub.id)).map((r) => r.feedback)).toEqual([null, -1]);

    const none = await agent.post(`${me.link}/forget-feedback`).type('form').send({ _csrf: csrf, topic: '<img src=x onerror=alert(1)>' }).expect(200);
    expect(none.text).toContain('You have no answers stored under “&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;”');
    expect(none.text).not.toContain('<img src=x');

    const api = await request(web.app).get(`/api/preferences/${me.token}`).expect(200);
    expect(api.body.feedback).toEqual([]);
    expect(api.body.topics).toEqual([HOSTILE]);
  });

  test('moving: escaped in the hidden field, the choices and the notice; the posted fields move exactly those strings', async () => {
    const OLD = `${HOSTILE} <b>old</b>`;
    const me = await reader(['plain topic', HOSTILE], [{ topic: OLD, feedback: 1 }, { topic: `${OLD}x`, feedback: -1 }]);
    const { agent, page, csrf } = await open(me.link);
    const answers = section(page.text);
    expect(answers).toContain(`<input type="hidden" name="from" value="${ESCAPED} &lt;b&gt;old&lt;/b&gt;">`);
    expect(answers).toContain(`<option value="${ESCAPED}">${ESCAPED}</option>`);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('<b>old');
    expect(moveForms(answers)).toEqual([{ from: OLD, to: ['plain topic', HOSTILE] }, { from: `${OLD}x`, to: ['plain topic', HOSTILE] }]);

    const res = await agent.post(`${me.link}/move-feedback`).type('form').send({ _csrf: csrf, from: OLD, to: HOSTILE }).expect(200);
    expect(res.text).toContain(`1 answer from “${ESCAPED} &lt;b&gt;old&lt;/b&gt;” now steers “${ESCAPED}”.`);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain('<b>old');
    expect((await rows(me.sub.id)).map((r) => [r.topic, r.feedbackTopic])).toEqual([[OLD, HOSTILE], [`${OLD}x`, null]]);
    const api = await request(web.app).get(`/api/preferences/${me.token}`).expect(200);
    expect(api.body.feedback).toEqual([{ topic: HOSTILE, more: 1, less: 0 }]);

    const refused = await agent.post(`${me.link}/move-feedback`).type('form').send({ _csrf: csrf, from: '<img src=x onerror=alert(1)>', to: 'plain topic' }).expect(200);
    expect(refused.text).toContain('You have no answers stored under “&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;”, so nothing was moved.');
    expect(refused.text).not.toContain('<img src=x');
  });
});
