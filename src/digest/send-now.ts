/**
 * Sends every queued delivery of a date from this process (used by `paperboy digest` and the demo):
 * the same batch path as the send worker (views loaded per batch, each row claimed right before its
 * SMTP transaction, claims and `sent` writes grouped), so a worker running at the same time cannot
 * send any of them twice. Transient failures are retried here with backoff (the rows went back to
 * `queued`; each round sends what is still queued); throttling waits without using an attempt; an
 * authentication failure stops everything and pauses the run.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { DeliveryService } from './delivery-service.js';
import type { RunLedger } from './run-ledger.js';
import { createSendGate } from './send-gate.js';
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
  /** Messages in flight at once (WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Deliveries per batch (SEND_BATCH_SIZE). */
  batchSize?: number;
  /** Messages per second from this process (0 = unlimited). */
  ratePerSecond?: number;
  attempts?: number;
  backoffMs?: number;
  throttlePauseMs?: number;
  ledger?: RunLedger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How many throttled rounds are waited out before one counts as a failed attempt. */
const MAX_THROTTLED_ROUNDS = 10;

export async function sendQueuedNow(prisma: PrismaClient, deliveries: DeliveryService, date: string, options: SendNowOptions = {}): Promise<SendTally> {
  const { concurrency = 4, batchSize = 50, ratePerSecond = 0, attempts = 3, backoffMs = 1000, throttlePauseMs = 5000 } = options;
  const tally: SendTally = { sent: 0, skipped: 0, failed: 0, bounced: 0 };
  const gate = createSendGate(concurrency, ratePerSecond);
  for (let attempt = 1, throttledRounds = 0; attempt <= attempts && !tally.paused; ) {
    const queued = await prisma.delivery.findMany({ where: { digestDate: dayToDate(date), status: 'queued' }, select: { id: true }, orderBy: { id: 'asc' } });
    if (queued.length === 0) break;
    const batches: string[][] = [];
    for (let i = 0; i < queued.length; i += batchSize) batches.push(queued.slice(i, i + batchSize).map((d) => d.id));
    const finalAttempt = attempt >= attempts;
    let retry = false;
    let throttled = false;
    let next = 0;
    // Two batches at a time: the next one's views load while the previous one drains.
    const lane = async (): Promise<void> => {
      while (next < batches.length && !tally.paused && !throttled) {
        const result = await deliveries.sendBatch(batches[next++], { gate, finalAttempt });
        tally.sent += result.sent.length;
        tally.skipped += result.skipped;
        for (const { error } of result.failures) {
          if (error.kind === 'permanent') tally.bounced++;
          else if (error.kind === 'transient') {
            if (finalAttempt) tally.failed++;
            else retry = true;
          }
        }
        if (result.stoppedBy && result.stoppedBy !== 'breaker') {
          if (result.stoppedBy.kind === 'auth') {
            tally.paused ??= result.stoppedBy.message;
            await options.ledger?.pause(date, `SMTP authentication failed: ${result.stoppedBy.message}`);
          } else if (result.stoppedBy.kind === 'throttle') throttled = true;
        }
      }
    };
    await Promise.all([lane(), lane()]);
    if (tally.paused) break;
    if (throttled && throttledRounds++ < MAX_THROTTLED_ROUNDS) {
      await sleep(throttlePauseMs);
      continue;
    }
    if (!retry && !throttled) break;
    await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
    attempt++;
  }
  await options.ledger?.settle(date);
  return tally;
}
