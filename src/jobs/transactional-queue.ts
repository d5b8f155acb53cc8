/** TransactionalMail backed by the `mail` queue: signup never sends inline, the worker does. */
import type { TransactionalMail } from '../subscriptions/subscription-service.js';
import type { Queues } from './queues.js';

export function createQueuedTransactionalMail(queues: Pick<Queues, 'mail'>, now: () => number = Date.now): TransactionalMail {
  return {
    async enqueueConfirmation(subscriberId) {
      // The service already throttles confirmations per subscriber (confirm_sent_at claim).
      await queues.mail.add('confirm', { kind: 'confirm', subscriberId }, { jobId: `confirm-${subscriberId}-${now()}` });
    },
    async enqueueManageLink(subscriberId) {
      // One "manage" mail per subscriber per 10 minutes at most (the job id dedupes).
      await queues.mail.add('manage', { kind: 'manage', subscriberId }, { jobId: `manage-${subscriberId}-${Math.floor(now() / 600_000)}` });
    },
  };
}
