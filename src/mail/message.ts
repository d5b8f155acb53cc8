/** Builds the nodemailer message for a digest: deliverability headers in one place. */
import type { MailMessage } from './transport.js';

export interface DigestMessageInput {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  listId: string;
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

export function buildDigestMessage(input: DigestMessageInput): MailMessage {
  const unsubscribe = [`<${input.unsubscribeUrl}>`];
  if (input.unsubscribeMailto) unsubscribe.push(`<mailto:${input.unsubscribeMailto}?subject=unsubscribe>`);
  return {
    from: input.from,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    to: input.to,
    subject: input.subject,
    html: input.html,
    text: input.text,
    messageId: input.messageId,
    headers: {
      'List-Unsubscribe': unsubscribe.join(', '),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Paperboy digest <${input.listId}>`,
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    },
  };
}
