/**
 * The subscriber lifecycle (see ./README.md): pending → active (confirmed) ⇄ paused → unsubscribed,
 * and erased. Sending a confirmation or a "manage" message is queued (TransactionalMail), never
 * done inline. Signup answers the same way whatever the address's state, so nothing can be learned
 * from it; what differs is only what is queued.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Subscriber } from '../generated/prisma/client.js';
import type { Tokens } from './tokens.js';
import { normalizeEmail } from './email-address.js';
import { ValidationError } from './errors.js';
import { parsePreferences, type Preferences } from './preferences.js';
import { FEEDBACK_LOOKBACK_DAYS, feedbackTallies, forgetAnswers, moveAnswers, storedAnswer, type FeedbackTally } from './feedback.js';

export { ValidationError } from './errors.js';
export { parseTopics, MAX_TOPICS, MAX_TOPIC_LENGTH } from './preferences.js';

export const CONFIRM_TTL_SECONDS = 7 * 24 * 3600;
/** A pending signup is re-sent its confirmation at most this often. */
export const CONFIRM_RESEND_INTERVAL_MS = 5 * 60 * 1000;
/** Bumped whenever the consent wording on the form changes; stored with each consent record. */
export const FORM_VERSION = 2;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TransactionalMail {
  /** Queue the double opt-in message for this subscriber. */
  enqueueConfirmation(subscriberId: string): Promise<void>;
  /** Queue a "manage your subscription" message (address already active). */
  enqueueManageLink(subscriberId: string): Promise<void>;
}

/** What is kept as proof of consent (GDPR art. 7(1)): when, how, which wording, what for. */
export interface ConsentRecord {
  at: string;
  formVersion: number;
  source: 'form' | 'api';
  /** HMAC of the IP, the IP itself, or absent, per CONSENT_IP. */
  ipHash?: string;
  ip?: string;
  topics?: string[];
}

export interface SignupInput {
  email: unknown;
  /** Raw preference fields (topics, frequency, weeklyDay, deliveryHour, timeZone, maxPapers). */
  preferences: Record<string, unknown>;
  consent: Omit<ConsentRecord, 'at' | 'topics'>;
}

export type ConfirmResult =
  | { kind: 'confirmed' | 'already'; subscriber: Subscriber }
  | { kind: 'expired'; token: string }
  | { kind: 'invalid' };

export interface SubscriberExport {
  exportedAt: string;
  subscriber: Record<string, unknown>;
  deliveries: {
    digestDate: string; status: string; sentAt: string | null;
    /**
     * topic: the topic the paper was sent under; feedback: the reader's "more like this" / "less like
     * this" on the paper, if any, and feedbackTopic the topic it steers (`topic`, or the one the reader
     * moved it to; null without an answer).
     */
    papers: { paperId: string; topic: string; why: string; feedback: 'more' | 'less' | null; feedbackAt: string | null; feedbackTopic: string | null }[];
  }[];
}

export interface SubscriptionService {
  /** Validates, then queues a confirmation or manage mail as the address's state requires. */
  signup(input: SignupInput): Promise<void>;
  confirm(token: string): Promise<ConfirmResult>;
  /** "Send me a new link" from a (possibly expired) confirm token. Returns false for a bad token. */
  resendConfirmation(token: string): Promise<boolean>;
  unsubscribe(token: string): Promise<Subscriber | null>;
  byToken(token: string, purpose: 'manage' | 'unsubscribe'): Promise<Subscriber | null>;
  updatePreferences(token: string, input: Record<string, unknown>): Promise<Subscriber | null>;
  /** Pause, resume (also re-activates an unsubscribed reader who holds a manage link). */
  setPaused(token: string, paused: boolean): Promise<Subscriber | null>;
  exportData(token: string): Promise<SubscriberExport | null>;
  /**
   * The subscriber's "More / Less like this" answers per topic string: `more` / `less` are those the
   * daily run uses (the most recent FEEDBACK_PER_SUBSCRIBER of the last FEEDBACK_LOOKBACK_DAYS),
   * `stored` all of them. Reads only.
   */
  feedbackTallies(subscriberId: string): Promise<FeedbackTally[]>;
  /**
   * Forgets every answer of the subscriber that belongs to this exact topic string (given under it,
   * or moved to it): feedback, feedback_at and feedback_topic back to NULL on their delivery_paper
   * rows, whatever their age. `forgotten` = how many; null for a bad token.
   */
  forgetFeedback(token: string, topic: string): Promise<{ subscriber: Subscriber; forgotten: number } | null>;
  /**
   * Moves every answer of the subscriber that belongs to the topic string `from` (typically an
   * earlier wording) to `to`, which must be one of their current topics (ValidationError on field
   * `to` otherwise), so it steers `to`. `moved` = how many (0 when `from` has none or is `to`); null
   * for a bad token.
   */
  moveFeedback(token: string, from: string, to: string): Promise<{ subscriber: Subscriber; moved: number } | null>;
  /** Deletes the subscriber and, by cascade, every delivery row. Idempotent; false for a bad token. */
  erase(token: string): Promise<boolean>;
  /** Removes pending signups never confirmed within `olderThanMs`. Returns how many. */
  purgePending(olderThanMs: number): Promise<number>;
}

