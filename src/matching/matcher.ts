/**
 * Walking-skeleton matcher: case-insensitive substring match of each topic in title or abstract.
 * Replaced by ranked retrieval (issue: topic matching). Keeps the public shape:
 *   validateTopic(topic) throws TopicSyntaxError;
 *   createMatcher(papers) builds an index once; matcher.match(topics, opts) → ranked hits.
 */
import { TopicSyntaxError, type MatchHit, type MatchOptions, type MatchPaper } from './types.js';

export function validateTopic(topic: string): void {
  const t = topic.trim();
  if (!t) throw new TopicSyntaxError('empty topic', 0, topic);
}

export interface Matcher {
  /** Rank the day's papers for one subscriber's topics; at most maxResults in total, best first. */
  match(topics: string[], options?: MatchOptions): MatchHit[];
}

export function createMatcher(papers: MatchPaper[]): Matcher {
  const docs = papers.map((p) => ({ p, title: p.title.toLowerCase(), abstract: p.abstract.toLowerCase() }));
  return {
    match(topics, options = {}) {
      const max = options.maxResults ?? 20;
      const hits: MatchHit[] = [];
      const seen = new Set<string>();
      topics.forEach((topic, topicIndex) => {
        const needle = topic.trim().toLowerCase();
        if (!needle) return;
        for (const d of docs) {
          if (seen.has(d.p.id)) continue;
          const inTitle = d.title.includes(needle);
          if (inTitle || d.abstract.includes(needle)) {
            seen.add(d.p.id);
            hits.push({
              paperId: d.p.id, topicIndex, topic, score: inTitle ? 2 : 1,
              why: `matched: "${topic.trim()}" in ${inTitle ? 'title' : 'abstract'}`,
            });
          }
        }
      });
      return hits.sort((a, b) => b.score - a.score || a.paperId.localeCompare(b.paperId)).slice(0, max);
    },
  };
}
