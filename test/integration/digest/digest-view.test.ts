// A delivery as stored in PostgreSQL becomes the email and the web view with the same content;
// a delivery without papers becomes the "nothing today" note.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { loadTemplates } from '../../../src/digest/templates.js';
import { loadDeliveryView } from '../../../src/digest/delivery-view.js';
import { createPaperViewCache } from '../../../src/digest/compose.js';
import { renderDigest } from '../../../src/digest/render.js';
import { digestWebView } from '../../../src/web/digest-view.js';
import { createTokens } from '../../../src/subscriptions/tokens.js';
import { createLinks } from '../../../src/links.js';
import { projectRoot } from '../../../src/paths.js';

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db.drop(); });

const templates = loadTemplates(path.join(projectRoot, 'templates'));
const tokens = createTokens('k'.repeat(40));
const links = createLinks('https://paperboy.example.org', tokens);

test('the stored delivery renders as email and web view with the same papers, weekly wording and project link', async () => {
  const sub = await db.prisma.subscriber.create({
    data: { email: 'reader@example.org', status: 'active', topics: ['symbolic regression'], frequency: 'weekly' },
  });
  await db.prisma.paper.create({
    data: {
      id: '2603.01234', title: 'Symbolic regression in $\\mathbb{R}^{d}$', abstract: 'We do $\\alpha$ things.', authors: ["Jos\\'e"],
      categories: ['cs.LG'], absUrl: 'https://arxiv.org/abs/2603.01234', projectPage: 'https://project.example.org/', hfUpvotes: 3,
      contentHash: 'h', aiKeywords: [], sources: ['arxiv-rss'],
    },
  });
  const delivery = await db.prisma.delivery.create({
    data: {
      subscriberId: sub.id, digestDate: new Date('2026-03-01T00:00:00Z'), messageId: '<m1@example.org>', sendAt: new Date(),
      papers: { create: [{ subscriberId: sub.id, paperId: '2603.01234', topic: 'symbolic regression', rank: 1, score: 2, why: 'matched in title' }] },
    },
  });

  const loaded = await loadDeliveryView(db.prisma, delivery.id, links, 'Paperboy, 1 Way', createPaperViewCache());
  expect(loaded!.view).toMatchObject({ weekly: true, paperCount: 1, topics: ['symbolic regression'] });
  const paper = loaded!.view.groups[0].papers[0];
  expect(paper).toMatchObject({ title: 'Symbolic regression in ℝᵈ', authors: 'José', excerpt: 'We do α things.', upvotesLabel: '3 upvotes' });
  expect(paper.links).toContainEqual({ label: 'Project page', url: 'https://project.example.org/' });

  const email = renderDigest(templates, loaded!.view);
  const page = await digestWebView({ prisma: db.prisma, tokens, templates, links, postalAddress: 'Paperboy, 1 Way' }, tokens.sign('digest', delivery.id));
  const papers = (html: string) => html.slice(html.indexOf('class="masthead"'), html.indexOf('class="footer"'));
  expect(page).not.toBeNull();
  expect(papers(page!)).toBe(papers(email.html));
  expect(email.html).toContain(links.webView(delivery.id).replace(/&/g, '&amp;'));
  expect(page).not.toContain('View in browser');

  // "More like this" / "Less like this" under the paper, in both parts and the web view: one token
  // per delivery that verifies as a feedback token of this delivery (and as nothing else).
  const textLinks = [...email.text.matchAll(/^(More|Less) like this: (\S+)$/gm)].map((m) => [m[1], new URL(m[2])] as const);
  expect(textLinks.map(([label, u]) => [label, u.pathname.split('/')[1], u.searchParams.get('paper'), u.searchParams.get('v')])).toEqual([
    ['More', 'feedback', '2603.01234', 'more'], ['Less', 'feedback', '2603.01234', 'less'],
  ]);
  const token = textLinks[0][1].pathname.split('/')[2];
  expect(tokens.verify(token, 'feedback')?.subject).toBe(delivery.id);
  expect(tokens.verify(token, 'digest')).toBeNull();
  expect(tokens.verify(token, 'manage')).toBeNull();
  for (const [, u] of textLinks) {
    const href = `href="${u.toString().replace(/&/g, '&amp;').replace(/=/g, '&#x3D;')}"`;
    expect(email.html).toContain(href);
    expect(page).toContain(href);
  }
  expect(email.html.match(/>(More|Less) like this<\/a>/g)).toEqual(['>More like this</a>', '>Less like this</a>']);
  expect(await digestWebView({ prisma: db.prisma, tokens, templates, links, postalAddress: '' }, 'forged')).toBeNull();
});

test('a delivery without papers renders the "nothing today" note', async () => {
  const sub = await db.prisma.subscriber.create({ data: { email: 'quiet@example.org', status: 'active', topics: ['rare topic'], nothingToday: true } });
  const delivery = await db.prisma.delivery.create({
    data: { subscriberId: sub.id, digestDate: new Date('2026-03-03T00:00:00Z'), messageId: '<m2@example.org>', sendAt: new Date() },
  });
  const loaded = await loadDeliveryView(db.prisma, delivery.id, links, 'Paperboy, 1 Way');
  const email = renderDigest(templates, loaded!.view);
  expect(email.subject).toBe('No new papers on your topics today — Tuesday 3 March 2026');
  expect(email.text).toContain('You asked to hear from us on quiet days too.');
});
