import { readFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import { parseFlags, UsageError } from '../command.js';
import { createMatcher } from '../../matching/matcher.js';
import { TopicSyntaxError } from '../../matching/types.js';
import { parsePapers, parseTopics } from './match-input.js';

/** `paperboy match`: offline matching of a papers file against a topics file; JSON on stdout only. */
export const matchCommand: Command = {
  name: 'match',
  summary: 'Match papers.json against topics.json offline and print the selections as JSON',
  help: `Usage: paperboy match --papers <papers.json> --topics <topics.json> [--max 20] [--context <earlier.json>]

Needs no database or Redis. papers.json is an array of {"id", "title", "abstract"} (optional:
"authors", "categories", "aiKeywords", "aiSummary", "hfUpvotes"); topics.json is an array of
{"id", "topic"}, each one subscriber with that topic exactly as typed in the form.
Either file may also be an object holding the array under "papers" / "topics". Ids may be strings
or numbers (printed as given). A paper without an abstract (missing or null; "summary" is read in
its place) is matched on its title; authors may be names or {"name"} objects; categories and
keywords an array or one string; Hugging Face's "ai_keywords", "ai_summary" and "upvotes" are read
as "aiKeywords", "aiSummary" and "hfUpvotes". A paper listed twice under one id is read once, as
the first, with a note on stderr; two topic entries with one id must be the same.
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
    const warn = (message: string) => { io.stderr.write(`paperboy match: ${message}\n`); };
    const papers = parsePapers(await readJson(flags.papers), flags.papers, warn);
    const topics = parseTopics(await readJson(flags.topics), flags.topics);
    const context = typeof flags.context === 'string' ? parsePapers(await readJson(flags.context), flags.context, warn) : undefined;
    const sourceId = new Map(papers.map((p) => [p.id, p.sourceId]));
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
    const out: Record<string, Array<{ id: string | number; score: number; why: string }>> = {};
    for (const [i, t] of topics.entries()) {
      try {
        out[t.id] = matcher.match([t.topic], { maxResults: max, feedback: feedback[i] }).map((h) => ({ id: sourceId.get(h.paperId) ?? h.paperId, score: h.score, why: h.why }));
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
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

