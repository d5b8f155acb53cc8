/**
 * CSRF protection for forms (signed double submit, no server state): a random `pb_csrf` cookie
 * (HttpOnly, SameSite=Lax) and, in every form, a hidden `_csrf` field holding HMAC(secret, cookie).
 * A cross-site page can make the browser send the cookie but cannot read it, so it cannot produce
 * the field. Not used on RFC 8058 one-click unsubscribe (mail clients post without cookies) nor on
 * the JSON API (it only accepts application/json, which a cross-site form cannot send).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { HttpError } from './errors.js';

export const CSRF_COOKIE = 'pb_csrf';
export const CSRF_FIELD = '_csrf';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface Csrf {
  /** Ensure the cookie exists (set it on the response if not) and return the form field value. */
  issue(req: Request, res: Response): string;
  /** Throws a 403 HttpError when the `_csrf` field of the parsed body does not match the cookie. */
  check(req: Request): void;
}

export function createCsrf(secret: string, secureCookie: boolean): Csrf {
  const sign = (value: string): string => createHmac('sha256', secret).update(`csrf.${value}`).digest('base64url');
  const valid = (v: string | undefined): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{22}$/.test(v);
  return {
    issue(req, res) {
      let value = readCookie(req, CSRF_COOKIE);
      if (!valid(value)) {
        value = randomBytes(16).toString('base64url');
        res.append('Set-Cookie', `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${secureCookie ? '; Secure' : ''}`);
      }
      return sign(value);
    },
    check(req) {
      const cookie = readCookie(req, CSRF_COOKIE);
      const body = req.body as Record<string, unknown> | undefined;
      const given = body && typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
      if (valid(cookie)) {
        const expected = Buffer.from(sign(cookie));
        const actual = Buffer.from(given);
        if (actual.length === expected.length && timingSafeEqual(actual, expected)) return;
      }
      throw new HttpError(403, 'csrf', 'This form has expired or was sent from another site. Please reload the page and try again.');
    },
  };
}
