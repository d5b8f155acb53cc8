/** What the web edge receives from the composition root, and what every route module shares. */
import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import type { Config, Rate } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { TemplateSet } from '../digest/templates.js';
import type { Links } from '../links.js';
import type { Logger } from '../logger.js';
import type { SubscriptionService } from '../subscriptions/subscription-service.js';
import type { Tokens } from '../subscriptions/tokens.js';
import type { Csrf } from './csrf.js';
import type { Preview } from './preview.js';
import type { RateLimiter } from './rate-limit.js';
import { RateLimitedError } from './errors.js';
import type { PageRenderer } from './views.js';

export type WebSettings = Pick<Config,
  'trustProxy' | 'postalAddress' | 'publicBaseUrl' | 'secretKey' | 'consentIp' | 'requestTimeoutMs' |
  'rateSignupPerIp' | 'rateSignupPerEmail' | 'ratePreviewPerIp' | 'rateManagePerIp'>;

export interface WebDeps {
  prisma: PrismaClient;
  redis: Redis;
  templates: TemplateSet;
  subscriptions: SubscriptionService;
  tokens: Tokens;
  links: Links;
  logger: Logger;
  limiter: RateLimiter;
  preview: Preview;
  settings: WebSettings;
}

export interface RouteContext extends WebDeps {
  page: PageRenderer;
  csrf: Csrf;
  /** Count a hit; throws RateLimitedError (429) beyond the rate. */
  limit(bucket: string, id: string, rate: Rate | null): Promise<void>;
  /** The consent record's IP field per CONSENT_IP. */
  consentIp(req: Request): { ipHash?: string; ip?: string };
}

export function routeContext(deps: WebDeps, page: PageRenderer, csrf: Csrf): RouteContext {
  return {
    ...deps, page, csrf,
    async limit(bucket, id, rate) {
      const d = await deps.limiter.hit(bucket, id, rate);
      if (!d.allowed) throw new RateLimitedError(d.retryAfter);
    },
    consentIp(req) {
      const ip = req.ip ?? '';
      if (deps.settings.consentIp === 'none' || !ip) return {};
      if (deps.settings.consentIp === 'full') return { ip };
      return { ipHash: createHmac('sha256', deps.settings.secretKey!).update(`ip.${ip}`).digest('base64url').slice(0, 22) };
    },
  };
}