/** A Date as PostgreSQL `timestamp(3)` text in UTC (how Prisma stores DateTime). */
function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function createSubscriptionService(deps: {
  prisma: PrismaClient;
  tokens: Tokens;
  mail: TransactionalMail;
  now?: () => Date;
}): SubscriptionService {
  const { prisma, tokens, mail } = deps;
  const now = deps.now ?? (() => new Date());

  const subscriberFor = async (token: string, purpose: 'manage' | 'unsubscribe' | 'confirm'): Promise<Subscriber | null> => {
    const payload = tokens.verify(token, purpose);
    if (!payload || !UUID.test(payload.subject)) return null;
    return prisma.subscriber.findUnique({ where: { id: payload.subject } });
  };

  /**
   * Claim the right to send a confirmation: at most one per interval. The conditional UPDATE is
   * re-checked under the row lock, so of several concurrent claims exactly one wins.
   */
  const claimConfirmation = async (id: string): Promise<boolean> => {
    const at = sqlTime(now());
    const cutoff = sqlTime(new Date(now().getTime() - CONFIRM_RESEND_INTERVAL_MS));
    const claimed = await prisma.$executeRaw`
      UPDATE subscriber SET confirm_sent_at = ${at}::timestamp(3), updated_at = ${at}::timestamp(3)
      WHERE id = ${id}::uuid AND status = 'pending' AND (confirm_sent_at IS NULL OR confirm_sent_at < ${cutoff}::timestamp(3))`;
    return claimed === 1;
  };

  return {
    async signup(input) {
      let email: string;
      try {
        email = normalizeEmail(input.email);
      } catch (err) {
        throw new ValidationError('email', (err as Error).message);
      }
      const prefs = parsePreferences(input.preferences) as Preferences;
      const consent: ConsentRecord = { at: now().toISOString(), ...input.consent, topics: prefs.topics };

      // One statement creates the row, or refreshes a pending / unsubscribed one (a new double
      // opt-in), atomically under concurrent submits. Active, paused and suspended rows are left alone.
      const at = sqlTime(now());
      // A new row is born with its confirmation claimed (`inserted`: xmax = 0 only for a fresh insert).
      const rows = await prisma.$queryRaw<{ id: string; inserted: boolean }[]>`
        INSERT INTO subscriber (id, email, status, topics, frequency, weekly_day, delivery_hour, time_zone, max_papers, consent, confirm_sent_at, created_at, updated_at)
        VALUES (gen_random_uuid(), ${email}, 'pending', ${prefs.topics}::text[], ${prefs.frequency}::"Frequency", ${prefs.weeklyDay}, ${prefs.deliveryHour},
                ${prefs.timeZone}, ${prefs.maxPapers}, ${JSON.stringify(consent)}::jsonb, ${at}::timestamp(3), ${at}::timestamp(3), ${at}::timestamp(3))
        ON CONFLICT (email) DO UPDATE SET
          topics = EXCLUDED.topics, frequency = EXCLUDED.frequency, weekly_day = EXCLUDED.weekly_day,
          delivery_hour = EXCLUDED.delivery_hour, time_zone = EXCLUDED.time_zone, max_papers = EXCLUDED.max_papers,
          consent = EXCLUDED.consent, status = 'pending', unsubscribed_at = NULL, paused_at = NULL,
          confirmed_at = CASE WHEN subscriber.status = 'unsubscribed' THEN NULL ELSE subscriber.confirmed_at END,
          confirm_sent_at = CASE WHEN subscriber.status = 'unsubscribed' THEN NULL ELSE subscriber.confirm_sent_at END,
          updated_at = EXCLUDED.updated_at
        WHERE subscriber.status IN ('pending', 'unsubscribed')
        RETURNING id::text AS id, (xmax = 0) AS inserted`;
      if (rows.length === 0) {
        const sub = await prisma.subscriber.findUnique({ where: { email }, select: { id: true, status: true } });
        if (sub?.status === 'active' || sub?.status === 'paused') await mail.enqueueManageLink(sub.id);
        return; // suspended (bounced): never mail it again from a web form
      }
      if (rows[0].inserted || await claimConfirmation(rows[0].id)) await mail.enqueueConfirmation(rows[0].id);
    },

    async confirm(token) {
      const info = tokens.inspect(token, 'confirm');
      if (!info || !UUID.test(info.subject)) return { kind: 'invalid' };
      const sub = await prisma.subscriber.findUnique({ where: { id: info.subject } });
      if (!sub || sub.status === 'unsubscribed' || sub.status === 'suspended') return { kind: 'invalid' };
      if (sub.status !== 'pending') return { kind: 'already', subscriber: sub };
      if (info.expired) return { kind: 'expired', token };
      const { count } = await prisma.subscriber.updateMany({ where: { id: sub.id, status: 'pending' }, data: { status: 'active', confirmedAt: now() } });
      const fresh = await prisma.subscriber.findUniqueOrThrow({ where: { id: sub.id } });
      return { kind: count === 1 ? 'confirmed' : 'already', subscriber: fresh };
    },

    async resendConfirmation(token) {
      const info = tokens.inspect(token, 'confirm');
      if (!info || !UUID.test(info.subject)) return false;
      if (await claimConfirmation(info.subject)) await mail.enqueueConfirmation(info.subject);
      return true;
    },

    async unsubscribe(token) {
      const sub = await subscriberFor(token, 'unsubscribe');
      if (!sub) return null;
      if (sub.status === 'unsubscribed') return sub;
      await prisma.subscriber.updateMany({ where: { id: sub.id, status: { not: 'unsubscribed' } }, data: { status: 'unsubscribed', unsubscribedAt: now() } });
      return prisma.subscriber.findUnique({ where: { id: sub.id } });
    },

    byToken: (token, purpose) => subscriberFor(token, purpose),

    async updatePreferences(token, input) {
      const sub = await subscriberFor(token, 'manage');
      if (!sub) return null;
      const prefs = parsePreferences(input, true);
      return prisma.subscriber.update({ where: { id: sub.id }, data: prefs });
    },

    async setPaused(token, paused) {
      const sub = await subscriberFor(token, 'manage');
      if (!sub) return null;
      if (paused && sub.status === 'active') {
        return prisma.subscriber.update({ where: { id: sub.id }, data: { status: 'paused', pausedAt: now() } });
      }
      if (!paused && (sub.status === 'paused' || sub.status === 'unsubscribed')) {
        // Holding the manage link (mailed to the address) proves the address: no new opt-in needed.
        return prisma.subscriber.update({
          where: { id: sub.id },
          data: { status: 'active', pausedAt: null, unsubscribedAt: null, confirmedAt: sub.confirmedAt ?? now() },
        });
      }
      return sub;
    },

    async exportData(token) {
      const sub = await subscriberFor(token, 'manage');
      if (!sub) return null;
      const deliveries = await prisma.delivery.findMany({
        where: { subscriberId: sub.id },
        orderBy: { digestDate: 'asc' },
        include: { papers: { orderBy: { rank: 'asc' }, select: { paperId: true, topic: true, why: true, feedback: true, feedbackAt: true, feedbackTopic: true } } },
      });
      const { id, email, status, topics, frequency, weeklyDay, deliveryHour, timeZone, maxPapers, consent, createdAt, confirmedAt, unsubscribedAt, pausedAt } = sub;
      return {
        exportedAt: now().toISOString(),
        subscriber: { id, email, status, topics, frequency, weeklyDay, deliveryHour, timeZone, maxPapers, consent, createdAt, confirmedAt, unsubscribedAt, pausedAt },
        deliveries: deliveries.map((d) => ({
          digestDate: d.digestDate.toISOString().slice(0, 10), status: d.status, sentAt: d.sentAt?.toISOString() ?? null,
          papers: d.papers.map((p) => ({
            paperId: p.paperId, topic: p.topic, why: p.why,
            feedback: storedAnswer(p.feedback), feedbackAt: p.feedbackAt?.toISOString() ?? null,
            feedbackTopic: p.feedback === null ? null : p.feedbackTopic ?? p.topic,
          })),
        })),
      };
    },

    feedbackTallies: (subscriberId) =>
      feedbackTallies(prisma, subscriberId, { since: new Date(now().getTime() - FEEDBACK_LOOKBACK_DAYS * 86_400_000) }),

    async forgetFeedback(token, topic) {
      const sub = await subscriberFor(token, 'manage');
      if (!sub) return null;
      return { subscriber: sub, forgotten: await forgetAnswers(prisma, sub.id, topic) };
    },

    async moveFeedback(token, from, to) {
      const sub = await subscriberFor(token, 'manage');
      if (!sub) return null;
      if (!sub.topics.includes(to)) throw new ValidationError('to', 'The field to must be one of your current topics.');
      return { subscriber: sub, moved: from === to ? 0 : await moveAnswers(prisma, sub.id, from, to) };
    },

    async erase(token) {
      const payload = tokens.verify(token, 'manage');
      if (!payload || !UUID.test(payload.subject)) return false;
      await prisma.subscriber.deleteMany({ where: { id: payload.subject } });
      return true;
    },

    async purgePending(olderThanMs) {
      const { count } = await prisma.subscriber.deleteMany({
        where: { status: 'pending', createdAt: { lt: new Date(now().getTime() - olderThanMs) } },
      });
      return count;
    },
  };
}
