/**
 * Sends one delivery exactly once. States (see docs/delivery.md):
 *   queued → sending (claimed in PostgreSQL before the SMTP transaction) → sent
 *                                                                        → queued again (transient failure, retried)
 *                                                                        → failed (transient failures exhausted)
 *                                                                        → bounced (permanent 5xx)
 *   sending left behind by a crash → uncertain (never resent blindly; see recoverStale)
 *   queued but subscriber no longer active at claim time → skipped
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

export type SendOutcome = 'sent' | 'skipped' | 'not-claimable';

export interface DeliveryService {
  /** Claim and send. Throws MailError for failures (kind tells transient / permanent / auth). */
  send(deliveryId: string, options?: { finalAttempt?: boolean }): Promise<SendOutcome>;
  /** Mark deliveries stuck in `sending` for longer than `olderThanMs` as `uncertain`. */
  recoverStale(olderThanMs: number): Promise<number>;
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
}): DeliveryService {
  const { prisma, logger } = deps;
  // One per service: each paper's part of the email is composed and rendered once per process.
  const paperViews = createPaperViewCache();

  async function claim(deliveryId: string): Promise<boolean> {
    const n = await prisma.$executeRaw`
      UPDATE delivery SET status = 'sending', claimed_at = now(), attempts = attempts + 1, updated_at = now()
      WHERE id = ${deliveryId}::uuid AND status = 'queued'`;
    return n === 1;
  }

  return {
    async send(deliveryId, options = {}) {
      const loaded = await loadDeliveryView(prisma, deliveryId, deps.links, deps.mail.postalAddress, paperViews);
      if (!loaded || loaded.delivery.status !== 'queued') return 'not-claimable';
      const { delivery, view } = loaded;
      const sub = delivery.subscriber;
      if (sub.status !== 'active') {
        await prisma.delivery.updateMany({ where: { id: deliveryId, status: 'queued' }, data: { status: 'skipped', lastError: `subscriber ${sub.status}` } });
        return 'skipped';
      }
      if (!(await claim(deliveryId))) return 'not-claimable';

      const rendered = renderDigest(deps.templates, view);
      const message = buildDigestMessage({
        from: deps.mail.from, replyTo: deps.mail.replyTo, to: sub.email, subject: rendered.subject,
        html: rendered.html, text: rendered.text, messageId: delivery.messageId, listId: deps.mail.listId,
        unsubscribeUrl: deps.links.unsubscribe(sub.id), unsubscribeMailto: deps.mail.unsubscribeMailto,
      });

      try {
        await deps.mailer.send(message);
      } catch (raw) {
        const err = classifyMailError(raw);
        if (err.kind === 'permanent') {
          await prisma.$transaction([
            prisma.delivery.update({ where: { id: deliveryId }, data: { status: 'bounced', lastError: err.message.slice(0, 1000) } }),
            prisma.subscriber.update({ where: { id: sub.id }, data: { hardBounces: { increment: 1 } } }),
          ]);
          await prisma.subscriber.updateMany({
            where: { id: sub.id, hardBounces: { gte: deps.mail.maxHardBounces }, status: 'active' },
            data: { status: 'suspended' },
          });
          logger.warn({ deliveryId, code: err.responseCode }, 'digest.send.bounced');
        } else {
          // Transient or auth: nothing was accepted, so the delivery may be tried again.
          await prisma.delivery.update({
            where: { id: deliveryId },
            data: { status: options.finalAttempt && err.kind === 'transient' ? 'failed' : 'queued', lastError: err.message.slice(0, 1000) },
          });
          logger.warn({ deliveryId, kind: err.kind, code: err.responseCode }, 'digest.send.failed');
        }
        throw err;
      }
      // The relay accepted the message: from here on it must never be sent again. If this write
      // fails the row stays `sending` and recovery marks it `uncertain`, never `queued`.
      for (let attempt = 0; ; attempt++) {
        try {
          await prisma.delivery.update({ where: { id: deliveryId }, data: { status: 'sent', sentAt: new Date(), lastError: null } });
          break;
        } catch (err) {
          if (attempt >= 4) {
            logger.error({ deliveryId, err }, 'digest.send.record_failed');
            return 'sent';
          }
          await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
        }
      }
      logger.info({ deliveryId }, 'digest.send.sent');
      return 'sent';
    },

    async recoverStale(olderThanMs) {
      const n = await prisma.$executeRaw`
        UPDATE delivery SET status = 'uncertain', last_error = 'process stopped during the SMTP transaction', updated_at = now()
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => ${olderThanMs / 1000})`;
      if (n > 0) logger.error({ count: n }, 'digest.send.uncertain');
      return n;
    },
  };
}

export { MailError };
