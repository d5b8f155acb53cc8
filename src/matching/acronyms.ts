/**
 * Acronyms defined in the papers themselves: "reinforcement learning from human feedback (RLHF)",
 * "text-to-speech (TTS)", "large language models (LLMs)". A topic that uses one form then also
 * matches the other. Learned from the day's papers, so it follows the field's vocabulary.
 */
import type { MatchPaper } from './types.js';
import { normalizeWord } from './tokenize.js';

const DEFINITION = /\(\s*([A-Z][A-Za-z0-9-]*?[A-Z0-9])s?\s*\)/g;
const SKIPPABLE = new Set(['of', 'for', 'from', 'to', 'and', 'the', 'in', 'on', 'with', 'a', 'by']);

/** Match the acronym's capital letters to the initials of the words just before it (scanning backwards). */
function expansionFor(acronym: string, before: string): string[] | null {
  const letters = acronym.replace(/[^A-Z]/g, '').toLowerCase();
  if (letters.length < 2) return null;
  const words = before.split(/[\s-]+/).filter(Boolean).slice(-(letters.length * 2 + 2));
  let li = letters.length - 1;
  let start = words.length;
  for (let wi = words.length - 1; wi >= 0 && li >= 0; wi--) {
    const w = words[wi].replace(/[^\p{L}\p{N}]/gu, '');
    if (!w) return null;
    const lw = w.toLowerCase();
    if (lw[0] === letters[li]) { li--; start = wi; continue; }
    if (SKIPPABLE.has(lw) && li < letters.length - 1) continue;
    return null;
  }
  if (li >= 0) return null;
  const terms = words.slice(start).map((w) => normalizeWord(w.replace(/[^\p{L}\p{N}]/gu, ''))).filter((t): t is string => !!t);
  return terms.length >= 2 ? terms : null;
}

export function findAcronymDefinitions(papers: MatchPaper[]): {
  acronyms: Map<string, string[]>;
  acronymOf: Map<string, string>;
} {
  const votes = new Map<string, Map<string, number>>();
  for (const p of papers) {
    for (const text of [p.title, p.abstract, p.aiSummary ?? '']) {
      for (const m of text.matchAll(DEFINITION)) {
        const before = text.slice(Math.max(0, m.index - 200), m.index);
        const exp = expansionFor(m[1], before);
        if (!exp) continue;
        const key = normalizeWord(m[1]);
        if (!key) continue;
        const v = votes.get(key) ?? new Map<string, number>();
        const e = exp.join(' ');
        v.set(e, (v.get(e) ?? 0) + 1);
        votes.set(key, v);
      }
    }
  }
  const acronyms = new Map<string, string[]>();
  const acronymOf = new Map<string, string>();
  for (const key of [...votes.keys()].sort()) {
    const best = [...votes.get(key)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    acronyms.set(key, best.split(' '));
    if (!acronymOf.has(best)) acronymOf.set(best, key);
  }
  return { acronyms, acronymOf };
}
