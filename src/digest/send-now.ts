/**
 * Sends every queued delivery of a date from this process (used by `paperboy digest` and the demo):
 * the same claim-then-send path as the send worker, so a worker running at the same time cannot
 * send any of them twice. Transient failures are retried here with backoff; throttling waits;
 * an authentication failure stops everything and pauses the run.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { DeliveryService } from './delivery-service.js';
import type { RunLedger } from './run-ledger.js';
import { MailError } from '../mail/transport.js';
import { dayToDate } from '../time.js';

export interface SendTally {
  sent: number;
  skipped: number;
  failed: number;
  bounced: number;
  /** Set when sending stopped because the relay refused our credentials. */
  paused?: string;
}

export interface SendNowOptions {
  concurrency?: number;
  attempts?: number;
  backoffMs?: number;
  throttlePauseMs?: number;
  ledger?: RunLedger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendQueuedNow(prisma: PrismaClient, deliveries: DeliveryService, date: string, options: SendNowOptions = {}): Promise<SendTally> {
  const { concurrency = 4, attempts = 3, backoffMs = 1000, throttlePauseMs = 5000 } = options;
  const tally: SendTally = { sent: 0, skipped: 0, failed: 0, bounced: 0 };
  const queued = await prisma.delivery.findMany({ where: { digestDate: dayToDate(date), status: 'queued' }, select: { id: true }, orderBy: { id: 'asc' } });
  let next = 0;
  const sendOne = async (id: string): Promise<void> => {
    for (let attempt = 1, throttled = 0; ; ) {
      if (tally.paused) return;
      try {
        const { outcome } = await deliveries.send(id, { finalAttempt: attempt >= attempts });
        if (outcome === 'sent') tally.sent++;
        else if (outcome === 'skipped') tally.skipped++;
        return;
      } catch (err) {
        if (!(err instanceof MailError)) throw err;
        if (err.kind === 'permanent') return void tally.bounced++;
        if (err.kind === 'auth') {
          tally.paused = err.message;
          await options.ledger?.pause(date, `SMTP authentication failed: ${err.message}`);
          return;
        }
        if (err.kind === 'throttle' && throttled++ < 10) {
          await sleep(throttlePauseMs);
          continue;
        }
        if (attempt >= attempts) return void tally.failed++;
        await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
        attempt++;
      }
    }
  };
  const worker = async () => {
    while (next < queued.length && !tally.paused) await sendOne(queued[next++].id);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queued.length) }, worker));
  await options.ledger?.settle(date);
  return tally;
}
