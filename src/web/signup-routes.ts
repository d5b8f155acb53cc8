/**
 * The public signup surface: the landing page with its form (POST /subscribe), the JSON twin
 * (POST /api/subscriptions) and the live preview (POST /api/preview). Every signup answers the
 * same page / body whatever the address's state (no enumeration).
 */
import type { Express, Request } from 'express';
import { ValidationError } from '../subscriptions/errors.js';
import { normalizeEmail } from '../subscriptions/email-address.js';
import { FORM_VERSION } from '../subscriptions/subscription-service.js';
import { DEFAULT_PREFERENCES, MAX_PAPERS_LIMIT, parsePreferences } from '../subscriptions/preferences.js';
import type { RouteContext } from './context.js';
import { CSRF_FIELD } from './csrf.js';
import { HttpError } from './errors.js';
import { fields } from './input.js';
import { formView } from './views.js';

const PREFERENCE_FIELDS = ['topics', 'frequency', 'weeklyDay', 'deliveryHour', 'timeZone', 'maxPapers'] as const;
const SIGNUP_FIELDS = ['email', ...PREFERENCE_FIELDS, 'consent', 'website'];
/** The honeypot: a field people never see (hidden by CSS, aria-hidden) that bots fill in. */
const HONEYPOT = 'website';

export const CHECK_INBOX_JSON = {
  status: 'check_inbox',
  message: 'If the address can receive a subscription, a message with a confirmation link is on its way.',
} as const;

export function registerSignupRoutes(app: Express, ctx: RouteContext): void {
  const { page, csrf, settings, logger } = ctx;
  const landing = { title: 'Paperboy — new papers on your topics, in your inbox', script: true };

  // The empty form is the same for everyone but its CSRF field: render it once, fill the field in.
  const CSRF_SLOT = 'csrf-slot-3d9f0b7c';
  let emptyForm: string | undefined;
  app.get('/', (req, res) => {
    res.set('Cache-Control', 'no-store');
    emptyForm ??= page.html('subscribe', { ...landing, csrf: CSRF_SLOT, form: formView({}) });
    res.type('html').send(emptyForm.replace(CSRF_SLOT, csrf.issue(req, res)));
  });

  /** Shared by form and API: limits, honeypot, validation, the service call. */
  const signup = async (req: Request, body: Record<string, unknown>, source: 'form' | 'api'): Promise<void> => {
    await ctx.limit('signup-ip', req.ip ?? '', settings.rateSignupPerIp);
    const consent = source === 'form' ? body.consent === 'yes' : body.consent === true;
    // Validate first so a mistake is reported even on a filled honeypot (bots do not read errors).
    let email: string;
    try {
      email = normalizeEmail(body.email);
    } catch (err) {
      throw new ValidationError('email', (err as Error).message);
    }
    const preferences: Record<string, unknown> = {};
    for (const k of PREFERENCE_FIELDS) if (k in body) preferences[k] = body[k];
    parsePreferences(preferences);
    if (!consent) throw new ValidationError('consent', 'Tick the box to agree to receive the digest by email.');
    if (body[HONEYPOT] !== undefined && body[HONEYPOT] !== '') {
      logger.info({ event: 'honeypot' }, 'web.signup.rejected');
      return;
    }
    // Over the per-address budget the request is answered as usual, but nothing happens.
    const perEmail = await ctx.limiter.hit('signup-email', email, settings.rateSignupPerEmail);
    if (!perEmail.allowed) {
      logger.info({ event: 'email-throttled' }, 'web.signup.rejected');
      return;
    }
    await ctx.subscriptions.signup({
      email, preferences, consent: { formVersion: FORM_VERSION, source, ...ctx.consentIp(req) },
    });
    logger.info({ source }, 'web.signup.accepted');
  };

  app.post('/subscribe', async (req, res) => {
    const body = fields(req, [...SIGNUP_FIELDS, CSRF_FIELD], 'form');
    csrf.check(req);
    res.set('Cache-Control', 'no-store');
    try {
      await signup(req, body, 'form');
    } catch (err) {
      if (err instanceof ValidationError) {
        const view = formView(body, { [err.field]: err.message });
        return page(res, 'subscribe', { ...landing, title: 'Paperboy — please check the form', csrf: csrf.issue(req, res), form: view }, 400);
      }
      throw err;
    }
    page(res, 'check-inbox', { title: 'Check your inbox' });
  });

  app.post('/api/subscriptions', async (req, res) => {
    requireJson(req);
    const body = fields(req, SIGNUP_FIELDS, 'json');
    await signup(req, body, 'api');
    res.status(202).json(CHECK_INBOX_JSON);
  });

  app.post('/api/preview', async (req, res) => {
    requireJson(req);
    const body = fields(req, ['topics', 'maxPapers'], 'json');
    await ctx.limit('preview-ip', req.ip ?? '', settings.ratePreviewPerIp);
    const raw = body.topics;
    const topics = typeof raw === 'string' ? raw.split(/\r?\n/) : Array.isArray(raw) ? raw : undefined;
    if (!topics || !topics.every((t) => typeof t === 'string')) {
      throw new ValidationError('topics', 'topics must be a list of strings (or one string, one topic per line).');
    }
    if (topics.length > 100) throw new ValidationError('topics', 'Too many topics.');
    const max = body.maxPapers === undefined ? DEFAULT_PREFERENCES.maxPapers : body.maxPapers;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_PAPERS_LIMIT) {
      throw new ValidationError('maxPapers', `maxPapers must be a whole number from 1 to ${MAX_PAPERS_LIMIT}.`);
    }
    res.json(await ctx.preview.run(topics as string[], max));
  });
}

export function requireJson(req: Request): void {
  if (req.is('application/json') !== 'application/json') {
    throw new HttpError(415, 'content_type', 'Send the request body as application/json.');
  }
}
