/**
 * Sends one delivery exactly once. States (docs/delivery.md):
 *   queued → sending (claimed in PostgreSQL before the SMTP transaction) → sent
 *     transient failure (4xx, connection, timeout)  → queued again, retried with backoff; failed on the last attempt
 *     throttling (421/454) or auth refused (535)     → queued again, the attempt not counted
 *     permanent failure (5xx)                        → bounced (+ hard bounce; suspended at MAX_HARD_BOUNCES)
 *   sending left behind by a dead process            → uncertain (never resent automatically; see recoverStale)
 *   queued, but the subscriber is no longer active    → skipped
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { Links } from '../links.js';
import type { Mailer } from '../mail/transport.js';
import { MailError, classifyMailError } from '../mail/transport.js';
import { buildDigestMessage } from '../mail/message.js';
import type { TemplateSet } from './templates.js';
import { loadDeliveryView } from './delivery-view.js';
import { createPaperViewCache } from './compose.js';
import { renderDigest } from './render.js';
import type { Metrics } from '../metrics.js';
import { dateToDay } from '../time.js';

export type SendOutcome = 'sent' | 'skipped' | 'not-claimable';

export interface SendResult {
  outcome: SendOutcome;
  /** The digest date of the delivery (for settling its run), when the row exists. */
  date?: string;
}

export interface DeliveryService {
  /** Claim and send. Throws MailError for failures (kind: transient / throttle / permanent / auth). */
  send(deliveryId: string, options?: { finalAttempt?: boolean }): Promise<SendResult>;
  /** Mark deliveries stuck in `sending` for longer than `olderThanMs` as `uncertain`; returns their dates. */
  recoverStale(olderThanMs: number): Promise<{ count: number; dates: string[] }>;
}

/** The digest date a failed send belonged to (attached to the MailError it throws). */
export function digestDateOf(err: unknown): string | undefined {
  return (err as { digestDate?: string } | null)?.digestDate;
}

export interface MailSettings {
  from: string;
  replyTo?: string;
  listId: string;
  unsubscribeMailto?: string;
  postalAddress: string;
  maxHardBounces: number;
}

