/**
 * Worker processes: thin processors that parse job data, call one service and map the outcome to
 * BullMQ (permanent failure → UnrecoverableError; transient → rethrow so BullMQ backs off and retries).
 */
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../logger.js';
import type { DigestRunService } from '../digest/digest-run-service.js';
import type { DeliveryService } from '../digest/delivery-service.js';
import type { TransactionalSender } from '../mail/transactional-mail.js';
import { MailError } from '../mail/transport.js';
import { dayInZone } from '../time.js';
import { QUEUE, SEND_ATTEMPTS, type DailyJob, type MailJob, type Queues, type SendJob } from './queues.js';

/** Deliveries left in `sending` longer than this are orphans of a dead process. */
export const ORPHAN_AFTER_MS = 10 * 60_000;

export interface WorkerDeps {
  connection: ConnectionOptions;
  prefix: string;
  queues: Queues;
  digestRuns: DigestRunService;
  deliveries: DeliveryService;
  transactional: TransactionalSender;
  logger: Logger;
  concurrency: number;
  ratePerSecond: number;
  digestTimeZone: string;
  /** Deletes signups never confirmed in time (maintenance job); returns how many. */
  purgePendingSignups?: () => Promise<number>;
}

export interface Workers {
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps): Workers {
  const { logger } = deps;
  const base = { connection: deps.connection, prefix: deps.prefix };

  const daily = new Worker<DailyJob>(QUEUE.daily, async (job: Job<DailyJob>) => {
    if (job.name === 'maintenance') {
      await deps.deliveries.recoverStale(ORPHAN_AFTER_MS);
      const purged = await deps.purgePendingSignups?.();
      if (purged) logger.info({ purged }, 'subscriptions.pending.purged');
      return;
    }
    // The digest date is the scheduled fire time's calendar day in DIGEST_TZ (a late start still
    // runs the scheduled date, once).
    const firedAt = new Date(job.timestamp + (job.opts.delay ?? 0));
    const date = job.data.date ?? dayInZone(firedAt, deps.digestTimeZone);
    const report = await deps.digestRuns.run(date, { fetch: job.data.fetch });
    return report;
  }, { ...base, concurrency: 1 });

  const send = new Worker<SendJob>(QUEUE.send, async (job: Job<SendJob>) => {
    try {
      return await deps.deliveries.send(job.data.deliveryId, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? SEND_ATTEMPTS) });
    } catch (err) {
      if (err instanceof MailError && err.kind === 'permanent') throw new UnrecoverableError(err.message);
      if (err instanceof MailError && err.kind === 'auth') {
        // Credentials are wrong for everyone: stop sending until an operator resumes the queue.
        await deps.queues.send.pause();
        logger.fatal({ err: err.message }, 'digest.send.auth_failed.queue_paused');
      }
      throw err;
    }
  }, {
    ...base,
    concurrency: deps.concurrency,
    ...(deps.ratePerSecond > 0 ? { limiter: { max: deps.ratePerSecond, duration: 1000 } } : {}),
  });

  const mail = new Worker<MailJob>(QUEUE.mail, async (job: Job<MailJob>) => {
    try {
      return await deps.transactional.send(job.data.kind, job.data.subscriberId);
    } catch (err) {
      if (err instanceof MailError && err.kind === 'permanent') throw new UnrecoverableError(err.message);
      throw err;
    }
  }, { ...base, concurrency: 5 });

  for (const w of [daily, send, mail]) {
    w.on('failed', (job, err) => logger.warn({ queue: w.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: err.message }, 'job.failed'));
    w.on('stalled', (jobId) => logger.warn({ queue: w.name, jobId }, 'job.stalled'));
    w.on('error', (err) => logger.error({ queue: w.name, err: err.message }, 'worker.error'));
  }

  return {
    async close() {
      await Promise.all([daily.close(), send.close(), mail.close()]);
    },
  };
}
