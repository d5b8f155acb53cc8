/**
 * Operator routes: `/metrics` (Prometheus text format) and the queue dashboard at `/admin/queues`
 * (bull-board) behind HTTP basic auth. The dashboard is off unless ADMIN_USER and ADMIN_PASSWORD
 * are set; `/healthz` lives in app.ts.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Metrics } from '../metrics.js';

export interface OpsDeps {
  metrics: Metrics;
  /** The queues shown in the dashboard. */
  queues: Queue[];
  adminUser?: string;
  adminPassword?: string;
  /** Where the dashboard is mounted (default /admin/queues). */
  dashboardPath?: string;
}

function sameSecret(a: string, b: string): boolean {
  // Compare digests so neither the length nor the content leaks through timing.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export function basicAuth(user: string, password: string, realm = 'Paperboy admin') {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (m) {
      const decoded = Buffer.from(m[1], 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i >= 0 && sameSecret(decoded.slice(0, i), user) && sameSecret(decoded.slice(i + 1), password)) return next();
    }
    res.set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`).status(401).type('text').send('authentication required');
  };
}

export function createOpsRouter(deps: OpsDeps): express.Router {
  const router = express.Router();

  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.set('Cache-Control', 'no-store');
    res.send(await deps.metrics.registry.metrics());
  });

  if (deps.adminUser && deps.adminPassword) {
    const base = deps.dashboardPath ?? '/admin/queues';
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(base);
    createBullBoard({ queues: deps.queues.map((q) => new BullMQAdapter(q)), serverAdapter });
    // The dashboard ships its own inline scripts and styles: it gets its own relaxed CSP, only here.
    router.use(base, basicAuth(deps.adminUser, deps.adminPassword), (_req, res, next) => {
      res.set('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data:; font-src 'self' data: https:");
      res.set('Cache-Control', 'no-store');
      next();
    }, serverAdapter.getRouter() as express.Router);
  }
  return router;
}
