/** Renders and sends the confirmation and "manage your subscription" messages (run by the mail job). */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { TemplateSet } from '../digest/templates.js';
import type { Links } from '../links.js';
import type { Mailer } from './transport.js';
import { CONFIRM_TTL_SECONDS } from '../subscriptions/subscription-service.js';

export type TransactionalKind = 'confirm' | 'manage';

export interface TransactionalSender {
  send(kind: TransactionalKind, subscriberId: string): Promise<'sent' | 'skipped'>;
}

export function createTransactionalSender(deps: {
  prisma: PrismaClient;
  mailer: Mailer;
  templates: TemplateSet;
  links: Links;
  from: string;
  replyTo?: string;
  postalAddress: string;
  logger: Logger;
}): TransactionalSender {
  return {
    async send(kind, subscriberId) {
      const sub = await deps.prisma.subscriber.findUnique({ where: { id: subscriberId } });
      if (!sub) return 'skipped';
      if (kind === 'confirm' && sub.status !== 'pending') return 'skipped';
      const context = {
        topics: sub.topics,
        confirmUrl: deps.links.confirm(sub.id),
        manageUrl: deps.links.manage(sub.id),
        unsubscribeUrl: deps.links.unsubscribe(sub.id),
        ttlDays: CONFIRM_TTL_SECONDS / 86400,
        postalAddress: deps.postalAddress,
      };
      const name = kind === 'confirm' ? 'confirm' : 'manage';
      await deps.mailer.send({
        from: deps.from,
        ...(deps.replyTo ? { replyTo: deps.replyTo } : {}),
        to: sub.email,
        subject: kind === 'confirm' ? 'Confirm your Paperboy subscription' : 'Manage your Paperboy subscription',
        html: deps.templates.render(`email/${name}.html`, context),
        text: deps.templates.render(`email/${name}.text`, context),
      });
      deps.logger.info({ kind, subscriberId }, 'mail.transactional.sent');
      return 'sent';
    },
  };
}
