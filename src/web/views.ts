/**
 * Page rendering: the layout around a page template, and the view models of the signup and
 * preference forms (select options with their `selected` flags, so templates stay logic-free).
 */
import type { Response } from 'express';
import type { TemplateSet } from '../digest/templates.js';
import { DEFAULT_PREFERENCES, MAX_PAPERS_LIMIT, MAX_TOPICS, WEEKDAYS } from '../subscriptions/preferences.js';

export interface PageRenderer {
  (res: Response, name: string, context?: Record<string, unknown>, status?: number): void;
  /** The whole page as a string (layout included). */
  html(name: string, context?: Record<string, unknown>): string;
}

export function createPageRenderer(templates: TemplateSet, postalAddress: string): PageRenderer {
  const html = (name: string, context: Record<string, unknown> = {}): string => {
    const body = templates.render(`pages/${name}`, { postalAddress, ...context });
    return templates.render('pages/layout', { body, title: context.title ?? 'Paperboy', postalAddress, script: context.script ?? false });
  };
  const render = (res: Response, name: string, context: Record<string, unknown> = {}, status = 200): void => {
    res.status(status).type('html').send(html(name, context));
  };
  return Object.assign(render, { html });
}

const str = (v: unknown, fallback: string | number): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : String(fallback);

/** The form's current values (what was submitted, or the saved / default preferences). */
export function formView(values: Record<string, unknown>, errors: Record<string, string> = {}): Record<string, unknown> {
  const topics = Array.isArray(values.topics) ? values.topics.filter((t) => typeof t === 'string').join('\n') : str(values.topics, '');
  const frequency = str(values.frequency, DEFAULT_PREFERENCES.frequency);
  const weeklyDay = str(values.weeklyDay, DEFAULT_PREFERENCES.weeklyDay);
  const deliveryHour = str(values.deliveryHour, DEFAULT_PREFERENCES.deliveryHour);
  return {
    email: str(values.email, ''),
    topics: topics.slice(0, 5000),
    daily: frequency !== 'weekly',
    weekly: frequency === 'weekly',
    weekdays: WEEKDAYS.map((label, i) => ({ value: i, label, selected: String(i) === weeklyDay })),
    hours: Array.from({ length: 24 }, (_, h) => ({ value: h, label: `${String(h).padStart(2, '0')}:00`, selected: String(h) === deliveryHour })),
    timeZone: str(values.timeZone, DEFAULT_PREFERENCES.timeZone).slice(0, 64),
    maxPapers: str(values.maxPapers, DEFAULT_PREFERENCES.maxPapers).slice(0, 4),
    maxPapersLimit: MAX_PAPERS_LIMIT,
    maxTopics: MAX_TOPICS,
    consent: values.consent === 'yes',
    error: errors,
    errorMessage: Object.values(errors)[0],
  };
}
