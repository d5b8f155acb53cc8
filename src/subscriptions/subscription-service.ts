/**
 * The subscriber lifecycle: pending → active (confirmed) → unsubscribed (and paused / suspended).
 * Sending the confirmation is queued (TransactionalMail.enqueue*), never done inline.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Subscriber } from '../generated/prisma/client.js';
import type { Tokens } from './tokens.js';
import { normalizeEmail } from './email-address.js';
import { validateTopic } from '../matching/matcher.js';
import { TopicSyntaxError } from '../matching/types.js';

export const CONFIRM_TTL_SECONDS = 7 * 24 * 3600;
export const MAX_TOPICS = 10;
export const MAX_TOPIC_LENGTH = 300;
/** A pending signup is re-sent its confirmation at most this often. */
export const CONFIRM_RESEND_INTERVAL_MS = 5 * 60 * 1000;

export class ValidationError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'ValidationError';
  }
}

export interface TransactionalMail {
  /** Queue the double opt-in message for this subscriber. */
  enqueueConfirmation(subscriberId: string): Promise<void>;
  /** Queue a "manage your subscription" message (address already active). */
  enqueueManageLink(subscriberId: string): Promise<void>;
}

export interface SignupInput {
  email: unknown;
  topics: unknown;
  consent?: Record<string, unknown>;
}

export function parseTopics(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\r?\n/) : [];
  if (list.length > 1000) throw new ValidationError('topics', `Too many topics: ${MAX_TOPICS} at most.`);
  const topics = list
    .map((t) => (typeof t === 'string' ? t.trim() : ''))
    .filter((t) => t.length > 0);
  if (topics.length === 0) throw new ValidationError('topics', 'Enter at least one topic.');
  if (topics.length > MAX_TOPICS) throw new ValidationError('topics', `Too many topics: ${MAX_TOPICS} at most.`);
  topics.forEach((t, i) => {
    if (t.length > MAX_TOPIC_LENGTH) throw new ValidationError('topics', `Topic ${i + 1} is too long (${MAX_TOPIC_LENGTH} characters at most).`);
    try {
      validateTopic(t);
    } catch (err) {
      if (err instanceof TopicSyntaxError) throw new ValidationError('topics', `Topic ${i + 1}: ${err.message}.`);
      throw err;
    }
  });
  return [...new Set(topics)];
}

export interface SubscriptionService {
  signup(input: SignupInput): Promise<void>;
  confirm(token: string): Promise<Subscriber | null>;
  unsubscribe(token: string): Promise<Subscriber | null>;
  byToken(token: string, purpose: 'manage' | 'unsubscribe'): Promise<Subscriber | null>;
}

export function createSubscriptionService(deps: {
  prisma: PrismaClient;
  tokens: Tokens;
  mail: TransactionalMail;
  now?: () => Date;
}): SubscriptionService {
  const { prisma, tokens, mail } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async signup(input) {
      let email: string;
      try {
        email = normalizeEmail(input.email);
      } catch (err) {
        throw new ValidationError('email', (err as Error).message);
      }
      const topics = parseTopics(input.topics);
      const existing = await prisma.subscriber.findUnique({ where: { email } });
      if (existing?.status === 'active' || existing?.status === 'paused') {
        await mail.enqueueManageLink(existing.id);
        return;
      }
      if (existing?.status === 'pending' && existing.confirmSentAt &&
          now().getTime() - existing.confirmSentAt.getTime() < CONFIRM_RESEND_INTERVAL_MS) {
        return; // throttled: a confirmation went out moments ago
      }
      // Upsert keeps one row per address even when two requests race (no unique-constraint 500).
      const sub = await prisma.subscriber.upsert({
        where: { email },
        create: { email, topics, status: 'pending', consent: (input.consent ?? {}) as object, confirmSentAt: now() },
        update: { topics, status: 'pending', consent: (input.consent ?? {}) as object, confirmSentAt: now(), unsubscribedAt: null },
      });
      await mail.enqueueConfirmation(sub.id);
    },

    async confirm(token) {
      const payload = tokens.verify(token, 'confirm');
      if (!payload) return null;
      const sub = await prisma.subscriber.findUnique({ where: { id: payload.subject } });
      if (!sub || sub.status === 'unsubscribed' || sub.status === 'suspended') return null;
      if (sub.status !== 'pending') return sub;
      return prisma.subscriber.update({ where: { id: sub.id }, data: { status: 'active', confirmedAt: now() } });
    },

    async unsubscribe(token) {
      const payload = tokens.verify(token, 'unsubscribe');
      if (!payload) return null;
      const sub = await prisma.subscriber.findUnique({ where: { id: payload.subject } });
      if (!sub) return null;
      if (sub.status === 'unsubscribed') return sub;
      return prisma.subscriber.update({ where: { id: sub.id }, data: { status: 'unsubscribed', unsubscribedAt: now() } });
    },

    async byToken(token, purpose) {
      const payload = tokens.verify(token, purpose);
      if (!payload) return null;
      return prisma.subscriber.findUnique({ where: { id: payload.subject } });
    },
  };
}