export function createDeliveryService(deps: {
  prisma: PrismaClient;
  mailer: Mailer;
  templates: TemplateSet;
  links: Links;
  mail: MailSettings;
  logger: Logger;
  metrics?: Pick<Metrics, 'recordSend'>;
  /** Fault injection for tests: runs after the relay accepted, before `sent` is recorded. */
  afterAccepted?: (deliveryId: string) => Promise<void> | void;
}): DeliveryService {
  const { prisma, logger } = deps;
  // One per service: each paper's part of the email is composed and rendered once per process.
  const paperViews = createPaperViewCache();
  const record = (outcome: Parameters<Metrics['recordSend']>[0], started?: number) =>
    deps.metrics?.recordSend(outcome, started === undefined ? undefined : (performance.now() - started) / 1000);

  /** queued → sending, only while the subscriber is active; one row wins however many workers try. */
  async function claim(deliveryId: string): Promise<boolean> {
    const n = await prisma.$executeRaw`
      UPDATE delivery d SET status = 'sending', claimed_at = now(), attempts = d.attempts + 1, updated_at = now()
      FROM subscriber s
      WHERE d.id = ${deliveryId}::uuid AND d.status = 'queued' AND s.id = d.subscriber_id AND s.status = 'active'`;
    return n === 1;
  }

  async function recordSent(deliveryId: string): Promise<void> {
    // The relay accepted the message: from here on it must never be sent again. If this write keeps
    // failing the row stays `sending` and recovery marks it `uncertain`, never `queued`.
    for (let attempt = 0; ; attempt++) {
      try {
        await prisma.$executeRaw`
          UPDATE delivery SET status = 'sent', sent_at = now(), last_error = NULL, updated_at = now()
          WHERE id = ${deliveryId}::uuid AND status IN ('sending', 'uncertain')`;
        return;
      } catch (err) {
        if (attempt >= 4) {
          logger.error({ deliveryId, err: (err as Error).message, alert: true }, 'digest.send.record_failed');
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  async function recordFailure(deliveryId: string, subscriberId: string, err: MailError, finalAttempt: boolean): Promise<void> {
    const lastError = err.message.slice(0, 1000);
    if (err.kind === 'permanent') {
      await prisma.$transaction([
        prisma.delivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { status: 'bounced', lastError } }),
        prisma.subscriber.update({ where: { id: subscriberId }, data: { hardBounces: { increment: 1 } } }),
        prisma.$executeRaw`UPDATE subscriber SET status = 'suspended', updated_at = now()
          WHERE id = ${subscriberId}::uuid AND status = 'active' AND hard_bounces >= ${deps.mail.maxHardBounces}`,
      ]);
      logger.warn({ deliveryId, code: err.responseCode }, 'digest.send.bounced');
      return;
    }
    if (err.kind === 'transient') {
      await prisma.delivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { status: finalAttempt ? 'failed' : 'queued', lastError } });
      logger.warn({ deliveryId, code: err.responseCode, finalAttempt }, finalAttempt ? 'digest.send.failed' : 'digest.send.retry');
      return;
    }
    // throttle / auth: the relay refused us, not the message. Queued again, the attempt not counted.
    await prisma.$executeRaw`
      UPDATE delivery SET status = 'queued', attempts = greatest(attempts - 1, 0), last_error = ${lastError}, updated_at = now()
      WHERE id = ${deliveryId}::uuid AND status = 'sending'`;
    logger.warn({ deliveryId, kind: err.kind, code: err.responseCode }, `digest.send.${err.kind}`);
  }

  return {
    async send(deliveryId, options = {}) {
      const started = performance.now();
      if (!(await claim(deliveryId))) {
        const row = await prisma.delivery.findUnique({ where: { id: deliveryId }, select: { status: true, digestDate: true, subscriber: { select: { status: true } } } });
        if (!row) return { outcome: 'not-claimable' };
        const date = dateToDay(row.digestDate);
        if (row.status === 'queued' && row.subscriber.status !== 'active') {
          const n = await prisma.delivery.updateMany({ where: { id: deliveryId, status: 'queued' }, data: { status: 'skipped', lastError: `subscriber ${row.subscriber.status}` } });
          if (n.count) record('skipped');
          return { outcome: n.count ? 'skipped' : 'not-claimable', date };
        }
        return { outcome: 'not-claimable', date };
      }
      const loaded = await loadDeliveryView(prisma, deliveryId, deps.links, deps.mail.postalAddress, paperViews);
      if (!loaded) return { outcome: 'not-claimable' };
      const { delivery, view } = loaded;
      const date = dateToDay(delivery.digestDate);
      const sub = delivery.subscriber;
      let message;
      try {
        const rendered = renderDigest(deps.templates, view);
        message = buildDigestMessage({
          from: deps.mail.from, replyTo: deps.mail.replyTo, to: sub.email, subject: rendered.subject,
          html: rendered.html, text: rendered.text, messageId: delivery.messageId, listId: deps.mail.listId,
          unsubscribeUrl: deps.links.unsubscribe(sub.id), unsubscribeMailto: deps.mail.unsubscribeMailto,
        });
      } catch (err) {
        // A rendering bug must not leave the row claimed: back to queued, retried like a transient error.
        const mailErr = new MailError(`rendering failed: ${(err as Error).message}`, 'transient', undefined, err);
        await recordFailure(deliveryId, sub.id, mailErr, Boolean(options.finalAttempt));
        record('failed', started);
        throw Object.assign(mailErr, { digestDate: date });
      }

      try {
        await deps.mailer.send(message);
      } catch (raw) {
        const err = classifyMailError(raw);
        await recordFailure(deliveryId, sub.id, err, Boolean(options.finalAttempt));
        record(err.kind === 'transient' && options.finalAttempt ? 'failed' : err.kind, started);
        throw Object.assign(err, { digestDate: date });
      }
      await deps.afterAccepted?.(deliveryId);
      await recordSent(deliveryId);
      record('sent', started);
      logger.debug({ deliveryId }, 'digest.send.sent');
      return { outcome: 'sent', date };
    },

    async recoverStale(olderThanMs) {
      const rows = await prisma.$queryRaw<{ id: string; digest_date: Date }[]>`
        UPDATE delivery SET status = 'uncertain', last_error = 'process stopped during the SMTP transaction: not resent (see docs/delivery.md)', updated_at = now()
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => ${olderThanMs / 1000}::float8)
        RETURNING id, digest_date`;
      const dates = [...new Set(rows.map((r) => dateToDay(r.digest_date)))];
      if (rows.length > 0) logger.error({ count: rows.length, deliveryIds: rows.slice(0, 20).map((r) => r.id), alert: true }, 'digest.send.uncertain');
      return { count: rows.length, dates };
    },
  };
}

export { MailError };
