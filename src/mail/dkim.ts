/**
 * DKIM settings for nodemailer. The signed header list is set explicitly rather than taken from
 * nodemailer's default: RFC 8058 one-click unsubscribe only counts when the signature covers both
 * List-Unsubscribe and List-Unsubscribe-Post, and older nodemailer releases (before 10.x) leave
 * List-Unsubscribe-Post out of their default list. Pinning the list keeps that true across upgrades.
 */
import { createPrivateKey } from 'node:crypto';

export const DKIM_SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version',
  'Content-Type', 'Content-Transfer-Encoding', 'In-Reply-To', 'References',
  'List-Id', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'Auto-Submitted', 'Precedence',
].join(':');

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
  headerFieldNames: string;
}

/**
 * DKIM options from the three settings, or undefined when signing is off (domain or key unset).
 * `key` is PEM text or a path to a PEM file; `readFile` is given by the composition root (no I/O here).
 * Throws an error naming the setting when the key cannot be read or parsed.
 */
export function dkimOptions(
  settings: { domain?: string; selector: string; key?: string },
  readFile: (path: string) => string,
): DkimOptions | undefined {
  if (!settings.domain || !settings.key) return undefined;
  let pem = settings.key.trim();
  if (!pem.includes('-----BEGIN')) {
    try {
      pem = readFile(pem).trim();
    } catch (err) {
      throw new Error(`DKIM_PRIVATE_KEY is neither PEM text nor a readable file (${(err as Error).message})`);
    }
  }
  // Literal "\n" sequences (a PEM pasted into one env line) become newlines.
  pem = pem.replace(/\\n/g, '\n');
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`expected an RSA key, got ${key.asymmetricKeyType}`);
  } catch (err) {
    throw new Error(`DKIM_PRIVATE_KEY is not a usable RSA private key: ${(err as Error).message}`);
  }
  if (!/^[A-Za-z0-9.-]+$/.test(settings.domain)) throw new Error(`DKIM_DOMAIN is not a domain name: ${JSON.stringify(settings.domain)}`);
  if (!/^[A-Za-z0-9._-]+$/.test(settings.selector)) throw new Error(`DKIM_SELECTOR is not a valid selector: ${JSON.stringify(settings.selector)}`);
  return { domainName: settings.domain, keySelector: settings.selector, privateKey: pem, headerFieldNames: DKIM_SIGNED_HEADERS };
}
