/**
 * Worker processes: thin processors that parse job data, call one service and map the outcome to
 * BullMQ. Send outcomes (docs/delivery.md):
 *   permanent (5xx)        → UnrecoverableError: no retry
 *   transient (4xx, I/O)   → rethrow: BullMQ retries with exponential backoff + jitter
 *   throttle (421/454)     → queue-wide rate limit for SEND_THROTTLE_PAUSE_MS; the job goes back to
 *                            waiting without using an attempt (every process stops sending)
 *   auth (535)             → send queue paused + run paused + alert; the job goes back to waiting
 *   error-rate breaker     → same pause when too many recent sends failed
 */
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import type { DigestRunService } from '../digest/digest-run-service.js';
import type { DeliveryService } from '../digest/delivery-service.js';
import { createSendGate } from '../digest/send-gate.js';
import type { RunLedger } from '../digest/run-ledger.js';
import type { TransactionalSender } from '../mail/transactional-mail.js';
import type { Metrics } from '../metrics.js';
import { MailError } from '../mail/transport.js';
import { dayInZone } from '../time.js';
import { QUEUE, SEND_BATCH_SIZE, type DailyJob, type MailJob, type Queues, type SendJob } from './queues.js';

export interface WorkerDeps {
  connection: ConnectionOptions;
  prefix: string;
  queues: Queues;
  digestRuns: DigestRunService;
  deliveries: DeliveryService;
  ledger: RunLedger;
  transactional: TransactionalSender;
  logger: Logger;
  metrics?: Metrics;
  concurrency: number;
  /** Messages per second across all processes (0 = unlimited). */
  ratePerSecond: number;
  digestTimeZone: string;
  sendAttempts: number;
  throttlePauseMs: number;
  orphanAfterMs: number;
  /** Pause when more than this % of the last 100 sends failed (0 = off). */
  errorBreakerPercent: number;
  /** Deliveries per send job (SEND_BATCH_SIZE); must match the scheduler's batch size for the rate limit. */
  sendBatchSize?: number;
  /** Delay before a run's tally is recounted after sends (batches many sends into one count). */
  settleDelayMs?: number;
  /** BullMQ lock duration / stalled-check interval of the send worker (defaults 30 s / 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Deletes signups never confirmed in time (maintenance job); returns how many. */
  purgePendingSignups?: () => Promise<number>;
  /** Which workers this process runs (default all). */
  only?: ('daily' | 'send' | 'mail')[];
}

export interface Workers {
  close(): Promise<void>;
}

/** Sliding window of the last `size` send outcomes of this process. */
export function createErrorBreaker(percent: number, size = 100, minSamples = 20) {
  const window: boolean[] = [];
  let failures = 0;
  return {
    /** Record one outcome; true when the failure share crossed the threshold. */
    record(failed: boolean): boolean {
      window.push(failed);
      if (failed) failures++;
      if (window.length > size && window.shift()) failures--;
      return percent > 0 && window.length >= minSamples && (failures * 100) / window.length > percent;
    },
    reset() {
      window.length = 0;
      failures = 0;
    },
  };
}

