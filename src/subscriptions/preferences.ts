/**
 * Validation of a subscriber's choices (pure): topics, frequency, weekday, delivery hour, time zone
 * and maximum papers. Form values arrive as strings, API values as numbers; both are accepted.
 * Every error names its field and says what is wrong.
 */
import { validateTopic } from '../matching/matcher.js';
import { TopicSyntaxError } from '../matching/types.js';
import { ValidationError } from './errors.js';

export const MAX_TOPICS = 10;
export const MAX_TOPIC_LENGTH = 300;
export const MAX_PAPERS_LIMIT = 50;
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export type Frequency = 'daily' | 'weekly';

export interface Preferences {
  topics: string[];
  frequency: Frequency;
  /** 0 = Sunday … 6 = Saturday; used when frequency is weekly. */
  weeklyDay: number;
  /** Local hour 0–23 in timeZone. */
  deliveryHour: number;
  timeZone: string;
  maxPapers: number;
}

export const DEFAULT_PREFERENCES: Omit<Preferences, 'topics'> = {
  frequency: 'daily', weeklyDay: 1, deliveryHour: 7, timeZone: 'UTC', maxPapers: 20,
};

export function parseTopics(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\r?\n/) : [];
  if ((raw !== undefined && !Array.isArray(raw) && typeof raw !== 'string') || list.some((t) => typeof t !== 'string')) {
    throw new ValidationError('topics', 'Topics must be text, one per line.');
  }
  if (list.length > 100) throw new ValidationError('topics', `Too many topics: ${MAX_TOPICS} at most.`);
  const topics = list.map((t) => (typeof t === 'string' ? t.trim() : '')).filter((t) => t.length > 0);
  if (topics.length === 0) throw new ValidationError('topics', 'Enter at least one topic.');
  if (topics.length > MAX_TOPICS) throw new ValidationError('topics', `Too many topics: ${MAX_TOPICS} at most.`);
  topics.forEach((t, i) => {
    const error = topicError(t);
    if (error) throw new ValidationError('topics', `Topic ${i + 1}: ${error}`);
  });
  return [...new Set(topics)];
}

/** Why one topic is not acceptable (length, control characters, query syntax), or null. */
export function topicError(topic: string): string | null {
  if (topic.length > MAX_TOPIC_LENGTH) return `too long (${MAX_TOPIC_LENGTH} characters at most).`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(topic)) return 'contains control characters.';
  try {
    validateTopic(topic);
  } catch (err) {
    if (err instanceof TopicSyntaxError) return `${err.message}.`;
    throw err;
  }
  return null;
}

function integer(raw: unknown, field: string, min: number, max: number, what: string): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d{1,4}\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(field, `${what} must be a whole number from ${min} to ${max}.`);
  return n;
}

/** Zones already checked (building an Intl.DateTimeFormat costs far more than a lookup). */
const knownZones = new Set<string>();

export function isTimeZone(raw: string): boolean {
  if (knownZones.has(raw)) return true;
  if (raw.length === 0 || raw.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(raw)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: raw });
  } catch {
    return false;
  }
  if (knownZones.size < 1000) knownZones.add(raw);
  return true;
}

/**
 * Parse the preference fields present in `input`. With `partial`, absent fields are left out
 * (preference updates); otherwise defaults fill them (signup), and topics are required.
 */
export function parsePreferences(input: Record<string, unknown>, partial = false): Partial<Preferences> {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined && input[k] !== '';
  const out: Partial<Preferences> = partial ? {} : { ...DEFAULT_PREFERENCES };
  if (!partial || Object.prototype.hasOwnProperty.call(input, 'topics')) out.topics = parseTopics(input.topics);
  if (has('frequency')) {
    if (input.frequency !== 'daily' && input.frequency !== 'weekly') throw new ValidationError('frequency', 'Frequency must be "daily" or "weekly".');
    out.frequency = input.frequency;
  }
  if (has('weeklyDay')) out.weeklyDay = integer(input.weeklyDay, 'weeklyDay', 0, 6, 'The weekday (0 = Sunday)');
  if (has('deliveryHour')) out.deliveryHour = integer(input.deliveryHour, 'deliveryHour', 0, 23, 'The delivery hour');
  if (has('timeZone')) {
    const tz = typeof input.timeZone === 'string' ? input.timeZone.trim() : '';
    if (!isTimeZone(tz)) throw new ValidationError('timeZone', 'The time zone must be an IANA name such as Europe/Paris or America/New_York.');
    out.timeZone = tz;
  }
  if (has('maxPapers')) out.maxPapers = integer(input.maxPapers, 'maxPapers', 1, MAX_PAPERS_LIMIT, 'The maximum number of papers');
  return out;
}
