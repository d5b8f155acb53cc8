/**
 * The Express app: thin routes that parse input, call one service and render a page. Everything it
 * needs is passed in (no module state), so tests build it with their own database and queues.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { TemplateSet } from '../digest/templates.js';
import type { SubscriptionService } from '../subscriptions/subscription-service.js';
import { ValidationError } from '../subscriptions/subscription-service.js';
import type { Tokens } from '../subscriptions/tokens.js';
import type { Links } from '../links.js';
import { digestWebView } from './digest-view.js';
import type { Redis } from 'ioredis';
import { projectRoot } from '../paths.js';

export interface WebDeps {
  prisma: PrismaClient;
  redis: Redis;
  templates: TemplateSet;
  subscriptions: SubscriptionService;
  tokens: Tokens;
  links: Links;
  logger: Logger;
  trustProxy: string;
  postalAddress: string;
  /** Operator routes (/metrics, /admin/queues): see ops-routes.ts. */
  ops?: express.Router;
}

function trustProxyValue(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}

export function createApp(deps: WebDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyValue(deps.trustProxy));
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'form-action': ["'self'"] },
    },
  }));
  app.use('/static', express.static(path.join(projectRoot, 'templates/static'), { maxAge: '1h', index: false }));
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));

  const page = (res: Response, name: string, context: Record<string, unknown> = {}, status = 200): void => {
    const body = deps.templates.render(`pages/${name}`, { postalAddress: deps.postalAddress, ...context });
    res.status(status).type('html').send(deps.templates.render('pages/layout', { body, title: context.title ?? 'Paperboy' }));
  };
  const tokenPage = (res: Response): void => {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
  };

  app.get('/', (_req, res) => page(res, 'subscribe', { title: 'Paperboy — new papers on your topics, daily' }));

  app.post('/subscribe', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const form = { email: typeof body.email === 'string' ? body.email : '', topics: typeof body.topics === 'string' ? body.topics : '' };
    try {
      await deps.subscriptions.signup({ email: body.email, topics: body.topics, consent: { at: new Date().toISOString(), formVersion: 1 } });
    } catch (err) {
      if (err instanceof ValidationError) {
        return page(res, 'subscribe', { title: 'Paperboy — check the form', form, error: { [err.field]: err.message }, errorMessage: err.message }, 400);
      }
      throw err;
    }
    page(res, 'check-inbox', { title: 'Check your inbox' });
  });

  app.get('/confirm/:token', (req, res) => {
    tokenPage(res);
    if (!deps.tokens.verify(req.params.token, 'confirm')) return page(res, 'error', { title: 'Link not valid', message: 'This confirmation link is not valid or has expired. Sign up again to get a new one.' }, 400);
    page(res, 'confirm', { title: 'Confirm your subscription', action: `/confirm/${req.params.token}` });
  });

  app.post('/confirm/:token', async (req, res) => {
    tokenPage(res);
    const sub = await deps.subscriptions.confirm(req.params.token);
    if (!sub) return page(res, 'error', { title: 'Link not valid', message: 'This confirmation link is not valid or has expired. Sign up again to get a new one.' }, 400);
    page(res, 'confirmed', { title: 'Subscription confirmed', topics: sub.topics, manageUrl: deps.links.manage(sub.id) });
  });

  app.get('/unsubscribe/:token', (req, res) => {
    tokenPage(res);
    if (!deps.tokens.verify(req.params.token, 'unsubscribe')) return page(res, 'error', { title: 'Link not valid', message: 'This unsubscribe link is not valid.' }, 400);
    page(res, 'unsubscribe', { title: 'Unsubscribe', action: `/unsubscribe/${req.params.token}` });
  });

  // Also the RFC 8058 one-click endpoint: POST with List-Unsubscribe=One-Click, no cookies, no CSRF.
  app.post('/unsubscribe/:token', async (req, res) => {
    tokenPage(res);
    const sub = await deps.subscriptions.unsubscribe(req.params.token);
    if (!sub) return page(res, 'error', { title: 'Link not valid', message: 'This unsubscribe link is not valid.' }, 400);
    page(res, 'unsubscribed', { title: 'Unsubscribed', manageUrl: deps.links.manage(sub.id) });
  });

  app.get('/preferences/:token', async (req, res) => {
    tokenPage(res);
    const sub = await deps.subscriptions.byToken(req.params.token, 'manage');
    if (!sub) return page(res, 'error', { title: 'Link not valid', message: 'This link is not valid.' }, 400);
    page(res, 'preferences', { title: 'Your preferences', subscriber: { email: sub.email, status: sub.status, topics: sub.topics }, unsubscribeUrl: deps.links.unsubscribe(sub.id) });
  });

  app.get('/digest/:token', async (req, res) => {
    tokenPage(res);
    const html = await digestWebView(deps, req.params.token);
    if (html === null) return page(res, 'error', { title: 'Not found', message: 'This digest does not exist.' }, 404);
    res.type('html').send(html);
  });

  app.get('/healthz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try { await deps.prisma.$queryRaw`SELECT 1`; checks.postgres = 'ok'; } catch (e) { checks.postgres = (e as Error).message; }
    try { await deps.redis.ping(); checks.redis = 'ok'; } catch (e) { checks.redis = (e as Error).message; }
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });

  if (deps.ops) app.use(deps.ops);

  app.use((_req, res) => page(res, 'error', { title: 'Not found', message: 'There is nothing at this address.' }, 404));

  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.status && err.status >= 400 && err.status < 500) {
      return page(res, 'error', { title: 'Bad request', message: err.status === 413 ? 'That request was too large.' : 'That request could not be understood.' }, err.status);
    }
    deps.logger.error({ err: err.message, stack: err.stack }, 'web.error');
    page(res, 'error', { title: 'Something went wrong', message: 'Something went wrong on our side. Please try again in a minute.' }, 503);
  });

  return app;
}
