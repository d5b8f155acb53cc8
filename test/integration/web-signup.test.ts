/**
 * The signup form and its JSON twin through HTTP (supertest) against real PostgreSQL and Redis:
 * validation, CSRF, honeypot, rate limits, no enumeration, races and hostile input.
 */
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { configFor } from '../support/env.js';
import { buildWeb, type TestWeb } from '../support/web.js';

let db: TestDatabase;
let web: TestWeb;

beforeAll(async () => {
  db = await createTestDatabase();
  web = buildWeb(configFor({ DATABASE_URL: db.url, RATE_LIMIT_SIGNUP_IP: '1000/1m', RATE_LIMIT_SIGNUP_EMAIL: '5/1h' }), db.prisma);
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});

/** A browser session: GET / for the CSRF cookie and field, then POST the form. */
async function session(app = web.app) {
  const agent = request.agent(app);
  const page = await agent.get('/').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  return {
    agent, csrf,
    post: (fields: Record<string, string | string[]>, ip?: string) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries({ _csrf: csrf, consent: 'yes', ...fields })) {
        for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      }
      const req = agent.post('/subscribe').type('form');
      if (ip) req.set('X-Forwarded-For', ip);
      return req.send(body.toString());
    },
  };
}

const valid = { email: 'ada@example.org', topics: 'symbolic regression\nreward models', frequency: 'weekly', weeklyDay: '3', deliveryHour: '8', timeZone: 'Europe/Paris', maxPapers: '12' };

