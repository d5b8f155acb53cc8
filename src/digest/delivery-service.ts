/**
 * Sends one delivery exactly once. States (docs/delivery.md):
 *   queued → sending (claimed in PostgreSQL before the SMTP transaction) → sent
 *     transient failure (4xx, connection, timeout)  → queued again, retried with backoff; failed on the last attempt
 *     throttling (421/454) or auth refused (535)     → queued again, the attempt not counted
 *     permanent failure (5xx)                        → bounced (+ hard bounce; suspended at MAX_HARD_BOUNCES)
 *   sending left behind by a dead process            → uncertain (never resent automatically; see recoverStale)
 *   queued, but the subscriber is no longer active    → skipped
 * Sends go in batches (one send job per batch of deliveries with the same send time): the batch's
 * views are loaded with a few queries, each row is still claimed just before its own SMTP
 * transaction, and the claims and `sent` writes of concurrent sends are grouped into one statement.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Logger } from '../logger.js';
import type { Links } from '../links.js';
import type { Mailer } from '../mail/transport.js';
import { MailError, classifyMailError } from '../mail/transport.js';
import { buildDigestMessage } from '../mail/message.js';
import type { TemplateSet } from './templates.js';
import { loadDeliveryViews } from './delivery-view.js';
import { createCoalescer, type SendGate } from './send-gate.js';
import { createPaperViewCache } from './compose.js';
import { renderDigest } from './render.js';
import type { Metrics } from '../metrics.js';
import { dateToDay } from '../time.js';

export type SendOutcome = 'sent' | 'skipped' | 'not-claimable';

export interface SendResult {
  outcome: SendOutcome;
  /** The digest date of the delivery (for settling its run), when the row exists. */
  date?: string;
}

export interface BatchResult {
  /** Digest dates of the deliveries this batch changed (for settling their runs). */
  dates: string[];
  sent: string[];
  skipped: number;
  /** Per-row failures (already recorded: bounced, queued again, or failed on the final attempt). */
  failures: { deliveryId: string; error: MailError }[];
  /** Set when the batch stopped early: throttling, refused credentials, or `onOutcome` asked to stop. */
  stoppedBy?: MailError | 'breaker';
}

export interface BatchOptions {
  /** The job's last try: transient failures become `failed` instead of `queued`. */
  finalAttempt?: boolean;
  /** Process-wide send slots and pacing (the worker's); without one every row is sent at once. */
  gate?: SendGate;
  /** Called after each send; return true to stop the batch (error-rate breaker). */
  onOutcome?: (failed: boolean) => boolean;
}

export interface DeliveryService {
  /** Claim and send one delivery. Throws MailError for failures (kind: transient / throttle / permanent / auth). */
  send(deliveryId: string, options?: { finalAttempt?: boolean }): Promise<SendResult>;
  /**
   * Send a batch: views loaded together, each row claimed right before its SMTP transaction (claims
   * and `sent` writes of concurrent sends are grouped into one statement each). Throws only for
   * unexpected errors (database down), after the rows in flight have finished.
   */
  sendBatch(deliveryIds: string[], options?: BatchOptions): Promise<BatchResult>;
  /** Mark deliveries stuck in `sending` for longer than `olderThanMs` as `uncertain`; returns their dates. */
  recoverStale(olderThanMs: number): Promise<{ count: number; dates: string[] }>;
}

/** The digest date a failed send belonged to (attached to the MailError it throws). */
export function digestDateOf(err: unknown): string | undefined {
  return (err as { digestDate?: string } | null)?.digestDate;
}

export interface MailSettings {
  from: string;
  replyTo?: string;
  listId: string;
  unsubscribeMailto?: string;
  postalAddress: string;
  maxHardBounces: number;
}

type ClaimResult = { claimed: true; date: string } | { claimed: false; skipped?: string };

