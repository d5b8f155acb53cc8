/**
 * Live preview: which papers of the most recent listing day would have matched these topics, with
 * the matcher's explanation. The day's papers and the matcher's index are cached for a short while
 * (they change once a day), so a keystroke costs one in-memory match.
 */
import type { PrismaClient } from '../db/prisma.js';
import { createMatcher, type Matcher } from '../matching/matcher.js';
import { DEFAULT_PARAMS } from '../matching/params.js';
import { dayWords, unusedTopicWords } from '../matching/topic-words.js';
import { CONTEXT_LOOKBACK_DAYS, toMatchPaper, type PaperRepository } from '../papers/paper-repository.js';
import type { MatchPaper } from '../matching/types.js';
import { MAX_TOPICS, topicError } from '../subscriptions/preferences.js';
import { safeUrl } from '../digest/templates.js';

export interface PreviewPaper extends MatchPaper {
  absUrl: string;
}

/** The papers listed on the most recent day any source listed papers (null day when there are none). */
export async function latestDayPapers(prisma: PrismaClient): Promise<{ day: string | null; papers: PreviewPaper[] }> {
  const latest = await prisma.paperListing.aggregate({ _max: { day: true } });
  const day = latest._max.day;
  if (!day) return { day: null, papers: [] };
  const rows = await prisma.paper.findMany({ where: { listings: { some: { day } } }, orderBy: { id: 'asc' } });
  return {
    day: day.toISOString().slice(0, 10),
    papers: rows.map((p) => ({
      id: p.id, title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories,
      aiKeywords: p.aiKeywords, aiSummary: p.aiSummary ?? undefined, hfUpvotes: p.hfUpvotes ?? undefined, absUrl: p.absUrl,
    })),
  };
}

export interface PreviewResult {
  /** The listing day the preview ran on (YYYY-MM-DD), null when no papers are stored yet. */
  day: string | null;
  papersThatDay: number;
  /** One entry per submitted topic, in order: null when fine, or why it cannot be used. */
  topicErrors: (string | null)[];
  /**
   * One entry per submitted topic, in order: the words or phrases of it, as typed, that no paper of
   * that day (or the earlier papers it is read with) uses — a misspelling, or a word the field does
   * not write; empty when every word is used or the topic cannot be used.
   */
  unusedWords: string[][];
  matches: { id: string; title: string; url: string; authors: string[]; topic: string; why: string }[];
}

export interface Preview {
  run(topics: string[], maxResults: number): Promise<PreviewResult>;
}

export function createPreview(deps: {
  prisma: PrismaClient;
  /** Earlier papers for a small day's matcher (`context`, docs/matching.md); without it the day is matched alone. */
  papers?: Pick<PaperRepository, 'listedBefore'>;
  cacheMs?: number;
  now?: () => number;
}): Preview {
  const cacheMs = deps.cacheMs ?? 60_000;
  const now = deps.now ?? Date.now;
  let cached: { at: number; load: Promise<{ day: string | null; papers: PreviewPaper[]; matcher: Matcher; byId: Map<string, PreviewPaper>; words: Set<string> }> } | undefined;

  const load = () => {
    if (!cached || now() - cached.at > cacheMs) {
      const entry = {
        at: now(),
        load: latestDayPapers(deps.prisma).then(async ({ day, papers }) => {
          const target = DEFAULT_PARAMS.contextPapers;
          const context = day && deps.papers && papers.length < target
            ? (await deps.papers.listedBefore(day, target, CONTEXT_LOOKBACK_DAYS)).map(toMatchPaper)
            : undefined;
          return {
            day, papers, matcher: createMatcher(papers, { context }), byId: new Map(papers.map((p) => [p.id, p])),
            words: dayWords([...papers, ...(context ?? [])]),
          };
        }),
      };
      entry.load.catch(() => { if (cached === entry) cached = undefined; });
      cached = entry;
    }
    return cached.load;
  };

  return {
    async run(topics, maxResults) {
      const list = topics.slice(0, MAX_TOPICS).map((t) => t.trim());
      const topicErrors = list.map((t) => (t ? topicError(t) : null));
      const usable = list.filter((t, i) => t && topicErrors[i] === null);
      const { day, papers, matcher, byId, words } = await load();
      const hits = usable.length ? matcher.match(usable, { maxResults }) : [];
      const unusedWords = list.map((t, i) => (day && t && topicErrors[i] === null ? unusedTopicWords(t, words) : []));
      return {
        day, papersThatDay: papers.length, topicErrors, unusedWords,
        matches: hits.map((h) => {
          const p = byId.get(h.paperId)!;
          return { id: p.id, title: p.title, url: safeUrl(p.absUrl), authors: p.authors?.slice(0, 5) ?? [], topic: h.topic, why: h.why };
        }),
      };
    },
  };
}
