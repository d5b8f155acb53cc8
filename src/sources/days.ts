/**
 * Calendar days (YYYY-MM-DD) and arXiv's announcement calendar, computed in America/New_York.
 * See docs/sources.md, "The papers of digest day D".
 */
const NY = 'America/New_York';
const nyFormat = new Intl.DateTimeFormat('en-CA', { timeZone: NY, year: 'numeric', month: '2-digit', day: '2-digit' });

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function assertDay(s: string, what = 'day'): string {
  if (!isDay(s)) throw new RangeError(`${what} must be a date as YYYY-MM-DD, got "${s}"`);
  return s;
}

/** The calendar day of an instant in New York. */
export function nyDay(d: Date): string {
  return nyFormat.format(d);
}

/** The calendar day of an instant in UTC. */
export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export { addDays, weekday } from '../time.js';
import { addDays, weekday } from '../time.js';

/** arXiv announces Monday to Friday (feed dates); holidays are only known from an empty feed. */
export function isAnnouncementWeekday(day: string): boolean {
  const w = weekday(day);
  return w >= 1 && w <= 5;
}

/** The previous Monday–Friday before `day`. */
export function previousWeekday(day: string): string {
  let d = addDays(day, -1);
  while (!isAnnouncementWeekday(d)) d = addDays(d, -1);
  return d;
}

/** UTC instant of a New York wall-clock time on `day` (handles EST/EDT). */
export function nyTime(day: string, hour: number, minute = 0): Date {
  // Start from the same wall clock in UTC and correct by New York's offset at that instant (twice,
  // so a guess on the other side of a DST switch converges).
  const wall = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10), hour, minute);
  let t = wall;
  for (let i = 0; i < 2; i++) t = wall - offsetMs(new Date(t));
  return new Date(t);
}

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: NY, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});

function offsetMs(d: Date): number {
  const p: Record<string, number> = {};
  for (const { type, value } of partsFormat.formatToParts(d)) if (type !== 'literal') p[type] = Number(value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(d.getTime() / 1000) * 1000;
}

/**
 * Submission window [from, to) of the new papers announced in the listing dated `day` (the feed's
 * pubDate day): submissions close at 14:00 New York time. Mon ← Thu 14:00–Fri 14:00; Tue ← Fri 14:00–
 * Mon 14:00; Wed ← Mon–Tue; Thu ← Tue–Wed; Fri ← Wed–Thu. Undefined on Saturday and Sunday.
 * Holidays shift real windows; the export API backfill uses this regular calendar.
 */
export function submissionWindow(day: string): { from: Date; to: Date } | undefined {
  const w = weekday(day);
  if (w === 0 || w === 6) return undefined;
  const closeDay = w === 1 ? addDays(day, -3) : addDays(day, -1); // Mon's list closes on Friday
  const openDay = w === 1 ? addDays(day, -4) : w === 2 ? addDays(day, -4) : addDays(day, -2);
  return { from: nyTime(openDay, 14), to: nyTime(closeDay, 14) };
}

/** The listing day that announces a v1 submitted at `t` (inverse of submissionWindow, no holidays). */
export function announcementDayOf(t: Date): string {
  // The first listing day whose window contains t: try the next few calendar days.
  let d = nyDay(t);
  for (let i = 0; i < 8; i++) {
    const w = submissionWindow(d);
    if (w && t >= w.from && t < w.to) return d;
    d = addDays(d, 1);
  }
  return nyDay(t);
}

/**
 * The Hugging Face daily lists that belong to digest day `day`: from the previous weekday up to the
 * day before (Tue ← Mon; Mon ← Fri, Sat, Sun). A list fills up during its own day, so it is sent the
 * next announcement day. None on Saturday and Sunday (no digest).
 */
export function hfDaysFor(day: string): string[] {
  if (!isAnnouncementWeekday(day)) return [];
  const out: string[] = [];
  for (let d = previousWeekday(day); d < day; d = addDays(d, 1)) out.push(d);
  return out;
}