export function createDeliveryService(deps: {
  prisma: PrismaClient;
  mailer: Mailer;
  templates: TemplateSet;
  links: Links;
  mail: MailSettings;
  logger: Logger;
  metrics?: Pick<Metrics, 'recordSend'>;
  /** Fault injection for tests: runs after the relay accepted, before `sent` is recorded. */
  afterAccepted?: (deliveryId: string) => Promise<void> | void;
}): DeliveryService {
  const { prisma, logger } = deps;
  // One per service: each paper's part of the email is composed and rendered once per process.
  const paperViews = createPaperViewCache();
  const record = (outcome: Parameters<Metrics['recordSend']>[0], started?: number) =>
    deps.metrics?.recordSend(outcome, started === undefined ? undefined : (performance.now() - started) / 1000);

  /**
   * queued → sending, only while the subscriber is active; one row wins however many workers try.
   * Rows still queued whose subscriber is no longer active become `skipped` in the same flush.
   */
  const claim = createCoalescer<ClaimResult>(async (ids) => {
    const claimed = await prisma.$queryRaw<{ id: string; digest_date: Date }[]>`
      UPDATE delivery d SET status = 'sending', claimed_at = now(), attempts = d.attempts + 1, updated_at = now()
      FROM subscriber s
      WHERE d.id = ANY(${ids}::uuid[]) AND d.status = 'queued' AND s.id = d.subscriber_id AND s.status = 'active'
      RETURNING d.id, d.digest_date`;
    const out = new Map<string, ClaimResult>(claimed.map((r) => [r.id, { claimed: true, date: dateToDay(r.digest_date) }]));
    const rest = ids.filter((id) => !out.has(id));
    if (rest.length > 0) {
      const skipped = await prisma.$queryRaw<{ id: string; digest_date: Date }[]>`
        UPDATE delivery d SET status = 'skipped', last_error = 'subscriber ' || s.status::text, updated_at = now()
        FROM subscriber s
        WHERE d.id = ANY(${rest}::uuid[]) AND d.status = 'queued' AND s.id = d.subscriber_id AND s.status <> 'active'
        RETURNING d.id, d.digest_date`;
      for (const r of skipped) out.set(r.id, { claimed: false, skipped: dateToDay(r.digest_date) });
    }
    return out;
  });

  /**
   * The relay accepted: from here on the row must never be sent again. If this write keeps failing
   * the rows stay `sending` and recovery marks them `uncertain`, never `queued`.
   */
  const recordSent = createCoalescer<true>(async (ids) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await prisma.$executeRaw`
          UPDATE delivery SET status = 'sent', sent_at = now(), last_error = NULL, updated_at = now()
          WHERE id = ANY(${ids}::uuid[]) AND status IN ('sending', 'uncertain')`;
        return new Map(ids.map((id) => [id, true as const]));
      } catch (err) {
        if (attempt >= 4) {
          logger.error({ deliveryIds: ids.slice(0, 20), count: ids.length, err: (err as Error).message, alert: true }, 'digest.send.record_failed');
          return new Map();
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  });

  async function recordFailure(deliveryId: string, subscriberId: string, err: MailError, finalAttempt: boolean): Promise<void> {
    const lastError = err.message.slice(0, 1000);
    if (err.kind === 'permanent') {
      await prisma.$transaction([
        prisma.delivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { status: 'bounced', lastError } }),
        prisma.subscriber.update({ where: { id: subscriberId }, data: { hardBounces: { increment: 1 } } }),
        prisma.$executeRaw`UPDATE subscriber SET status = 'suspended', updated_at = now()
          WHERE id = ${subscriberId}::uuid AND status = 'active' AND hard_bounces >= ${deps.mail.maxHardBounces}`,
      ]);
      logger.warn({ deliveryId, code: err.responseCode }, 'digest.send.bounced');
      return;
    }
    if (err.kind === 'transient') {
      await prisma.delivery.updateMany({ where: { id: deliveryId, status: 'sending' }, data: { status: finalAttempt ? 'failed' : 'queued', lastError } });
      logger.warn({ deliveryId, code: err.responseCode, finalAttempt }, finalAttempt ? 'digest.send.failed' : 'digest.send.retry');
      return;
    }
    // throttle / auth: the relay refused us, not the message. Queued again, the attempt not counted.
    await prisma.$executeRaw`
      UPDATE delivery SET status = 'queued', attempts = greatest(attempts - 1, 0), last_error = ${lastError}, updated_at = now()
      WHERE id = ${deliveryId}::uuid AND status = 'sending'`;
    logger.warn({ deliveryId, kind: err.kind, code: err.responseCode }, `digest.send.${err.kind}`);
  }

  async function sendBatch(deliveryIds: string[], options: BatchOptions = {}): Promise<BatchResult> {
    const finalAttempt = Boolean(options.finalAttempt);
    const result: BatchResult = { dates: [], sent: [], skipped: 0, failures: [] };
    const dates = new Set<string>();
    // Only rows still queued are loaded (a retried batch skips what it already sent).
    const views = await loadDeliveryViews(prisma, deliveryIds, deps.links, deps.mail.postalAddress, { paperViews, queuedOnly: true });
    let unexpected: unknown;
    const stopped = () => result.stoppedBy !== undefined || unexpected !== undefined;

    const sendOne = async (deliveryId: string): Promise<void> => {
      const loaded = views.get(deliveryId);
      if (!loaded || stopped()) return;
      const release = options.gate ? await options.gate.acquire() : () => undefined;
      try {
        if (stopped()) return;
        const started = performance.now();
        const claimed = await claim(deliveryId);
        if (!claimed?.claimed) {
          if (claimed?.skipped) {
            dates.add(claimed.skipped);
            result.skipped++;
            record('skipped');
          }
          return;
        }
        dates.add(claimed.date);
        const { delivery, view } = loaded;
        const sub = delivery.subscriber;
        let error: MailError | undefined;
        let accepted = false;
        try {
          const rendered = renderDigest(deps.templates, view);
          const message = buildDigestMessage({
            from: deps.mail.from, replyTo: deps.mail.replyTo, to: sub.email, subject: rendered.subject,
            html: rendered.html, text: rendered.text, messageId: delivery.messageId, listId: deps.mail.listId,
            unsubscribeUrl: deps.links.unsubscribe(sub.id), unsubscribeMailto: deps.mail.unsubscribeMailto,
          });
          const ended = options.gate ? await options.gate.pace() : undefined;
          try {
            await deps.mailer.send(message);
            accepted = true;
          } catch (raw) {
            error = classifyMailError(raw);
          } finally {
            ended?.();
          }
        } catch (err) {
          // A rendering bug must not leave the row claimed: back to queued, retried like a transient error.
          error = new MailError(`rendering failed: ${(err as Error).message}`, 'transient', undefined, err);
        }
        if (accepted) {
          await deps.afterAccepted?.(deliveryId);
          await recordSent(deliveryId);
          result.sent.push(deliveryId);
          record('sent', started);
          if (options.onOutcome?.(false)) result.stoppedBy ??= 'breaker';
          return;
        }
        const err = Object.assign(error!, { digestDate: claimed.date });
        await recordFailure(deliveryId, sub.id, err, finalAttempt);
        record(err.kind === 'transient' && finalAttempt ? 'failed' : err.kind, started);
        result.failures.push({ deliveryId, error: err });
        if (err.kind === 'throttle' || err.kind === 'auth') result.stoppedBy ??= err;
        else if (options.onOutcome?.(true)) result.stoppedBy ??= 'breaker';
      } catch (err) {
        unexpected ??= err;
      } finally {
        release();
      }
    };

    if (options.gate) await Promise.all(deliveryIds.map(sendOne));
    else for (const id of deliveryIds) await sendOne(id);
    result.dates = [...dates];
    if (unexpected !== undefined) throw Object.assign(unexpected as Error, { digestDates: result.dates });
    return result;
  }

  return {
    sendBatch,

    async send(deliveryId, options = {}) {
      const r = await sendBatch([deliveryId], { finalAttempt: options.finalAttempt });
      const date = r.dates[0];
      if (r.failures.length > 0) throw r.failures[0].error;
      if (r.sent.length > 0) return { outcome: 'sent', date };
      if (r.skipped > 0) return { outcome: 'skipped', date };
      if (date) return { outcome: 'not-claimable', date };
      const row = await prisma.delivery.findUnique({ where: { id: deliveryId }, select: { digestDate: true } });
      return { outcome: 'not-claimable', date: row ? dateToDay(row.digestDate) : undefined };
    },

    async recoverStale(olderThanMs) {
      const rows = await prisma.$queryRaw<{ id: string; digest_date: Date }[]>`
        UPDATE delivery SET status = 'uncertain', last_error = 'process stopped during the SMTP transaction: not resent (see docs/delivery.md)', updated_at = now()
        WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => ${olderThanMs / 1000}::float8)
        RETURNING id, digest_date`;
      const dates = [...new Set(rows.map((r) => dateToDay(r.digest_date)))];
      if (rows.length > 0) logger.error({ count: rows.length, deliveryIds: rows.slice(0, 20).map((r) => r.id), alert: true }, 'digest.send.uncertain');
      return { count: rows.length, dates };
    },
  };
}

export { MailError };
