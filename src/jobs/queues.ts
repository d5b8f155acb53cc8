/**
 * Queue names, job data and the producers. Job data carries ids and dates only; processors re-read
 * PostgreSQL. Job ids are deterministic (no ':'), so enqueueing the same work twice is a no-op.
 */
import { createHash } from 'node:crypto';
import { Queue, type ConnectionOptions } from 'bullmq';

export const QUEUE = {
  daily: 'daily',
  send: 'send',
  mail: 'mail',
} as const;

export interface DailyJob { date?: string; fetch?: boolean }
/** A batch of deliveries with the same send time (`deliveryId`: one delivery, jobs of earlier versions). */
export interface SendJob { deliveryIds?: string[]; deliveryId?: string }

/** Deliveries per send job (the default of SEND_BATCH_SIZE). */
export const SEND_BATCH_SIZE = 50;
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

/** The deterministic job id of a batch of deliveries (no ':' allowed by BullMQ). */
export function sendJobId(deliveryIds: string[]): string {
  const ids = [...deliveryIds].sort();
  return `send-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32)}`;
}

/** Split deliveries into batches of at most `size` with the same send time (deterministic for the same input). */
export function sendBatches(items: { deliveryId: string; sendAt: Date }[], size = SEND_BATCH_SIZE): { deliveryIds: string[]; sendAt: Date }[] {
  const bySendAt = new Map<number, string[]>();
  for (const it of items) {
    const at = it.sendAt.getTime();
    let ids = bySendAt.get(at);
    if (!ids) bySendAt.set(at, (ids = []));
    ids.push(it.deliveryId);
  }
  const out: { deliveryIds: string[]; sendAt: Date }[] = [];
  for (const [at, ids] of [...bySendAt].sort((a, b) => a[0] - b[0])) {
    ids.sort();
    for (let i = 0; i < ids.length; i += Math.max(1, size)) out.push({ deliveryIds: ids.slice(i, i + Math.max(1, size)), sendAt: new Date(at) });
  }
  return out;
}

/**
 * Enqueue sends in batches, each delayed until its `sendAt`. Re-adding a waiting or delayed job id
 * is a no-op, so this may be called for every queued delivery of a date as often as needed
 * (re-trigger, Redis wipe, maintenance). A job of the same id that already ended (failed after its
 * attempts, e.g. while the database was down; or completed while rows were later set back to
 * `queued` by an operator) is removed first, so its queued rows are sent again: the claim in
 * PostgreSQL, not the job, guarantees nobody gets two.
 */
export async function scheduleSends(queues: Queues, items: { deliveryId: string; sendAt: Date }[], options: { batchSize?: number; now?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const batches = sendBatches(items, options.batchSize);
  for (let i = 0; i < batches.length; i += 200) {
    const chunk = batches.slice(i, i + 200).map((b) => ({ ...b, jobId: sendJobId(b.deliveryIds) }));
    const states = await Promise.all(chunk.map((b) => queues.send.getJobState(b.jobId)));
    await Promise.all(chunk.filter((_, k) => states[k] === 'failed' || states[k] === 'completed').map((b) => queues.send.remove(b.jobId)));
    await queues.send.addBulk(chunk.map((b) => ({
      name: 'send',
      data: { deliveryIds: b.deliveryIds },
      opts: { jobId: b.jobId, delay: Math.max(0, b.sendAt.getTime() - now) },
    })));
  }
  return batches.length;
}