describe('the landing page', () => {
  test('shows the form with every field, the topic help, the consent box and the CSRF field, under a strict CSP', async () => {
    const res = await request(web.app).get('/').expect(200);
    for (const name of ['email', 'topics', 'frequency', 'weeklyDay', 'deliveryHour', 'timeZone', 'maxPapers', 'consent', '_csrf', 'website']) {
      expect(res.text).toContain(`name="${name}"`);
    }
    expect(res.text).toContain('cat:cs.LG');
    expect(res.text).not.toMatch(/<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=/i); // no inline scripts, styles or handlers
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['set-cookie']?.[0]).toMatch(/^pb_csrf=[\w-]{22}; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  test('serves its script and stylesheet from /static', async () => {
    await request(web.app).get('/static/app.js').expect(200).expect('content-type', /javascript/);
    await request(web.app).get('/static/app.css').expect(200).expect('content-type', /css/);
  });
});

describe('signing up with the form', () => {
  test('creates a pending subscriber with every preference and a consent record, and queues one confirmation', async () => {
    const s = await session();
    const res = await s.post(valid).expect(200);
    expect(res.text).toContain('Check your inbox');
    const sub = await db.prisma.subscriber.findUniqueOrThrow({ where: { email: 'ada@example.org' } });
    expect(sub).toMatchObject({ status: 'pending', topics: ['symbolic regression', 'reward models'], frequency: 'weekly', weeklyDay: 3, deliveryHour: 8, timeZone: 'Europe/Paris', maxPapers: 12 });
    const consent = sub.consent as Record<string, unknown>;
    expect(consent).toMatchObject({ formVersion: 2, source: 'form', topics: ['symbolic regression', 'reward models'] });
    expect(consent.ipHash).toMatch(/^[\w-]{22}$/);
    expect(consent.ip).toBeUndefined();
    expect(Date.parse(consent.at as string)).not.toBeNaN();
    expect((await web.mailJobs()).filter((j) => j.subscriberId === sub.id)).toEqual([{ name: 'confirm', subscriberId: sub.id }]);
  });

  test('normalises the address: trimmed, lower-cased, IDN domain in ASCII, trailing dot dropped', async () => {
    const s = await session();
    await s.post({ ...valid, email: '  Grace.Hopper@Bücher.Example.  ' }).expect(200);
    expect(await db.prisma.subscriber.count({ where: { email: 'grace.hopper@xn--bcher-kva.example' } })).toBe(1);
  });

  test.each([
    ['', 'email', /Enter an email address/],
    ['not-an-address', 'email', /exactly one &quot;@&quot;/],
    ['a@b@example.org', 'email', /exactly one &quot;@&quot;/],
    ['victim@example.org\r\nBcc: all@example.org', 'email', /line breaks/],
    ['a@example.org, b@example.org', 'email', /commas/],
    ['a@example.org;b@example.org', 'email', /semicolons/],
    ['"Evil" <a@example.org>', 'email', /quotes or brackets|spaces/],
    [`${'a'.repeat(250)}@example.org`, 'email', /too long/],
  ])('rejects the address %j with a clear message and keeps what was typed', async (email, field, message) => {
    const s = await session();
    const res = await s.post({ ...valid, email }).expect(400);
    expect(res.text).toMatch(message);
    expect(res.text).toContain(`id="${field}-error"`);
    expect(res.text).toContain('symbolic regression'); // topics kept
    expect(await db.prisma.subscriber.count({ where: { email: { contains: 'bcc' } } })).toBe(0);
  });

  test.each([
    [{ topics: '' }, /Enter at least one topic/],
    [{ topics: Array.from({ length: 11 }, (_, i) => `topic ${i}`).join('\n') }, /Too many topics: 10 at most/],
    [{ topics: 'x'.repeat(301) }, /Topic 1: too long \(300 characters at most\)/],
    [{ frequency: 'hourly' }, /Frequency must be &quot;daily&quot; or &quot;weekly&quot;/],
    [{ weeklyDay: '7' }, /weekday.*from 0 to 6/],
    [{ deliveryHour: '24' }, /delivery hour must be a whole number from 0 to 23/],
    [{ timeZone: 'Mars/Olympus' }, /IANA name/],
    [{ maxPapers: '0' }, /from 1 to 50/],
    [{ maxPapers: '1e3' }, /from 1 to 50/],
    [{ consent: '' }, /Tick the box/],
  ])('rejects %j with a message naming the problem', async (fields, message) => {
    const s = await session();
    const res = await s.post({ ...valid, email: 'checks@example.org', ...fields }).expect(400);
    expect(res.text).toMatch(message);
    expect(await db.prisma.subscriber.count({ where: { email: 'checks@example.org' } })).toBe(0);
  });

  test('without the CSRF field, with a foreign one, or without the cookie: 403 and nothing stored', async () => {
    const s = await session();
    await s.agent.post('/subscribe').type('form').send({ ...valid, email: 'csrf1@example.org', consent: 'yes' }).expect(403);
    await s.agent.post('/subscribe').type('form').send({ ...valid, email: 'csrf2@example.org', consent: 'yes', _csrf: 'x'.repeat(43) }).expect(403);
    const other = await session();
    await s.agent.post('/subscribe').type('form').send({ ...valid, email: 'csrf3@example.org', consent: 'yes', _csrf: other.csrf }).expect(403);
    await request(web.app).post('/subscribe').type('form').send({ ...valid, email: 'csrf4@example.org', consent: 'yes', _csrf: s.csrf }).expect(403);
    expect(await db.prisma.subscriber.count({ where: { email: { startsWith: 'csrf' } } })).toBe(0);
  });

  test('a filled honeypot gets the usual answer but nothing is stored or sent', async () => {
    const s = await session();
    const before = (await web.mailJobs()).length;
    const res = await s.post({ ...valid, email: 'bot@example.org', website: 'http://spam.example' }).expect(200);
    expect(res.text).toContain('Check your inbox');
    expect(await db.prisma.subscriber.count({ where: { email: 'bot@example.org' } })).toBe(0);
    expect((await web.mailJobs()).length).toBe(before);
  });
});

describe('signing up again', () => {
  async function statusOf(email: string) {
    return (await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).status;
  }

  test('answers identically (status, body, headers) for new, pending, active and unsubscribed addresses', async () => {
    const s = await session();
    for (const [email, status] of [['pending@example.org', 'pending'], ['active@example.org', 'active'], ['gone@example.org', 'unsubscribed']] as const) {
      await db.prisma.subscriber.create({ data: { email, status, topics: ['x'] } });
    }
    const answers = [];
    for (const email of ['brand-new@example.org', 'pending@example.org', 'active@example.org', 'gone@example.org']) {
      const res = await s.post({ ...valid, email });
      const { date: _d, ...headers } = res.headers;
      answers.push({ status: res.status, body: res.text, headers });
    }
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
    // …while what happened differs: a confirmation for new / pending / unsubscribed, a manage link for active.
    expect(await statusOf('gone@example.org')).toBe('pending');
    expect(await statusOf('active@example.org')).toBe('active');
    const jobs = await web.mailJobs();
    const idOf = async (email: string) => (await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).id;
    const activeId = await idOf('active@example.org');
    const goneId = await idOf('gone@example.org');
    expect(jobs.filter((j) => j.subscriberId === activeId).map((j) => j.name)).toEqual(['manage']);
    expect(jobs.filter((j) => j.subscriberId === goneId).map((j) => j.name)).toEqual(['confirm']);
  });

  test('the same address ten times in a minute queues one confirmation', async () => {
    const s = await session();
    for (let i = 0; i < 10; i++) await s.post({ ...valid, email: 'Repeat@Example.org' }).expect(200);
    const sub = await db.prisma.subscriber.findUniqueOrThrow({ where: { email: 'repeat@example.org' } });
    expect((await web.mailJobs()).filter((j) => j.subscriberId === sub.id)).toHaveLength(1);
  });

  test('two parallel submits of Foo@Example.com and foo@example.com make one row, no error', async () => {
    const s = await session();
    const results = await Promise.all([
      s.post({ ...valid, email: 'Foo@Example.com' }), s.post({ ...valid, email: 'foo@example.com' }),
      s.post({ ...valid, email: 'FOO@example.COM' }), s.post({ ...valid, email: 'foo@EXAMPLE.com' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const rows = await db.prisma.subscriber.findMany({ where: { email: 'foo@example.com' } });
    expect(rows).toHaveLength(1);
    expect((await web.mailJobs()).filter((j) => j.subscriberId === rows[0].id)).toHaveLength(1);
  });
});

describe('rate limits', () => {
  test('per IP: 429 with Retry-After after the limit; with TRUST_PROXY=1 forged X-Forwarded-For entries share one bucket', async () => {
    const limited = buildWeb(configFor({ DATABASE_URL: db.url, RATE_LIMIT_SIGNUP_IP: '5/10m', TRUST_PROXY: '1' }), db.prisma);
    try {
      const s = await session(limited.app);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        // The client forges the left part; the proxy appends the address it saw (203.0.113.7).
        const res = await s.post({ ...valid, email: `ip${i}@example.org` }, `10.0.0.${i}, 198.51.100.${i}, 203.0.113.7`);
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      // Another client behind the same proxy has its own bucket.
      expect((await s.post({ ...valid, email: 'other-ip@example.org' }, '203.0.113.8')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test('per IP without a trusted proxy: X-Forwarded-For is ignored entirely', async () => {
    const limited = buildWeb(configFor({ DATABASE_URL: db.url, RATE_LIMIT_SIGNUP_IP: '3/10m' }), db.prisma);
    try {
      const s = await session(limited.app);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await s.post({ ...valid, email: `noproxy${i}@example.org` }, `192.0.2.${i}`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await limited.close();
    }
  });

  test('limits hold across app instances (processes) sharing Redis', async () => {
    const config = configFor({ DATABASE_URL: db.url, RATE_LIMIT_SIGNUP_IP: '2/10m' });
    const a = buildWeb(config, db.prisma);
    const b = buildWeb(config, db.prisma);
    try {
      expect((await (await session(a.app)).post({ ...valid, email: 'x1@example.org' })).status).toBe(200);
      expect((await (await session(b.app)).post({ ...valid, email: 'x2@example.org' })).status).toBe(200);
      expect((await (await session(a.app)).post({ ...valid, email: 'x3@example.org' })).status).toBe(429);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('hostile input', () => {
  test('10,000 topics, in one field or as 10,000 fields: 400/413, nothing stored', async () => {
    const s = await session();
    const oneField = await s.post({ ...valid, email: 'many1@example.org', topics: Array.from({ length: 10_000 }, () => 'a').join('\n') });
    expect([400, 413]).toContain(oneField.status);
    const manyFields = await s.post({ ...valid, email: 'many2@example.org', topics: Array.from({ length: 10_000 }, () => 'a') });
    expect([400, 413]).toContain(manyFields.status);
    const api = await request(web.app).post('/api/subscriptions').send({ email: 'many3@example.org', topics: Array.from({ length: 10_000 }, () => 'a'), consent: true });
    expect([400, 413]).toContain(api.status);
    expect(await db.prisma.subscriber.count({ where: { email: { startsWith: 'many' } } })).toBe(0);
  });

  test('__proto__ and bracketed keys are refused and Object.prototype is unchanged', async () => {
    const s = await session();
    const form = await s.agent.post('/subscribe').type('form')
      .send(`_csrf=${s.csrf}&email=p@example.org&topics=a&consent=yes&topics[__proto__][polluted]=1&__proto__[polluted]=1`);
    expect(form.status).toBe(400);
    expect(form.text).toMatch(/Unknown field/);
    const api = await request(web.app).post('/api/subscriptions').type('json')
      .send('{"email":"p@example.org","topics":["a"],"consent":true,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    expect(api.status).toBe(400);
    expect(api.body.error.code).toBe('unknown_field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await db.prisma.subscriber.count({ where: { email: 'p@example.org' } })).toBe(0);
  });

  test('a 2 MB body gets 413, to the form and to the API', async () => {
    const s = await session();
    const big = 'x'.repeat(2 * 1024 * 1024);
    expect((await s.agent.post('/subscribe').type('form').send(`_csrf=${s.csrf}&email=big@example.org&topics=${big}`)).status).toBe(413);
    const api = await request(web.app).post('/api/subscriptions').type('json').send(JSON.stringify({ email: 'big@example.org', topics: [big], consent: true }));
    expect(api.status).toBe(413);
    expect(api.body.error.code).toBe('too_large');
  });

  test('JSON sent to the form and a form sent to the API are refused cleanly', async () => {
    const s = await session();
    const form = await s.agent.post('/subscribe').type('json').send({ email: 'j@example.org', topics: 'a', _csrf: s.csrf });
    expect(form.status).toBe(400);
    const api = await request(web.app).post('/api/subscriptions').type('form').send('email=j@example.org&topics=a&consent=true');
    expect(api.status).toBe(415);
    const broken = await request(web.app).post('/api/subscriptions').type('json').send('{"email": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('bad_request');
  });

  test('no open redirect: next / return parameters and odd paths never answer with an off-site Location', async () => {
    for (const path of ['/?next=https://evil.example', '/subscribe?next=//evil.example', '//evil.example', '/\\evil.example', '/static//evil.example/', '/static/..%2f..%2fpackage.json', '/https:evil.example']) {
      const res = await request(web.app).get(path);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.location).toBeUndefined();
    }
  });
});

describe('the JSON API', () => {
  test('POST /api/subscriptions answers 202 with the same body whatever the address, and field errors name the field', async () => {
    const ok = await request(web.app).post('/api/subscriptions')
      .send({ email: 'api@example.org', topics: ['graph neural networks'], frequency: 'daily', deliveryHour: 6, timeZone: 'Asia/Tokyo', maxPapers: 5, consent: true })
      .expect(202);
    expect(ok.body).toEqual({ status: 'check_inbox', message: expect.any(String) });
    const again = await request(web.app).post('/api/subscriptions').send({ email: 'API@example.org', topics: ['x'], consent: true }).expect(202);
    expect(again.body).toEqual(ok.body);
    const sub = await db.prisma.subscriber.findUniqueOrThrow({ where: { email: 'api@example.org' } });
    expect(sub).toMatchObject({ deliveryHour: 7, timeZone: 'UTC', topics: ['x'] }); // pending: the latest form wins
    expect((sub.consent as Record<string, unknown>).source).toBe('api');
    const bad = await request(web.app).post('/api/subscriptions').send({ email: 'api2@example.org', topics: ['x'], consent: true, deliveryHour: 25 }).expect(400);
    expect(bad.body.error).toEqual({ code: 'validation', field: 'deliveryHour', message: expect.stringMatching(/0 to 23/) });
    const noConsent = await request(web.app).post('/api/subscriptions').send({ email: 'api3@example.org', topics: ['x'] }).expect(400);
    expect(noConsent.body.error.field).toBe('consent');
  });
});
