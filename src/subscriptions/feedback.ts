/**
 * "More like this" / "Less like this": a subscriber's own word on a paper they were sent, stored on
 * its delivery_paper row (`feedback` 1 / -1, `feedback_at`; both NULL = none). The link holds a
 * `feedback` token whose subject is the delivery, so it can only ever touch that delivery's papers.
 * Reading never writes: the page behind the link only shows the choice (mail scanners open links).
 *
 * An answer belongs to the topic the paper was sent under (`topic`, never rewritten) unless the
 * subscriber moved it to another of their topics (`feedback_topic`): everything that groups answers
 * by topic reads `ANSWER_TOPIC`.
 */
import { Prisma, type PrismaClient } from '../db/prisma.js';
import type { Tokens } from './tokens.js';
import type { TopicFeedback } from '../matching/types.js';
import { toMatchPaper } from '../papers/paper-repository.js';

export type FeedbackChoice = 'more' | 'less' | 'none';

export const FEEDBACK_CHOICES: readonly FeedbackChoice[] = ['more', 'less', 'none'];

/** The topic an answer belongs to (and steers), in SQL over delivery_paper. */
const ANSWER_TOPIC = Prisma.raw('COALESCE(feedback_topic, topic)');

/** The stored value of each choice. */
export const FEEDBACK_VALUE: Record<FeedbackChoice, 1 | -1 | null> = { more: 1, less: -1, none: null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any paper id Paperboy stores (arXiv ids are at most ~30 characters). */
const MAX_PAPER_ID = 100;

export interface FeedbackTarget {
  deliveryId: string;
  subscriberId: string;
  subscriberStatus: string;
  paperId: string;
  /** The paper's title and the topic it was sent under, as stored (pages clean and escape them). */
  title: string;
  topic: string;
  /** The topic the stored answer steers: `topic`, or the one the subscriber moved it to. */
  steers: string;
  /** The stored choice. */
  choice: FeedbackChoice;
}

export type FeedbackLookup =
  | { kind: 'invalid' } // a bad, foreign or wrong-purpose token, or a delivery that no longer exists
  | { kind: 'not-in-digest' } // a genuine delivery that did not carry this paper
  | { kind: 'ok'; target: FeedbackTarget };

export interface FeedbackService {
  /** What a feedback link points at; writes nothing. */
  find(token: string, paperId: string): Promise<FeedbackLookup>;
  /**
   * Records `choice` on the delivery's row for the paper (idempotent: the same choice again only
   * refreshes `feedback_at`; the other choice replaces it and keeps steering the same topic; `none`
   * clears `feedback`, `feedback_at` and `feedback_topic`).
   */
  record(token: string, paperId: string, choice: FeedbackChoice): Promise<FeedbackLookup>;
}

/** A stored `feedback` value as the answer it records (null: none). */
export function storedAnswer(value: number | null): 'more' | 'less' | null {
  return value === 1 ? 'more' : value === -1 ? 'less' : null;
}

function choiceOf(value: number | null): FeedbackChoice {
  return storedAnswer(value) ?? 'none';
}

export function createFeedbackService(deps: { prisma: PrismaClient; tokens: Tokens; now?: () => Date }): FeedbackService {
  const { prisma, tokens } = deps;
  const now = deps.now ?? (() => new Date());

  const deliveryOf = (token: string): string | null => {
    const payload = tokens.verify(token, 'feedback');
    return payload && UUID.test(payload.subject) ? payload.subject : null;
  };

  const find = async (token: string, paperId: string): Promise<FeedbackLookup> => {
    const deliveryId = deliveryOf(token);
    if (!deliveryId) return { kind: 'invalid' };
    const row = paperId.length <= MAX_PAPER_ID
      ? await prisma.deliveryPaper.findUnique({
        where: { deliveryId_paperId: { deliveryId, paperId } },
        select: { subscriberId: true, topic: true, feedback: true, feedbackTopic: true, paper: { select: { title: true } }, subscriber: { select: { status: true } } },
      })
      : null;
    if (!row) {
      const exists = await prisma.delivery.count({ where: { id: deliveryId } });
      return exists ? { kind: 'not-in-digest' } : { kind: 'invalid' };
    }
    return {
      kind: 'ok',
      target: {
        deliveryId, paperId, subscriberId: row.subscriberId, subscriberStatus: row.subscriber.status,
        title: row.paper.title, topic: row.topic, steers: row.feedbackTopic ?? row.topic, choice: choiceOf(row.feedback),
      },
    };
  };

  return {
    find,
    async record(token, paperId, choice) {
      const found = await find(token, paperId);
      if (found.kind !== 'ok') return found;
      const value = FEEDBACK_VALUE[choice];
      const { count } = await prisma.deliveryPaper.updateMany({
        where: { deliveryId: found.target.deliveryId, paperId },
        data: value === null ? { feedback: null, feedbackAt: null, feedbackTopic: null } : { feedback: value, feedbackAt: now() },
      });
      // Gone between the two statements (the subscriber erased their data meanwhile).
      if (count === 0) return { kind: 'invalid' };
      const steers = value === null ? found.target.topic : found.target.steers;
      return { kind: 'ok', target: { ...found.target, choice, steers } };
    },
  };
}

/** The most recent judgments of one subscriber that the daily run uses (their latest interests). */
export const FEEDBACK_PER_SUBSCRIBER = 50;
/** …and how old they may be. */
export const FEEDBACK_LOOKBACK_DAYS = 365;

/**
 * The recent "more / less like this" judgments of these subscribers, grouped by the topic each
 * answer belongs to (`ANSWER_TOPIC`: the topic the paper was sent under, unless the subscriber moved
 * the answer to another topic). Matched per topic string: a topic the subscriber has since reworded
 * keeps its own feedback, which the new wording does not use until the subscriber moves it there. At
 * most `perSubscriber` judgments each, the most recent first, none older than `since`; each judged
 * paper is read once however many subscribers judged it.
 */
export async function recentFeedback(
  prisma: PrismaClient,
  subscriberIds: string[],
  opts: { since: Date; perSubscriber?: number },
): Promise<Map<string, Map<string, TopicFeedback>>> {
  const out = new Map<string, Map<string, TopicFeedback>>();
  if (subscriberIds.length === 0) return out;
  const limit = opts.perSubscriber ?? FEEDBACK_PER_SUBSCRIBER;
  const rows = await prisma.$queryRaw<{ subscriberId: string; paperId: string; topic: string; feedback: number }[]>`
    SELECT subscriber_id AS "subscriberId", paper_id AS "paperId", topic, feedback FROM (
      SELECT subscriber_id, paper_id, ${ANSWER_TOPIC} AS topic, feedback,
             row_number() OVER (PARTITION BY subscriber_id ORDER BY feedback_at DESC, paper_id) AS n
      FROM delivery_paper
      WHERE subscriber_id = ANY(${subscriberIds}::uuid[]) AND feedback IS NOT NULL AND feedback_at >= ${opts.since}
    ) recent WHERE n <= ${limit} ORDER BY subscriber_id, n`;
  if (rows.length === 0) return out;
  const papers = await prisma.paper.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.paperId))] } } });
  const byId = new Map(papers.map((p) => [p.id, toMatchPaper(p)]));
  for (const r of rows) {
    const paper = byId.get(r.paperId);
    if (!paper) continue;
    let topics = out.get(r.subscriberId);
    if (!topics) out.set(r.subscriberId, (topics = new Map()));
    let fb = topics.get(r.topic);
    if (!fb) topics.set(r.topic, (fb = { more: [], less: [] }));
    (r.feedback > 0 ? fb.more : fb.less).push(paper);
  }
  return out;
}

