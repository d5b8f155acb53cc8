import { UsageError } from '../command.js';
import type { MatchPaper } from '../../matching/types.js';

/**
 * Reading `paperboy match`'s input files. The issue fixes only `{id, title, abstract}` for a paper and
 * `{id, topic}` for a topic; files written from the sources' own payloads carry the optional fields in
 * those payloads' shapes (arXiv API and Hugging Face authors as `{name}` objects, Hugging Face's
 * snake_case `ai_keywords` / `ai_summary` / `upvotes`, categories as one string, numeric ids, a paper
 * without an abstract). Each of those is read as what it plainly means; anything else is an error
 * naming the file, the entry and the field. Nothing that can be matched is dropped: a paper without
 * an abstract is matched on its title, a paper listed twice under one id is read once (with a note).
 */

/** A paper as read, with its id as the file wrote it (a number stays a number in the output). */
export interface InputPaper extends MatchPaper {
  sourceId: string | number;
}

export interface InputTopic {
  id: string;
  topic: string;
  more?: string[];
  less?: string[];
}

type Warn = (message: string) => void;

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

/** The entries of a file: a bare array, or an object holding the array under `key` (`{"topics": […]}`). */
function entries(data: unknown, file: string, key: string, what: string): unknown[] {
  if (Array.isArray(data)) return data;
  if (isRecord(data) && Array.isArray(data[key])) return data[key] as unknown[];
  throw new UsageError(`${file}: expected an array of ${what} (or an object with a "${key}" array)`);
}

function idOf(v: unknown, where: string): string | number {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new UsageError(`${where}: "id" must be a non-empty string or a number`);
}

function text(r: Record<string, unknown>, keys: string[], where: string): string {
  for (const k of keys) {
    const v = r[k];
    if (absent(v)) continue;
    if (typeof v !== 'string') throw new UsageError(`${where}: "${k}" must be a string`);
    return v;
  }
  return '';
}

/** A list of names or labels: an array of strings, of `{name}` objects (`names`), or one string split on `split`. */
function list(r: Record<string, unknown>, keys: string[], where: string, split: RegExp, names = false): string[] | undefined {
  for (const k of keys) {
    const v = r[k];
    if (absent(v)) continue;
    const bad = () => new UsageError(`${where}: "${k}" must be an array of strings${names ? ' or of {"name"} objects' : ''}, or one string`);
    if (typeof v === 'string') return v.split(split).map((s) => s.trim()).filter(Boolean);
    if (!Array.isArray(v)) throw bad();
    return v.map((x) => {
      if (typeof x === 'string') return x;
      if (names && isRecord(x) && typeof x.name === 'string') return x.name;
      throw bad();
    });
  }
  return undefined;
}

function upvotes(r: Record<string, unknown>, where: string): number | undefined {
  for (const k of ['hfUpvotes', 'upvotes']) {
    const v = r[k];
    if (absent(v)) continue;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new UsageError(`${where}: "${k}" must be a number`);
    return n;
  }
  return undefined;
}

export function parsePapers(data: unknown, file: string, warn: Warn = () => {}): InputPaper[] {
  const out: InputPaper[] = [];
  const seen = new Map<string, number>();
  entries(data, file, 'papers', 'papers').forEach((p, i) => {
    const where = `${file}[${i}]`;
    if (!isRecord(p)) throw new UsageError(`${where}: expected an object`);
    const sourceId = idOf(p.id, where);
    const id = String(sourceId);
    const title = text(p, ['title'], where);
    const abstract = text(p, ['abstract', 'summary'], where);
    const paper: InputPaper = {
      id, sourceId, title, abstract,
      authors: list(p, ['authors'], where, /\s*(?:,|;|\band\b)\s*/, true),
      categories: list(p, ['categories'], where, /[\s,]+/),
      aiKeywords: list(p, ['aiKeywords', 'ai_keywords'], where, /\s*,\s*/),
      aiSummary: text(p, ['aiSummary', 'ai_summary'], where) || undefined,
      hfUpvotes: upvotes(p, where),
    };
    const first = seen.get(id);
    if (first !== undefined) {
      warn(`${where}: id "${id}" is also that of entry [${first}]; read once, as the first`);
      return;
    }
    seen.set(id, i);
    if (!title.trim() && !abstract.trim()) warn(`${where}: paper "${id}" has neither a title nor an abstract; it cannot match any topic`);
    out.push(paper);
  });
  return out;
}

function ids(r: Record<string, unknown>, k: string, where: string): string[] | undefined {
  const v = r[k];
  if (absent(v)) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))) {
    throw new UsageError(`${where}: "${k}" must be an array of paper ids`);
  }
  return v.map(String);
}

export function parseTopics(data: unknown, file: string): InputTopic[] {
  const out: InputTopic[] = [];
  const seen = new Map<string, { index: number; topic: InputTopic }>();
  entries(data, file, 'topics', '{"id", "topic"}').forEach((t, i) => {
    const where = `${file}[${i}]`;
    if (!isRecord(t)) throw new UsageError(`${where}: expected an object {"id", "topic"}`);
    const id = String(idOf(t.id, where));
    if (typeof t.topic !== 'string') throw new UsageError(`${where}: "topic" must be a string`);
    const topic: InputTopic = { id, topic: t.topic, more: ids(t, 'more', where), less: ids(t, 'less', where) };
    const earlier = seen.get(id);
    if (earlier) {
      // The output is keyed by id, so one id can stand for one subscriber only: a repeated entry is
      // read once when it says the same thing, and is an error when it does not.
      if (JSON.stringify(earlier.topic) === JSON.stringify(topic)) return;
      throw new UsageError(`${where}: id "${id}" is also that of entry [${earlier.index}], with another topic or feedback (the output is keyed by id)`);
    }
    seen.set(id, { index: i, topic });
    out.push(topic);
  });
  return out;
}
