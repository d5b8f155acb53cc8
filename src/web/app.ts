/**
 * The Express app: security middleware, body limits, the route modules and the error mapping.
 * Everything it needs is passed in (no module state), so tests build it with their own database,
 * Redis prefix and queues. See docs/web.md.
 */
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { projectRoot } from '../paths.js';
import { ValidationError } from '../subscriptions/errors.js';
import { routeContext, type WebDeps } from './context.js';
import { createCsrf } from './csrf.js';
import { HttpError, RateLimitedError, ServiceUnavailableError } from './errors.js';
import { createPageRenderer } from './views.js';
import { digestWebView } from './digest-view.js';
import { registerFeedbackRoutes } from './feedback-routes.js';
import { registerSignupRoutes } from './signup-routes.js';
import { INVALID_LINK, registerSubscriberRoutes } from './subscriber-routes.js';

export type { WebDeps } from './context.js';

/** Body limits: a signup is well under 8 KB; nothing legitimate is near these. */
export const FORM_BODY_LIMIT = '32kb';
export const JSON_BODY_LIMIT = '32kb';

function trustProxyValue(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** Errors meaning PostgreSQL or Redis cannot be reached (as opposed to a bug). */
export function isUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof ServiceUnavailableError) return true;
    const code = typeof e.code === 'string' ? e.code : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'P1001', 'P1002', 'P1017', 'P2024', '57P01', '57P03', '53300'].includes(code)) return true;
    if (typeof e.message === 'string' && /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|Can't reach database|Connection is closed|timeout exceeded when trying to connect/i.test(e.message)) return true;
  }
  return false;
}

export function createApp(deps: WebDeps, ops?: express.Router): express.Express {
  const app = express();
  const page = createPageRenderer(deps.templates, deps.settings.postalAddress);
  const csrf = createCsrf(deps.settings.secretKey!, deps.settings.publicBaseUrl.startsWith('https:'));
  const ctx = routeContext(deps, page, csrf);
  const { logger } = deps;

  app.disable('x-powered-by');
  app.set('trust proxy', trustProxyValue(deps.settings.trustProxy));
  app.set('etag', false);
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'"], 'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"], 'form-action': ["'self'"], 'frame-ancestors': ["'none'"], 'base-uri': ["'none'"], 'object-src': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  }));

  // A request not answered in time (a dependency hangs) gets a generic 503 instead of hanging.
  app.use((req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        logger.warn({ path: req.path }, 'web.request.timeout');
        page(res, 'error', { title: 'Temporarily unavailable', message: 'Paperboy is temporarily unavailable. Please try again in a minute.' }, 503);
      }
    }, deps.settings.requestTimeoutMs);
    timer.unref();
    res.once('finish', () => clearTimeout(timer));
    res.once('close', () => clearTimeout(timer));
    next();
  });

  app.use('/static', express.static(path.join(projectRoot, 'templates/static'), { maxAge: '1h', index: false, redirect: false, fallthrough: true }));
  app.use(express.urlencoded({ extended: false, limit: FORM_BODY_LIMIT, parameterLimit: 100 }));
  app.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));

  registerSignupRoutes(app, ctx);
  registerSubscriberRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);

  app.get('/digest/:token', async (req, res) => {
    res.set('Referrer-Policy', 'no-referrer');
    res.set('Cache-Control', 'no-store');
    const html = await digestWebView({ ...deps, postalAddress: deps.settings.postalAddress }, req.params.token);
    if (html === null) return page(res, 'error', { title: 'Not found', message: 'This digest does not exist.' }, 404);
    // The email's own HTML (a <style> block and inlined styles, as mail clients need). No script
    // may run at all; only its styles are allowed inline.
    res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    res.type('html').send(html);
  });

  app.get('/healthz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try { await deps.prisma.$queryRaw`SELECT 1`; checks.postgres = 'ok'; } catch (e) { checks.postgres = (e as Error).message; }
    checks.redis = deps.redis.status === 'ready' ? await deps.redis.ping().then(() => 'ok', (e: Error) => e.message) : `redis ${deps.redis.status}`;
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });

  if (ops) app.use(ops); // operator routes: /metrics, /admin/queues (ops-routes.ts)

  app.use((req, res) => {
    if (req.path.startsWith('/api/')) return res.status(404).json({ error: { code: 'not_found', message: 'No such endpoint.' } });
    page(res, 'error', { title: 'Not found', message: 'There is nothing at this address.' }, 404);
  });

  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const api = req.path.startsWith('/api/');
    let status: number;
    let code: string;
    let message: string;
    let field: string | undefined;
    if (err instanceof ValidationError) {
      [status, code, message, field] = [400, 'validation', err.message, err.field];
    } else if (err instanceof HttpError) {
      [status, code, message, field] = [err.status, err.code, err.message, err.field];
      if (err instanceof RateLimitedError) res.set('Retry-After', String(err.retryAfter));
    } else if (err instanceof URIError && /^\/(confirm|unsubscribe|preferences|digest|feedback)\//.test(req.path)) {
      // A link mangled into invalid percent-encoding: the same answer as any other bad link.
      [status, code, message] = [req.path.startsWith('/feedback/') ? 404 : 400, 'invalid_token', INVALID_LINK];
    } else if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) {
      // body-parser: too large, too many parameters, malformed JSON, bad charset
      status = err.status;
      code = err.status === 413 ? 'too_large' : 'bad_request';
      message = err.status === 413 ? 'That request was too large.' : 'That request could not be understood.';
    } else if (isUnavailable(err)) {
      logger.error({ err: err.message, path: req.path }, 'web.dependency.unavailable');
      [status, code, message] = [503, 'unavailable', 'Paperboy is temporarily unavailable. Please try again in a minute.'];
      res.set('Retry-After', '30');
    } else {
      logger.error({ err: err.message, stack: err.stack, path: req.path }, 'web.error');
      [status, code, message] = [500, 'internal', 'Something went wrong on our side. Please try again in a minute.'];
    }
    res.set('Cache-Control', 'no-store');
    if (api) return res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
    if (code === 'invalid_token' && !api) return page(res, 'error', { title: 'Link not valid', message }, status);
    const titles: Record<number, string> = { 400: 'Please check your request', 403: 'Form expired', 404: 'Not found', 410: 'Link expired', 413: 'Too large', 415: 'Please check your request', 429: 'Slow down', 503: 'Temporarily unavailable' };
    page(res, 'error', { title: titles[status] ?? 'Something went wrong', message }, status);
  });

  return app;
}
