/**
 * Signed links without passwords. A token is `base64url(purpose.subject.expiry).base64url(hmac)`,
 * HMAC-SHA256 keyed by SECRET_KEY and bound to its purpose, so a confirm token cannot unsubscribe and
 * vice versa. Verification accepts the current key and every key in SECRET_KEYS_PREVIOUS (rotation),
 * compares in constant time and never throws for bad input: it returns null.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `confirm`, `manage`, `unsubscribe`: the subject is a subscriber id. `digest` (the web view) and
 * `feedback` ("More / Less like this" on the papers of one digest): the subject is a delivery id.
 */
export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe' | 'digest' | 'feedback';

const PURPOSES: readonly TokenPurpose[] = ['confirm', 'manage', 'unsubscribe', 'digest', 'feedback'];
const MAX_TOKEN_LENGTH = 512;

export interface TokenPayload {
  purpose: TokenPurpose;
  subject: string;
  /** Unix seconds; 0 = never expires. */
  expires: number;
}

export interface Tokens {
  sign(purpose: TokenPurpose, subject: string, ttlSeconds?: number): string;
  verify(token: unknown, purpose: TokenPurpose): TokenPayload | null;
  /** Like verify, but a correctly signed expired token is returned with `expired: true` (for "send me a new link"). */
  inspect(token: unknown, purpose: TokenPurpose): (TokenPayload & { expired: boolean }) | null;
}

function mac(key: string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function createTokens(secret: string, previous: readonly string[] = [], now: () => number = Date.now): Tokens {
  const keys = [secret, ...previous];
  const inspect = (token: unknown, purpose: TokenPurpose): (TokenPayload & { expired: boolean }) | null => {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const parts = token.split('.');
    if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return null;
    const [body, sig] = parts;
    const given = Buffer.from(sig, 'base64url');
    let ok = false;
    for (const key of keys) {
      const expected = mac(key, body);
      // Constant-time comparison (lengths are public: a SHA-256 MAC is always 32 bytes).
      if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
    }
    if (!ok) return null;
    const fields = Buffer.from(body, 'base64url').toString('utf8').split('.');
    if (fields.length !== 3) return null;
    const [p, subject, exp] = fields;
    if (p !== purpose || !PURPOSES.includes(p as TokenPurpose) || !subject || !/^\d+$/.test(exp)) return null;
    const expires = Number(exp);
    return { purpose: p as TokenPurpose, subject, expires, expired: expires !== 0 && expires * 1000 < now() };
  };
  return {
    inspect,
    sign(purpose, subject, ttlSeconds) {
      if (subject.includes('.')) throw new Error('token subject may not contain "."');
      const expires = ttlSeconds ? Math.floor(now() / 1000) + ttlSeconds : 0;
      const body = Buffer.from(`${purpose}.${subject}.${expires}`).toString('base64url');
      return `${body}.${mac(secret, body).toString('base64url')}`;
    },
    verify(token, purpose) {
      const r = inspect(token, purpose);
      if (!r || r.expired) return null;
      return { purpose: r.purpose, subject: r.subject, expires: r.expires };
    },
  };
}
