import { readFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import { parseFlags, UsageError } from '../command.js';
import { createMatcher } from '../../matching/matcher.js';
import { TopicSyntaxError, type MatchPaper } from '../../matching/types.js';

/** `paperboy match`: offline matching of a papers file against a topics file; JSON on stdout only. */
export const matchCommand: Command = {
  name: 'match',
  summary: 'Match papers.json against topics.json offline and print the selections as JSON',
  help: `Usage: paperboy match --papers <papers.json> --topics <topics.json> [--max 20] [--context <earlier.json>]

Needs no database or Redis. papers.json is an array of {"id", "title", "abstract"} (optional:
"authors", "categories", "aiKeywords", "aiSummary", "hfUpvotes"); topics.json is an array of
{"id", "topic"}, each one subscriber with that topic exactly as typed in the form.
Prints one JSON object keyed by topic id; each value is the ranked selection that subscriber's
digest would contain: [{"id", "score", "why"}]. A topic that cannot be parsed gets [] and a
message on stderr naming the topic id and the position.
--context: earlier papers of the same sources (same format, most recent first) that complete a day
of fewer than 240 papers for the matcher's statistics and semantic space, as the daily run does with
the stored papers; they are never selected.
A topic entry may also carry that subscriber's own feedback, as the daily run passes it: "more" and
"less", arrays of ids of papers in --papers or --context that they wanted more / less of.`,
  async run(args, io) {
    const { flags, positional } = parseFlags(args, { papers: 'string', topics: 'string', max: 'string', context: 'string' });
    if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if (typeof flags.papers !== 'string') throw new UsageError('--papers <papers.json> is required');
    if (typeof flags.topics !== 'string') throw new UsageError('--topics <topics.json> is required');
    const max = flags.max === undefined ? 20 : Number(flags.max);
    if (!Number.isInteger(max) || max < 1) throw new UsageError('--max must be a positive integer');
    const papers = parsePapers(await readJson(flags.papers), flags.papers);
    const topics = parseTopics(await readJson(flags.topics), flags.topics);
    const context = typeof flags.context === 'string' ? parsePapers(await readJson(flags.context), flags.context) : undefined;
    const byId = new Map([...(context ?? []), ...papers].map((p) => [p.id, p]));
    const judged = (ids: string[] | undefined, where: string) => (ids ?? []).map((id) => {
      const p = byId.get(id);
      if (!p) throw new UsageError(`${where}: paper "${id}" is in neither --papers nor --context`);
      return p;
    });
    const feedback = topics.map((t, i) => (t.more || t.less
      ? new Map([[t.topic, { more: judged(t.more, `${flags.topics}[${i}].more`), less: judged(t.less, `${flags.topics}[${i}].less`) }]])
      : undefined));
    const matcher = createMatcher(papers, { context });
    const out: Record<string, Array<{ id: string; score: number; why: string }>> = {};
    for (const [i, t] of topics.entries()) {
      try {
        out[t.id] = matcher.match([t.topic], { maxResults: max, feedback: feedback[i] }).map((h) => ({ id: h.paperId, score: h.score, why: h.why }));
      } catch (err) {
        if (!(err instanceof TopicSyntaxError)) throw err;
        io.stderr.write(`paperboy match: topic "${t.id}": ${err.message}\n`);
        out[t.id] = [];
      }
    }
    io.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  },
};

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function parsePapers(data: unknown, file: string): MatchPaper[] {
  if (!Array.isArray(data)) throw new UsageError(`${file}: expected an array of papers`);
  const seen = new Set<string>();
  return data.map((p, i) => {
    const where = `${file}[${i}]`;
    if (!p || typeof p !== 'object') throw new UsageError(`${where}: expected an object`);
    const r = p as Record<string, unknown>;
    for (const k of ['id', 'title', 'abstract']) {
      if (typeof r[k] !== 'string') throw new UsageError(`${where}: "${k}" must be a string`);
    }
    if (seen.has(r.id as string)) throw new UsageError(`${where}: duplicate id "${r.id as string}"`);
    seen.add(r.id as string);
    for (const k of ['authors', 'categories', 'aiKeywords']) {
      if (r[k] !== undefined && !isStringArray(r[k])) throw new UsageError(`${where}: "${k}" must be an array of strings`);
    }
    if (r.aiSummary !== undefined && typeof r.aiSummary !== 'string') throw new UsageError(`${where}: "aiSummary" must be a string`);
    if (r.hfUpvotes !== undefined && typeof r.hfUpvotes !== 'number') throw new UsageError(`${where}: "hfUpvotes" must be a number`);
    return {
      id: r.id as string, title: r.title as string, abstract: r.abstract as string,
      authors: r.authors as string[] | undefined, categories: r.categories as string[] | undefined,
      aiKeywords: r.aiKeywords as string[] | undefined, aiSummary: r.aiSummary as string | undefined,
      hfUpvotes: r.hfUpvotes as number | undefined,
    };
  });
}

export function parseTopics(data: unknown, file: string): Array<{ id: string; topic: string; more?: string[]; less?: string[] }> {
  if (!Array.isArray(data)) throw new UsageError(`${file}: expected an array of {"id", "topic"}`);
  return data.map((t, i) => {
    const r = (t ?? {}) as Record<string, unknown>;
    if (typeof r.id !== 'string' && typeof r.id !== 'number') throw new UsageError(`${file}[${i}]: "id" must be a string`);
    if (typeof r.topic !== 'string') throw new UsageError(`${file}[${i}]: "topic" must be a string`);
    for (const k of ['more', 'less']) {
      if (r[k] !== undefined && !isStringArray(r[k])) throw new UsageError(`${file}[${i}]: "${k}" must be an array of paper ids`);
    }
    return { id: String(r.id), topic: r.topic, more: r.more as string[] | undefined, less: r.less as string[] | undefined };
  });
}
