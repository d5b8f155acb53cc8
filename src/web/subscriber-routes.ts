/**
 * Pages reached from links in emails (a signed token in the path, no passwords): confirm,
 * unsubscribe (also RFC 8058 one-click), preferences with pause / resume / export / delete and the
 * reader's "More / Less like this" answers (seen per topic, forgotten per topic, those under an
 * earlier wording moved to a current topic), and the JSON twin of preferences. GET never changes
 * state: mail scanners open every link.
 */
import express, { type Express, type Request, type Response } from 'express';
import type { Subscriber } from '../generated/prisma/client.js';
import { displayTopic } from '../digest/compose.js';
import { FEEDBACK_PER_SUBSCRIBER, type FeedbackTally } from '../subscriptions/feedback.js';
import { ValidationError } from '../subscriptions/errors.js';
import { CONFIRM_TTL_SECONDS } from '../subscriptions/subscription-service.js';
import { WEEKDAYS } from '../subscriptions/preferences.js';
import type { RouteContext } from './context.js';
import { CSRF_FIELD } from './csrf.js';
import { HttpError } from './errors.js';
import { fields } from './input.js';
import { requireJson } from './signup-routes.js';
import { formView } from './views.js';

const PREFERENCE_FIELDS = ['topics', 'frequency', 'weeklyDay', 'deliveryHour', 'timeZone', 'maxPapers'];
export const INVALID_LINK = 'This link is not valid. It may have been copied incompletely: open it again from the email.';

/** Token pages: the token must not leak through Referer, and nothing is cached. */
export function tokenPage(res: Response): void {
  res.set('Referrer-Policy', 'no-referrer');
  res.set('Cache-Control', 'no-store');
}

/** The answers that steer each current topic (topics without any left out), in the topics' order. */
function steering(sub: Subscriber, tallies: FeedbackTally[]): FeedbackTally[] {
  const byTopic = new Map(tallies.map((t) => [t.topic, t]));
  return sub.topics.flatMap((topic) => {
    const t = byTopic.get(topic);
    return t && t.more + t.less > 0 ? [t] : [];
  });
}

function preferencesJson(sub: Subscriber, tallies: FeedbackTally[]): Record<string, unknown> {
  return {
    email: sub.email, status: sub.status, topics: sub.topics, frequency: sub.frequency, weeklyDay: sub.weeklyDay,
    deliveryHour: sub.deliveryHour, timeZone: sub.timeZone, maxPapers: sub.maxPapers,
    feedback: steering(sub, tallies).map(({ topic, more, less }) => ({ topic, more, less })),
  };
}

const answers = (n: number) => `${n} ${n === 1 ? 'answer' : 'answers'}`;

/**
 * The page's "Your answers" section: for each current topic, how many answers steer it; then the
 * answers stored under topic wordings the reader no longer has (the daily run does not use them),
 * each offered to be moved to one of the current topics (`targets`). Each entry's `topic` is the
 * exact stored string, posted back to forget or move its answers.
 */
function answersView(sub: Subscriber, tallies: FeedbackTally[]): Record<string, unknown> {
  const current = steering(sub, tallies).map((t) => ({
    topic: t.topic, label: displayTopic(t.topic),
    steer: `Your answers steer this topic: ${[t.more && `${t.more} × more like this`, t.less && `${t.less} × less like this`].filter(Boolean).join(', ')}`,
  }));
  const mine = new Set(sub.topics);
  const old = tallies.filter((t) => !mine.has(t.topic));
  const earlier = old.map((t) => ({ topic: t.topic, label: displayTopic(t.topic), count: answers(t.stored) }));
  return {
    current, earlier, perSubscriber: FEEDBACK_PER_SUBSCRIBER,
    targets: sub.topics.map((topic) => ({ topic, label: displayTopic(topic) })),
    earlierLine: old.length ? `${answers(old.reduce((sum, t) => sum + t.stored, 0))} under earlier wordings (not used)` : undefined,
    none: current.length === 0 && earlier.length === 0,
  };
}

