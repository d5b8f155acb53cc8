/** Strict request-body handling shared by forms and the JSON API. */
import type { Request } from 'express';
import { HttpError } from './errors.js';

/**
 * The body as a null-prototype record holding only `allowed` keys. Anything else — including
 * `__proto__`, `constructor` or bracketed names like `topics[__proto__][x]` — is a 400.
 */
export function fields(req: Request, allowed: readonly string[], kind: 'form' | 'json'): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) {
    if (Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding']) {
      throw new HttpError(400, 'content_type', kind === 'form'
        ? 'Send the form as application/x-www-form-urlencoded.'
        : 'Send the request body as application/json.');
    }
    return Object.create(null) as Record<string, unknown>;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'body', 'The request body must be an object of fields.');
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new HttpError(400, 'unknown_field', `Unknown field "${key.slice(0, 40)}".`, key.slice(0, 40));
    out[key] = (body as Record<string, unknown>)[key];
  }
  return out;
}

/** True when the request carries a JSON body type. */
export function isJson(req: Request): boolean {
  return req.is('application/json') === 'application/json';
}
