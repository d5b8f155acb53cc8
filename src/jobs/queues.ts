/**
 * Queue names, job data and the producers. Job data carries ids and dates only; processors re-read
 * PostgreSQL. Job ids are deterministic (no ':'), so enqueueing the same work twice is a no-op.
 */
import { Queue, type ConnectionOptions } from 'bullmq';

export const QUEUE = {
  daily: 'daily',
  send: 'send',
  mail: 'mail',
} as const;

export interface DailyJob { date?: string; fetch?: boolean }
export interface SendJob { deliveryId: string }
export interface MailJob { kind: 'confirm' | 'manage'; subscriberId: string }

export const SEND_ATTEMPTS = 8;

export interface SendQueueOptions {
  /** Tries after transient failures (SEND_ATTEMPTS). */
  attempts?: number;
  /** First backoff delay in ms (SEND_BACKOFF_MS); doubles per retry, ±50 % jitter. */
  backoffMs?: number;
}
export const DAILY_SCHEDULER_ID = 'daily-digest';
export const MAINTENANCE_SCHEDULER_ID = 'maintenance';

export interface Queues {
  daily: Queue<DailyJob>;
  send: Queue<SendJob>;
  mail: Queue<MailJob>;
  close(): Promise<void>;
}

export function createQueues(connection: ConnectionOptions, prefix: string, sendOptions: SendQueueOptions = {}): Queues {
  const opts = { connection, prefix };
  const daily = new Queue<DailyJob>(QUEUE.daily, {
    ...opts,
    defaultJobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  const send = new Queue<SendJob>(QUEUE.send, {
    ...opts,
    defaultJobOptions: {
      attempts: sendOptions.attempts ?? SEND_ATTEMPTS,
      backoff: { type: 'exponential', delay: sendOptions.backoffMs ?? 30_000, jitter: 0.5 },
      removeOnComplete: { age: 2 * 86400, count: 100_000 },
      removeOnFail: { age: 7 * 86400 },
    },
  });
  const mail = new Queue<MailJob>(QUEUE.mail, {
    ...opts,
    defaultJobOptions: { attempts: 6, backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 }, removeOnComplete: { count: 1000 }, removeOnFail: { age: 7 * 86400 } },
  });
  return {
    daily, send, mail,
    async close() {
      await Promise.all([daily.close(), send.close(), mail.close()]);
    },
  };
}

/** Upsert the daily schedule (idempotent: every process may call it at boot; the last pattern wins). */
export async function upsertSchedules(queues: Queues, cron: string, tz: string): Promise<void> {
  await queues.daily.upsertJobScheduler(DAILY_SCHEDULER_ID, { pattern: cron, tz }, { name: 'daily-run', data: {} });
  await queues.daily.upsertJobScheduler(MAINTENANCE_SCHEDULER_ID, { every: 5 * 60_000 }, { name: 'maintenance', data: {} });
}

/** The deterministic job id of a delivery's send (no ':' allowed by BullMQ). */
export function sendJobId(deliveryId: string): string {
  return `send-${deliveryId}`;
}

/**
 * Enqueue sends, each delayed until its `sendAt`. Re-adding an existing job id is a no-op, so this
 * may be called for every queued delivery of a date as often as needed (re-trigger, Redis wipe).
 */
export async function scheduleSends(queues: Queues, items: { deliveryId: string; sendAt: Date }[], now = Date.now()): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    await queues.send.addBulk(items.slice(i, i + 500).map((it) => ({
      name: 'send',
      data: { deliveryId: it.deliveryId },
      opts: { jobId: sendJobId(it.deliveryId), delay: Math.max(0, it.sendAt.getTime() - now) },
    })));
  }
}
