/**
 * A reader's whole journey in a real headless Chromium (Debian's, driven by playwright-core):
 * landing → type topics and watch the preview → subscribe → confirm from the link in the email
 * received by the in-process SMTP server → change preferences → "More like this" from a received
 * digest, undo it, say it again, see it on the preferences page, reword the topic and move the answer to the
 * new wording, then forget it there → unsubscribe. Every page is
 * screenshotted (desktop and a 390 px phone) under artifacts/web/ and checked with axe-core; no
 * serious or critical violation and no CSP violation is allowed.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTransactionalSender } from '../../src/mail/transactional-mail.js';
import { createDeliveryService, type DeliveryService } from '../../src/digest/delivery-service.js';
import { createSmtpMailer } from '../../src/mail/transport.js';
import { createLogger } from '../../src/logger.js';
import { loadTemplates } from '../../src/digest/templates.js';
import { projectRoot } from '../../src/paths.js';
import { QUEUE, type MailJob } from '../../src/jobs/queues.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { configFor } from '../support/env.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { waitUntil } from '../support/wait.js';
import { buildWeb, type TestWeb } from '../support/web.js';

const ARTIFACTS = path.join(projectRoot, 'artifacts/web');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let db: TestDatabase;
let smtp: TestSmtpServer;
let web: TestWeb;
let server: Server;
let worker: Worker<MailJob>;
let workerRedis: Redis;
let browser: Browser;
let base: string;
let deliveries: DeliveryService;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  db = await createTestDatabase();
  smtp = await startSmtpServer();
  const config = configFor({ DATABASE_URL: db.url, SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'http://paperboy.test' });
  web = buildWeb(config, db.prisma);
  server = await new Promise<Server>((resolve) => { const s = web.app.listen(0, '127.0.0.1', () => resolve(s)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mailer = createSmtpMailer({ url: smtp.url, pool: false, maxConnections: 1 });
  const sender = createTransactionalSender({
    prisma: db.prisma, mailer, templates: loadTemplates(path.join(projectRoot, 'templates')), links: web.links,
    from: config.mailFrom, postalAddress: config.postalAddress, logger: createLogger(config),
  });
  deliveries = createDeliveryService({
    prisma: db.prisma, mailer, templates: loadTemplates(path.join(projectRoot, 'templates')), links: web.links, logger: createLogger(config),
    mail: { from: config.mailFrom, listId: config.listId, postalAddress: config.postalAddress, maxHardBounces: config.maxHardBounces },
  });
  workerRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  worker = new Worker<MailJob>(QUEUE.mail, (job) => sender.send(job.data.kind, job.data.subscriberId), { connection: workerRedis, prefix: config.queuePrefix });
  for (const [id, title, abstract] of [
    ['2411.10001', 'Symbolic regression with deep transformers', 'We study symbolic regression as sequence prediction.'],
    ['2411.10002', 'Graph neural networks for molecule property prediction', 'Message passing on molecular graphs.'],
    ['2411.10003', 'A benchmark for symbolic regression methods', 'Sixty datasets for symbolic regression.'],
  ]) {
    await db.prisma.paper.create({
      data: { id, title, abstract, authors: ['Ada Lovelace', 'Alan Turing'], categories: ['cs.LG'], absUrl: `https://arxiv.org/abs/${id}`, sources: ['arxiv-rss'], contentHash: id, listings: { create: { source: 'arxiv-rss', day: new Date('2024-11-28') } } },
    });
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await worker?.close();
  workerRedis?.disconnect();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await web?.close();
  await smtp?.close();
  await db?.drop();
});

/** axe-core on the current page: serious and critical violations must be none. */
async function checkPage(page: Page, name: string, device: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${device}.png`), fullPage: true });
  await page.evaluate(AXE_SOURCE); // via DevTools, not a <script> tag: the page's CSP stays strict
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  expect({ page: name, device, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') })
    .toEqual({ page: name, device, violations: [] });
}

function localLink(url: string): string {
  const u = new URL(url);
  return `${base}${u.pathname}${u.search}`;
}

/** The href of the first link named `name` in an HTML email, entities decoded. */
function hrefOf(html: string, name: string): string {
  const m = new RegExp(`<a [^>]*href="([^"]+)"[^>]*>${name}</a>`).exec(html);
  if (!m) throw new Error(`no "${name}" link in the email`);
  return m[1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
}

