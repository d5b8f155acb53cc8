/**
 * Sends every queued delivery of a date from this process (used by `paperboy digest` and the demo):
 * the same claim-then-send path as the send worker, so a worker running at the same time cannot
 * send any of them twice.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { DeliveryService } from './delivery-service.js';
import { MailError } from '../mail/transport.js';
import { dayToDate } from '../time.js';

export interface SendTally {
  sent: number;
  skipped: number;
  failed: number;
  bounced: number;
}

export async function sendQueuedNow(prisma: PrismaClient, deliveries: DeliveryService, date: string, concurrency = 4): Promise<SendTally> {
  const tally: SendTally = { sent: 0, skipped: 0, failed: 0, bounced: 0 };
  const queued = await prisma.delivery.findMany({ where: { digestDate: dayToDate(date), status: 'queued' }, select: { id: true }, orderBy: { id: 'asc' } });
  let next = 0;
  const worker = async () => {
    while (next < queued.length) {
      const { id } = queued[next++];
      try {
        const outcome = await deliveries.send(id, { finalAttempt: true });
        if (outcome === 'sent') tally.sent++;
        else tally.skipped++;
      } catch (err) {
        if (err instanceof MailError && err.kind === 'permanent') tally.bounced++;
        else tally.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queued.length) }, worker));
  return tally;
}