export function startWorkers(deps: WorkerDeps): Workers {
  const { logger, ledger } = deps;
  const base = { connection: deps.connection, prefix: deps.prefix };
  const roles = new Set(deps.only ?? ['daily', 'send', 'mail']);
  const settleDelay = deps.settleDelayMs ?? 1000;
  const pending = new Map<string, NodeJS.Timeout>();
  const breaker = createErrorBreaker(deps.errorBreakerPercent);
  const workers: Worker[] = [];

  const settle = (date: string) => ledger.settle(date).catch((err) => logger.error({ date, err: (err as Error).message }, 'digest.run.settle_failed'));
  /** Recount a run's deliveries shortly after its sends (one count per date per settleDelay). */
  const settleSoon = (date: string): void => {
    if (pending.has(date)) return;
    pending.set(date, setTimeout(() => {
      pending.delete(date);
      void settle(date);
    }, settleDelay));
  };

  async function pauseSending(reason: string, date: string | undefined): Promise<void> {
    await deps.queues.send.pause();
    if (date) await ledger.pause(date, reason);
    for (const d of await ledger.openDates()) await ledger.pause(d, reason);
    logger.fatal({ reason, alert: true }, 'digest.send.queue_paused');
  }

  if (roles.has('daily')) {
    workers.push(new Worker<DailyJob>(QUEUE.daily, async (job: Job<DailyJob>) => {
      if (job.name === 'maintenance') {
        // Orphans of dead processes become `uncertain`; runs still open get their unsent deliveries
        // re-enqueued (a no-op unless Redis lost them) and their tally recounted.
        const { dates } = await deps.deliveries.recoverStale(deps.orphanAfterMs);
        const open = new Set([...dates, ...(await ledger.openDates())]);
        for (const date of open) {
          await deps.digestRuns.scheduleQueued(date);
          await settle(date);
        }
        const purged = await deps.purgePendingSignups?.();
        if (purged) logger.info({ purged }, 'subscriptions.pending.purged');
        return { recovered: dates.length, open: open.size, purged: purged ?? 0 };
      }
      // The digest date is the scheduled fire time's calendar day in DIGEST_TZ (a late start still
      // runs the scheduled date, once).
      const firedAt = new Date(job.timestamp + (job.opts.delay ?? 0));
      const date = job.data.date ?? dayInZone(firedAt, deps.digestTimeZone);
      const report = await deps.digestRuns.run(date, { fetch: job.data.fetch });
      deps.metrics?.recordRun('compose', report.composeMs / 1000);
      const { ingest: _ingest, ...summary } = report;
      return summary;
    }, { ...base, concurrency: 1 }));
  }

  if (roles.has('send')) {
    // WORKER_CONCURRENCY is the number of messages a process has in flight (claimed → recorded);
    // batch jobs share these slots, and two or more are active so the next batch is loaded while
    // the previous one drains.
    const batchSize = Math.max(1, deps.sendBatchSize ?? SEND_BATCH_SIZE);
    const gate = createSendGate(deps.concurrency, deps.ratePerSecond);
    const send: Worker<SendJob> = new Worker<SendJob>(QUEUE.send, async (job: Job<SendJob>) => {
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? deps.sendAttempts);
      const ids = job.data.deliveryIds ?? (job.data.deliveryId ? [job.data.deliveryId] : []);
      let result;
      try {
        result = await deps.deliveries.sendBatch(ids, { finalAttempt, gate, onOutcome: (failed) => breaker.record(failed) });
      } catch (err) {
        for (const date of (err as { digestDates?: string[] }).digestDates ?? []) settleSoon(date);
        throw err;
      }
      for (const date of result.dates) settleSoon(date);
      const date = result.dates[0];
      const stop = result.stoppedBy;
      if (stop instanceof MailError && stop.kind === 'throttle') {
        // The relay asks everyone to slow down: stop every process for a while, keep the attempt.
        await deps.queues.send.rateLimit(deps.throttlePauseMs);
        logger.warn({ code: stop.responseCode, pauseMs: deps.throttlePauseMs }, 'digest.send.throttled');
        throw Worker.RateLimitError();
      }
      if (stop instanceof MailError && stop.kind === 'auth') {
        // Credentials are wrong for everyone: pause instead of marking anyone bounced.
        await pauseSending(`SMTP authentication failed: ${stop.message}`, date);
        throw Worker.RateLimitError();
      }
      if (stop === 'breaker') {
        breaker.reset();
        await pauseSending('error-rate breaker: too many recent sends failed', date);
        throw Worker.RateLimitError();
      }
      const transient = result.failures.filter((f) => f.error.kind === 'transient');
      // Bounces are final; transient failures are back in `queued` (or `failed` on the last try):
      // the job is retried with backoff and claims only what is still queued.
      if (transient.length > 0) throw transient[0].error;
      return { sent: result.sent.length, skipped: result.skipped, bounced: result.failures.length - transient.length };
    }, {
      ...base,
      concurrency: Math.max(2, Math.ceil(deps.concurrency / batchSize) + 1),
      ...(deps.lockDurationMs ? { lockDuration: deps.lockDurationMs } : {}),
      ...(deps.stalledIntervalMs ? { stalledInterval: deps.stalledIntervalMs } : {}),
      // A limiter is always configured: BullMQ's queue-wide manual rate limit (throttling) needs one.
      // It counts jobs: with a rate, one batch per batchSize / rate seconds across all processes.
      limiter: deps.ratePerSecond > 0
        ? { max: 1, duration: Math.ceil((1000 * batchSize) / deps.ratePerSecond) }
        : { max: 1_000_000, duration: 1000 },
    });
    workers.push(send);
  }

  if (roles.has('mail')) {
    workers.push(new Worker<MailJob>(QUEUE.mail, async (job: Job<MailJob>) => {
      try {
        return await deps.transactional.send(job.data.kind, job.data.subscriberId);
      } catch (err) {
        if (err instanceof MailError && err.kind === 'permanent') throw new UnrecoverableError(err.message);
        throw err;
      }
    }, { ...base, concurrency: 5 }));
  }

  for (const w of workers) {
    w.on('failed', (job, err) => logger.warn({ queue: w.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job.failed'));
    w.on('stalled', (jobId) => logger.warn({ queue: w.name, jobId }, 'job.stalled'));
    w.on('error', (err) => logger.error({ queue: w.name, err: err.message }, 'worker.error'));
  }

  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      const dates = [...pending.keys()];
      for (const t of pending.values()) clearTimeout(t);
      pending.clear();
      await Promise.all(dates.map(settle));
    },
  };
}
