/**
 * "More like this" / "Less like this" from a digest (docs/web.md). The email links to
 * `GET /feedback/:token?paper=…&v=more|less`, which only shows the paper and a button: mail
 * scanners and link prefetchers open every link, so a GET never records anything. The button posts
 * the form (CSRF field, rate-limited like preference changes) and the choice is stored on the
 * subscriber's delivery_paper row; the "noted" page can undo it (`v=none`).
 */
import type { Express, Request, Response } from 'express';
import { displayTitle, displayTopic } from '../digest/compose.js';
import { ValidationError } from '../subscriptions/errors.js';
import { createFeedbackService, FEEDBACK_CHOICES, type FeedbackChoice, type FeedbackLookup, type FeedbackTarget } from '../subscriptions/feedback.js';
import type { RouteContext } from './context.js';
import { CSRF_FIELD } from './csrf.js';
import { fields } from './input.js';
import { INVALID_LINK, localPath, tokenPage } from './subscriber-routes.js';

const LABEL: Record<'more' | 'less', string> = { more: 'More like this', less: 'Less like this' };
export const NOT_IN_DIGEST = 'That paper was not in this digest. Open the link again from the email.';

/** The one `v` / `paper` value of a query or form (a repeated field is refused like a missing one). */
function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function parseChoice(value: unknown, allowed: readonly FeedbackChoice[]): FeedbackChoice {
  const v = one(value);
  if (v !== undefined && (allowed as readonly string[]).includes(v)) return v as FeedbackChoice;
  throw new ValidationError('v', `The field v must be ${allowed.map((a) => `"${a}"`).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`);
}

function parsePaper(value: unknown): string {
  const paper = one(value);
  if (!paper) throw new ValidationError('paper', 'The field paper (which paper of the digest) is missing. Open the link again from the email.');
  return paper;
}

/** A note for a reader whose digest is not being sent right now: the choice is kept for later. */
function inactiveNote(status: string): string | undefined {
  switch (status) {
    case 'active': return undefined;
    case 'unsubscribed': return 'You are unsubscribed, so no digest is sent to you. Your answer is kept and counts if you subscribe again.';
    case 'paused': return 'Your digest is paused. Your answer counts when you resume it.';
    default: return 'No digest is being sent to you at the moment. Your answer counts when it starts again.';
  }
}

export function registerFeedbackRoutes(app: Express, ctx: RouteContext): void {
  const { page, csrf, links, settings } = ctx;
  const feedback = createFeedbackService({ prisma: ctx.prisma, tokens: ctx.tokens });

  /** 404 for what the link does not lead to; the target otherwise. */
  const target = (res: Response, found: FeedbackLookup): FeedbackTarget | null => {
    if (found.kind === 'ok') return found.target;
    if (found.kind === 'invalid') page(res, 'error', { title: 'Link not valid', message: INVALID_LINK }, 404);
    else page(res, 'error', { title: 'Not in this digest', message: NOT_IN_DIGEST }, 404);
    return null;
  };

  const common = (req: Request, res: Response, t: FeedbackTarget) => ({
    action: `/feedback/${req.params.token as string}`, csrf: csrf.issue(req, res), paperId: t.paperId,
    paperTitle: displayTitle(t.title), topic: displayTopic(t.topic),
    manageUrl: localPath(links.manage(t.subscriberId)), inactiveNote: inactiveNote(t.subscriberStatus),
  });

  /** The question: the chosen answer as the main button, the other one beside it. */
  const askPage = (req: Request, res: Response, t: FeedbackTarget, choice: 'more' | 'less', notice?: string) => {
    const other = choice === 'more' ? 'less' : 'more';
    page(res, 'feedback', {
      ...common(req, res, t), title: notice ? 'Feedback removed' : `${LABEL[choice]}?`, heading: notice ? 'Feedback removed' : `${LABEL[choice]}?`,
      notice, choice, choiceLabel: LABEL[choice], other, otherLabel: LABEL[other],
      current: t.choice === 'none' ? undefined : LABEL[t.choice],
    });
  };

  app.get('/feedback/:token', async (req, res) => {
    tokenPage(res);
    if (!ctx.tokens.verify(req.params.token, 'feedback')) return target(res, { kind: 'invalid' });
    const choice = parseChoice(req.query.v, ['more', 'less']) as 'more' | 'less';
    const t = target(res, await feedback.find(req.params.token, parsePaper(req.query.paper)));
    if (t) askPage(req, res, t, choice);
  });

  app.post('/feedback/:token', async (req, res) => {
    tokenPage(res);
    const body = fields(req, ['paper', 'v', CSRF_FIELD], 'form');
    csrf.check(req);
    await ctx.limit('manage-ip', req.ip ?? '', settings.rateManagePerIp);
    if (!ctx.tokens.verify(req.params.token, 'feedback')) return target(res, { kind: 'invalid' });
    const choice = parseChoice(body.v, FEEDBACK_CHOICES);
    const t = target(res, await feedback.record(req.params.token, parsePaper(body.paper), choice));
    if (!t) return;
    if (choice === 'none') return askPage(req, res, t, 'more', 'Removed: this paper no longer steers your digests.');
    // Under the topic the answer steers: the one it was sent under, or the one the reader moved it to.
    page(res, 'feedback-noted', { ...common(req, res, t), title: 'Thanks — noted', direction: choice === 'more' ? 'higher' : 'lower', steers: displayTopic(t.steers) });
  });
}