/** How many answers one subscriber has stored under one topic string. */
export interface FeedbackTally {
  /** The topic string the answers belong to, as stored (`ANSWER_TOPIC`). */
  topic: string;
  /** Answers the daily run uses (`recentFeedback`'s window: the look-back and the per-subscriber cap). */
  more: number;
  less: number;
  /** Every stored answer under this topic string, whatever its age or rank. */
  stored: number;
  /** The most recent of them. */
  latestAt: Date;
}

/**
 * What one subscriber has answered, per topic string (for their preferences page; reads only).
 * `more` / `less` are exactly the judgments `recentFeedback` returns for them with the same `since`
 * and `perSubscriber` (the same query decides); `stored` counts every answer. Ordered by the most
 * recent answer first.
 */
export async function feedbackTallies(
  prisma: PrismaClient,
  subscriberId: string,
  opts: { since: Date; perSubscriber?: number },
): Promise<FeedbackTally[]> {
  const [used, stored] = await Promise.all([
    recentFeedback(prisma, [subscriberId], opts),
    prisma.$queryRaw<{ topic: string; stored: number; latestAt: Date }[]>`
      SELECT ${ANSWER_TOPIC} AS topic, count(*)::int AS stored, max(feedback_at) AS "latestAt"
      FROM delivery_paper WHERE subscriber_id = ${subscriberId}::uuid AND feedback IS NOT NULL GROUP BY 1`,
  ]);
  const byTopic = used.get(subscriberId);
  return stored
    .map((g) => {
      const fb = byTopic?.get(g.topic);
      return { topic: g.topic, more: fb?.more.length ?? 0, less: fb?.less.length ?? 0, stored: g.stored, latestAt: g.latestAt };
    })
    .sort((x, y) => y.latestAt.getTime() - x.latestAt.getTime() || (x.topic < y.topic ? -1 : x.topic > y.topic ? 1 : 0));
}

/** The rows holding one subscriber's answers that belong to `topic`, in SQL (a WHERE condition). */
function answersUnder(subscriberId: string, topic: string): Prisma.Sql {
  return Prisma.sql`subscriber_id = ${subscriberId}::uuid AND feedback IS NOT NULL AND ${ANSWER_TOPIC} = ${topic}`;
}

/**
 * Forgets every answer of one subscriber that belongs to `topic` (whatever its age): `feedback`,
 * `feedback_at` and `feedback_topic` back to NULL; the rows (what was sent) stay. Returns how many.
 */
export function forgetAnswers(prisma: PrismaClient, subscriberId: string, topic: string): Promise<number> {
  return prisma.$executeRaw`
    UPDATE delivery_paper SET feedback = NULL, feedback_at = NULL, feedback_topic = NULL WHERE ${answersUnder(subscriberId, topic)}`;
}

/**
 * Moves every answer of one subscriber that belongs to `from` (whatever its age) to `to`, so that
 * it steers `to`: `feedback_topic` = `to`, or NULL on a row sent under `to` itself. `topic` (what
 * was sent) and `feedback_at` (when it was answered) are left as they are. Returns how many.
 */
export function moveAnswers(prisma: PrismaClient, subscriberId: string, from: string, to: string): Promise<number> {
  return prisma.$executeRaw`
    UPDATE delivery_paper SET feedback_topic = NULLIF(${to}, topic) WHERE ${answersUnder(subscriberId, from)}`;
}