/** A required text field of a form (a repeated field counts as missing); `what` explains it. */
function requiredText(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ValidationError(field, `The field ${field} (${what}) is missing.`);
  return value;
}

export function registerSubscriberRoutes(app: Express, ctx: RouteContext): void {
  const { page, csrf, subscriptions, links, settings } = ctx;
  const invalid = (res: Response, message = INVALID_LINK) => page(res, 'error', { title: 'Link not valid', message }, 400);
  const manageLimit = (req: Request) => ctx.limit('manage-ip', req.ip ?? '', settings.rateManagePerIp);

  // ---- confirm
  app.get('/confirm/:token', async (req, res) => {
    tokenPage(res);
    const info = ctx.tokens.inspect(req.params.token, 'confirm');
    if (!info) return invalid(res, 'This confirmation link is not valid. Sign up again to get a new one.');
    if (info.expired) return page(res, 'confirm-expired', { title: 'Link expired', action: `/confirm/${req.params.token}/resend`, ttlDays: CONFIRM_TTL_SECONDS / 86400 }, 410);
    page(res, 'confirm', { title: 'Confirm your subscription', action: `/confirm/${req.params.token}` });
  });

  app.post('/confirm/:token', async (req, res) => {
    tokenPage(res);
    await manageLimit(req);
    const result = await subscriptions.confirm(req.params.token);
    if (result.kind === 'invalid') return invalid(res, 'This confirmation link is not valid. Sign up again to get a new one.');
    if (result.kind === 'expired') return page(res, 'confirm-expired', { title: 'Link expired', action: `/confirm/${req.params.token}/resend`, ttlDays: CONFIRM_TTL_SECONDS / 86400 }, 410);
    const sub = result.subscriber;
    page(res, 'confirmed', {
      title: result.kind === 'confirmed' ? 'Subscription confirmed' : 'Already confirmed',
      already: result.kind === 'already', topics: sub.topics, manageUrl: localPath(links.manage(sub.id)), schedule: schedule(sub),
    });
  });

  // "Send me a new link": works with an expired (but genuinely signed) confirm token.
  app.post('/confirm/:token/resend', async (req, res) => {
    tokenPage(res);
    await ctx.limit('signup-ip', req.ip ?? '', settings.rateSignupPerIp);
    if (!(await subscriptions.resendConfirmation(req.params.token))) return invalid(res);
    page(res, 'check-inbox', { title: 'Check your inbox' });
  });

  // ---- unsubscribe
  app.get('/unsubscribe/:token', async (req, res) => {
    tokenPage(res);
    const payload = ctx.tokens.verify(req.params.token, 'unsubscribe');
    if (!payload) return invalid(res);
    page(res, 'unsubscribe', { title: 'Unsubscribe', action: `/unsubscribe/${req.params.token}`, manageUrl: localPath(links.manage(payload.subject)) });
  });

  // The page's button and RFC 8058 one-click (`List-Unsubscribe=One-Click`, urlencoded or
  // multipart, no cookie, no CSRF token). Idempotent; never rate-limited.
  app.post('/unsubscribe/:token', express.raw({ type: 'multipart/form-data', limit: '16kb' }), async (req, res) => {
    tokenPage(res);
    const payload = ctx.tokens.verify(req.params.token, 'unsubscribe');
    if (!payload) return invalid(res);
    await subscriptions.unsubscribe(req.params.token); // null = already erased: nothing left to stop
    page(res, 'unsubscribed', {
      title: 'Unsubscribed', csrf: csrf.issue(req, res), resumeAction: `${localPath(links.manage(payload.subject))}/resume`,
    });
  });

  // ---- preferences (HTML)
  const prefsPage = async (req: Request, res: Response, sub: Subscriber, extra: Record<string, unknown> = {}, status = 200) => {
    const token = req.params.token as string;
    const answered = answersView(sub, await subscriptions.feedbackTallies(sub.id));
    page(res, 'preferences', {
      title: 'Your preferences', script: true, csrf: csrf.issue(req, res), base: `/preferences/${token}`,
      email: sub.email, status: sub.status, active: sub.status === 'active', paused: sub.status === 'paused',
      unsubscribed: sub.status === 'unsubscribed', pending: sub.status === 'pending',
      unsubscribeUrl: localPath(links.unsubscribe(sub.id)), schedule: schedule(sub),
      form: formView({ ...sub }), answers: answered, ...extra,
    }, status);
  };

  app.get('/preferences/:token', async (req, res) => {
    tokenPage(res);
    const sub = await subscriptions.byToken(req.params.token, 'manage');
    if (!sub) return invalid(res);
    await prefsPage(req, res, sub);
  });

  /** A form of the page refused with a ValidationError: the page again, 400, with `extra` saying why. */
  const refused = async (req: Request, res: Response, err: unknown, extra: (e: ValidationError) => Record<string, unknown>) => {
    if (!(err instanceof ValidationError)) throw err;
    const sub = await subscriptions.byToken(req.params.token as string, 'manage');
    if (!sub) return invalid(res);
    await prefsPage(req, res, sub, extra(err), 400);
  };

  app.post('/preferences/:token', async (req, res) => {
    tokenPage(res);
    const body = fields(req, [...PREFERENCE_FIELDS, CSRF_FIELD], 'form');
    csrf.check(req);
    await manageLimit(req);
    const input: Record<string, unknown> = {};
    for (const k of PREFERENCE_FIELDS) if (k in body) input[k] = body[k];
    try {
      const sub = await subscriptions.updatePreferences(req.params.token, input);
      if (!sub) return invalid(res);
      await prefsPage(req, res, sub, { notice: 'Your preferences are saved.' });
    } catch (err) {
      await refused(req, res, err, (e) => ({ form: formView(input, { [e.field]: e.message }) }));
    }
  });

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(`/preferences/:token/${action}`, async (req, res) => {
      tokenPage(res);
      fields(req, [CSRF_FIELD], 'form');
      csrf.check(req);
      await manageLimit(req);
      const sub = await subscriptions.setPaused(req.params.token, paused);
      if (!sub) return invalid(res);
      await prefsPage(req, res, sub, { notice: paused ? 'Paused: no digest until you resume.' : 'Welcome back: your digest is on again.' });
    });
  }

  // "Forget these answers": the reader's answers under one topic string (a current topic or an
  // earlier wording) no longer count; the rows stay, their feedback is cleared.
  app.post('/preferences/:token/forget-feedback', async (req, res) => {
    tokenPage(res);
    const body = fields(req, ['topic', CSRF_FIELD], 'form');
    csrf.check(req);
    await manageLimit(req);
    const topic = requiredText(body.topic, 'topic', 'the topic whose answers to forget');
    const result = await subscriptions.forgetFeedback(req.params.token, topic);
    if (!result) return invalid(res);
    await prefsPage(req, res, result.subscriber, result.forgotten > 0
      ? { notice: `Your answers for “${displayTopic(topic)}” are forgotten.` }
      : { alert: `You have no answers stored under “${displayTopic(topic)}”, so nothing was changed.` });
  });

  // "Use these answers for": the reader's answers under one topic string (an earlier wording) steer
  // one of their current topics from now on (feedback_topic); `topic`, what was sent, stays.
  app.post('/preferences/:token/move-feedback', async (req, res) => {
    tokenPage(res);
    const body = fields(req, ['from', 'to', CSRF_FIELD], 'form');
    csrf.check(req);
    await manageLimit(req);
    try {
      const from = requiredText(body.from, 'from', 'the earlier wording whose answers to move');
      const to = requiredText(body.to, 'to', 'the topic to use these answers for');
      const result = await subscriptions.moveFeedback(req.params.token, from, to);
      if (!result) return invalid(res);
      const [fromLabel, toLabel] = [displayTopic(from), displayTopic(to)];
      await prefsPage(req, res, result.subscriber, from === to
        ? { alert: `Your answers under “${fromLabel}” already steer that topic, so nothing was moved.` }
        : result.moved > 0
          ? { notice: `${answers(result.moved)} from “${fromLabel}” now ${result.moved === 1 ? 'steers' : 'steer'} “${toLabel}”.` }
          : { alert: `You have no answers stored under “${fromLabel}”, so nothing was moved.` });
    } catch (err) {
      await refused(req, res, err, (e) => ({ alert: e.message }));
    }
  });

  app.get('/preferences/:token/export', async (req, res) => {
    tokenPage(res);
    await manageLimit(req);
    const data = await subscriptions.exportData(req.params.token);
    if (!data) return invalid(res);
    res.set('Content-Disposition', 'attachment; filename="paperboy-my-data.json"');
    res.json(data);
  });

  app.post('/preferences/:token/delete', async (req, res) => {
    tokenPage(res);
    const body = fields(req, ['confirm', CSRF_FIELD], 'form');
    csrf.check(req);
    await manageLimit(req);
    const sub = await subscriptions.byToken(req.params.token, 'manage');
    if (sub && body.confirm !== 'yes') {
      return await prefsPage(req, res, sub, { deleteError: 'Tick the box to confirm that everything should be deleted.' }, 400);
    }
    if (!(await subscriptions.erase(req.params.token))) return invalid(res);
    page(res, 'deleted', { title: 'Your data is deleted' });
  });

  // ---- preferences (JSON API)
  const apiSubscriber = async (req: Request): Promise<Subscriber> => {
    await manageLimit(req);
    const sub = await subscriptions.byToken(req.params.token as string, 'manage');
    if (!sub) throw new HttpError(404, 'invalid_token', 'The token is not valid.');
    return sub;
  };

  app.get('/api/preferences/:token', async (req, res) => {
    tokenPage(res);
    const sub = await apiSubscriber(req);
    res.json(preferencesJson(sub, await subscriptions.feedbackTallies(sub.id)));
  });

  app.patch('/api/preferences/:token', async (req, res) => {
    tokenPage(res);
    requireJson(req);
    const body = fields(req, [...PREFERENCE_FIELDS, 'paused'], 'json');
    await apiSubscriber(req);
    const { paused, ...prefs } = body;
    if (paused !== undefined && typeof paused !== 'boolean') throw new ValidationError('paused', 'paused must be true or false.');
    let sub = await subscriptions.updatePreferences(req.params.token, { ...prefs });
    if (sub && paused !== undefined) sub = await subscriptions.setPaused(req.params.token, paused);
    if (!sub) throw new HttpError(404, 'invalid_token', 'The token is not valid.');
    res.json(preferencesJson(sub, await subscriptions.feedbackTallies(sub.id)));
  });

  app.get('/api/preferences/:token/export', async (req, res) => {
    tokenPage(res);
    await manageLimit(req);
    const data = await subscriptions.exportData(req.params.token);
    if (!data) throw new HttpError(404, 'invalid_token', 'The token is not valid.');
    res.json(data);
  });

  app.delete('/api/preferences/:token', async (req, res) => {
    tokenPage(res);
    await manageLimit(req);
    if (!(await subscriptions.erase(req.params.token))) throw new HttpError(404, 'invalid_token', 'The token is not valid.');
    res.status(204).end();
  });
}

/** Pages link to themselves by path (the host is where the reader already is). */
export function localPath(url: string): string {
  return new URL(url).pathname;
}

function schedule(sub: Subscriber): string {
  const hour = `${String(sub.deliveryHour).padStart(2, '0')}:00 (${sub.timeZone})`;
  return sub.frequency === 'weekly' ? `every ${WEEKDAYS[sub.weeklyDay] ?? 'Monday'} at ${hour}` : `every day at ${hour}`;
}
