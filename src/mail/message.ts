/** Builds the nodemailer message for a digest: deliverability headers in one place. */
import type { MailMessage } from './transport.js';
import { oneLine } from '../digest/text.js';
import { safeUrl } from '../digest/safe-url.js';
import { buildMimeMessage } from './mime.js';

export interface DigestMessageInput {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  listId: string;
  /** The one-click unsubscribe endpoint (RFC 8058): POST with `List-Unsubscribe=One-Click`. */
  unsubscribeUrl: string;
  unsubscribeMailto?: string;
}

/** Deterministic Message-ID per subscriber and date: a resend can be recognised as the same message. */
export function digestMessageId(subscriberId: string, digestDate: string, domain: string): string {
  return `<digest.${digestDate}.${subscriberId}@${domain}>`;
}

/** The domain part for Message-IDs: the From address's domain, else localhost. */
export function messageIdDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return m ? m[1].toLowerCase() : 'localhost';
}

/** `List-Id: Paperboy digest <daily.paperboy.example.org>` (RFC 2919): the id reduced to its legal characters. */
export function listIdHeader(listId: string): string {
  const id = listId.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[.-]+|[.-]+$/g, '') || 'paperboy.localhost';
  return `Paperboy digest <${id}>`;
}

/**
 * `List-Unsubscribe` (RFC 2369 / 8058): exactly one http(s) URI (the one-click endpoint) and, when
 * configured, one mailto. Values that could break out of the angle brackets are refused.
 */
export function listUnsubscribeHeader(unsubscribeUrl: string, mailto?: string): string {
  const url = safeUrl(unsubscribeUrl);
  if (!url) throw new Error(`List-Unsubscribe needs an http(s) URL, got ${JSON.stringify(unsubscribeUrl)}`);
  const parts = [`<${url}>`];
  if (mailto) {
    const address = mailto.replace(/^mailto:/i, '').trim();
    if (!/^[^\s<>@,;"()]+@[A-Za-z0-9.-]+$/.test(address)) throw new Error(`UNSUBSCRIBE_MAILTO is not a plain address: ${JSON.stringify(mailto)}`);
    parts.push(`<mailto:${address}?subject=unsubscribe>`);
  }
  return parts.join(', ');
}

/**
 * The digest as the relay will receive it: built by the lean MIME writer (src/mail/mime.ts) and
 * handed to nodemailer as `raw` with its envelope, so the pooled transport and DKIM signing stay
 * nodemailer's. `date` defaults to now.
 */
export function buildDigestMessage(input: DigestMessageInput & { date?: Date }): MailMessage {
  const built = buildMimeMessage({
    from: input.from,
    replyTo: input.replyTo,
    to: input.to,
    // The subject is composed with oneLine already; applying it again here keeps header
    // injection impossible whatever the caller passes.
    subject: oneLine(input.subject, 200),
    messageId: input.messageId,
    date: input.date ?? new Date(),
    headers: [
      ['List-Unsubscribe', listUnsubscribeHeader(input.unsubscribeUrl, input.unsubscribeMailto)],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ['List-Id', listIdHeader(input.listId)],
      ['Precedence', 'bulk'],
      ['Auto-Submitted', 'auto-generated'],
      ['X-Auto-Response-Suppress', 'OOF, AutoReply'],
    ],
    text: input.text,
    html: input.html,
  });
  return { envelope: built.envelope, messageId: built.messageId, raw: built.raw };
}
