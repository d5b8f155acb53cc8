/**
 * Which words of a topic no paper of a day uses: a misspelt word ("symbolic regresion") or one the
 * field does not write makes a topic select nothing, day after day, so the live preview says so
 * while the subscriber types. Pure: the day's words come in as a set (dayWords).
 */
import type { MatchPaper } from './types.js';
import { parseTopic } from './query-parser.js';
import { tokenize } from './tokenize.js';
import { bodyParts } from './corpus-index.js';

/** Every index term of the papers, from the same fields the matcher reads (title, abstract, HF summary and keywords). */
export function dayWords(papers: Iterable<MatchPaper>): Set<string> {
  const out = new Set<string>();
  for (const p of papers) {
    for (const part of [p.title, ...bodyParts(p)]) {
      if (part) for (const t of tokenize(part)) out.add(t.term);
    }
  }
  return out;
}

/**
 * The words or phrases of the topic, as typed, that none of the papers uses: of each wanted word,
 * phrase or OR list, those with a word no paper has (an OR list only when none of its choices is
 * used). Exclusions and filters are not words of the topic. A topic that cannot be parsed has none.
 */
export function unusedTopicWords(topic: string, words: ReadonlySet<string>): string[] {
  let parsed;
  try { parsed = parseTopic(topic); } catch { return []; }
  const out: string[] = [];
  for (const c of parsed.clauses) {
    if (c.negated) continue;
    const alts = c.alternatives.filter((a) => a.kind === 'words');
    if (!alts.length || alts.length !== c.alternatives.length) continue;
    const missing = alts.filter((a) => a.kind === 'words' && a.terms.some((t) => !words.has(t)));
    if (missing.length === alts.length) for (const a of missing) if (!out.includes(a.surface)) out.push(a.surface);
  }
  return out;
}