test.each([
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
])('a reader subscribes, confirms, changes preferences and unsubscribes (%s)', async (device, viewport) => {
  const context = await browser.newContext({ viewport, timezoneId: 'Europe/Berlin', isMobile: device === 'phone', hasTouch: device === 'phone' });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  const email = `reader-${device}@example.org`;
  try {
    // Landing: the time zone is pre-filled from the browser; typing topics shows the preview.
    await page.goto(`${base}/`);
    await expect(page.inputValue('#timeZone')).resolves.toBe('Europe/Berlin');
    await checkPage(page, '1-landing', device);
    await page.fill('#email', email);
    // A misspelt word is pointed out while typing: no paper of the day uses it.
    await page.locator('#topics').pressSequentially('symbolic regresion', { delay: 5 });
    await page.locator('#preview-status', { hasText: /no paper of \d{4}-\d{2}-\d{2} uses \u201cregresion\u201d/ }).waitFor({ timeout: 10_000 });
    await page.fill('#topics', '');
    await page.locator('#topics').pressSequentially('symbolic regression', { delay: 5 });
    await page.waitForSelector('#preview-list li');
    const preview = await page.textContent('#preview');
    expect(preview).toContain('A benchmark for symbolic regression methods');
    expect(preview).toContain('symbolic regression');
    expect(preview).not.toContain('Graph neural networks');
    await page.selectOption('#deliveryHour', '6');
    await page.check('input[name="consent"]');
    await checkPage(page, '2-landing-preview', device);

    // Subscribe → check your inbox.
    await page.click('button[type="submit"]');
    await page.waitForSelector('h1:text("Check your inbox")');
    await checkPage(page, '3-check-inbox', device);
    const sub = await db.prisma.subscriber.findUniqueOrThrow({ where: { email } });
    expect(sub).toMatchObject({ status: 'pending', timeZone: 'Europe/Berlin', deliveryHour: 6, topics: ['symbolic regression'] });

    // The confirmation email → the confirm page → confirmed.
    const mail = await waitUntil(() => smtp.to(email)[0], 15_000, 'the confirmation email');
    const confirmUrl = /https?:\/\/\S+\/confirm\/\S+/.exec(mail.parsed.text ?? '')![0];
    await page.goto(localLink(confirmUrl));
    await checkPage(page, '4-confirm', device);
    expect((await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).status).toBe('pending');
    await page.click('button:text("Confirm my subscription")');
    await page.waitForSelector('h1:text("You\'re subscribed")');
    await checkPage(page, '5-confirmed', device);
    expect((await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).status).toBe('active');

    // Preferences: weekly on Friday, at most 5 papers.
    await page.click('a:text("Change your preferences")');
    await page.waitForSelector('h1:text("Your preferences")');
    await checkPage(page, '6-preferences', device);
    await page.check('input[name="frequency"][value="weekly"]');
    await page.selectOption('#weeklyDay', '5');
    await page.fill('#maxPapers', '5');
    await page.click('#preferences-form button[type="submit"]');
    await page.waitForSelector('text=Your preferences are saved.');
    await checkPage(page, '7-preferences-saved', device);
    expect(await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).toMatchObject({ frequency: 'weekly', weeklyDay: 5, maxPapers: 5 });

    // A digest arrives (the daily run's delivery, stored as the run stores it, sent by the delivery
    // service to the SMTP server); "More like this" under its first paper opens a page that records
    // nothing; its button records 1; "Undo" clears it.
    const delivery = await db.prisma.delivery.create({
      data: {
        subscriberId: sub.id, digestDate: new Date('2024-11-28'), messageId: `<journey-${device}@paperboy.test>`, sendAt: new Date(),
        papers: { create: ['2411.10003', '2411.10001'].map((paperId, i) => ({ subscriberId: sub.id, paperId, topic: 'symbolic regression', rank: i + 1, score: 2 - i, why: 'matched "symbolic regression" in title' })) },
      },
    });
    expect((await deliveries.send(delivery.id)).outcome).toBe('sent');
    const digest = (await waitUntil(() => smtp.to(email).find((m) => /Your week in papers/.test(m.parsed.subject ?? '')), 15_000, 'the digest'))!;
    const moreUrl = hrefOf(String(digest.parsed.html), 'More like this');
    expect(digest.parsed.text).toContain(`More like this: ${moreUrl}`);
    expect(moreUrl).toMatch(/^http:\/\/paperboy\.test\/feedback\/[A-Za-z0-9_.-]+\?paper=2411\.10003&v=more$/);
    const feedbackRow = () => db.prisma.deliveryPaper.findUniqueOrThrow({ where: { deliveryId_paperId: { deliveryId: delivery.id, paperId: '2411.10003' } } });
    await page.goto(localLink(moreUrl));
    await page.waitForSelector('h1:text("More like this?")');
    expect(await page.textContent('main')).toContain('A benchmark for symbolic regression methods');
    await checkPage(page, '7a-feedback', device);
    expect((await feedbackRow()).feedback).toBeNull();
    await page.click('button:text("More like this")');
    await page.waitForSelector('h1:text("Thanks — noted")');
    expect(await page.textContent('main')).toContain('Papers like this one will rank higher in your digests under symbolic regression.');
    await checkPage(page, '7b-feedback-noted', device);
    expect(await feedbackRow()).toMatchObject({ feedback: 1, feedbackAt: expect.any(Date) });
    await page.click('button:text("Undo")');
    await page.waitForSelector('h1:text("Feedback removed")');
    expect(await feedbackRow()).toMatchObject({ feedback: null, feedbackAt: null });

    // Said again, then seen on the preferences page; the topic reworded, the answer moved to the new
    // wording, then forgotten there.
    await page.click('button:text("More like this")');
    await page.waitForSelector('h1:text("Thanks — noted")');
    expect((await feedbackRow()).feedback).toBe(1);
    await page.click('a:text("Your preferences")');
    await page.waitForSelector('h1:text("Your preferences")');
    const answers = page.locator('section[aria-labelledby="answers-title"]');
    const entry = answers.locator('li', { hasText: 'symbolic regression' });
    expect(await entry.textContent()).toContain('Your answers steer this topic: 1 × more like this');
    await checkPage(page, '7c-preferences-answers', device);
    await page.fill('#topics', 'symbolic regression methods');
    await page.click('#preferences-form button[type="submit"]');
    await page.waitForSelector('text=Your preferences are saved.');
    expect(await answers.textContent()).toContain('1 answer under earlier wordings (not used)');
    await checkPage(page, '7d-answers-earlier-wording', device);
    await page.getByLabel('Use these answers for').selectOption('symbolic regression methods');
    await page.click('button:text("Use them")');
    await page.waitForSelector('text=1 answer from “symbolic regression” now steers “symbolic regression methods”.');
    expect(await feedbackRow()).toMatchObject({ topic: 'symbolic regression', feedback: 1, feedbackTopic: 'symbolic regression methods' });
    const moved = answers.locator('li', { hasText: 'symbolic regression methods' });
    expect(await moved.textContent()).toContain('Your answers steer this topic: 1 × more like this');
    await checkPage(page, '7e-answers-moved', device);
    await moved.locator('button:text("Forget these answers")').click();
    await page.waitForSelector('text=Your answers for “symbolic regression methods” are forgotten.');
    expect(await feedbackRow()).toMatchObject({ feedback: null, feedbackAt: null, feedbackTopic: null });
    expect(await answers.textContent()).toContain('None of your answers steers your topics at the moment.');
    await checkPage(page, '7f-answers-forgotten', device);

    // Unsubscribe: a page with one button, then done, with a way back.
    await page.click('a:text("Unsubscribe")');
    await page.waitForSelector('h1:text("Unsubscribe")');
    await checkPage(page, '8-unsubscribe', device);
    await page.click('button:text("Unsubscribe")');
    await page.waitForSelector('h1:text("You\'re unsubscribed")');
    await checkPage(page, '9-unsubscribed', device);
    expect((await db.prisma.subscriber.findUniqueOrThrow({ where: { email } })).status).toBe('unsubscribed');

    // A broken link shows the friendly error page.
    await page.goto(`${base}/confirm/not-a-real-token`);
    await checkPage(page, '10-error', device);
    expect(cspErrors).toEqual([]);
  } finally {
    await context.close();
  }
});
