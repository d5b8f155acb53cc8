/**
 * The title names a paper's subject. In an English noun compound the last word is the head and the
 * words before it modify it, so a title that attaches the topic's own modifiers to a *different*
 * head ("Facial Expression *Generation*" for the topic facial expression *recognition*) says the
 * paper is about something else, even when the topic's head word turns up in its abstract
 * ("most of the literature addresses facial expression recognition; we generate …").
 */
import { Field, type IndexedDoc } from './corpus-index.js';

/**
 * True when the title holds the topic's modifier words in order as one compound (each within two
 * words of the previous, so a joined stop word as in text-to-speech is allowed), directly followed
 * by another word, and holds none of the head's forms. Only for two or more modifiers: a single
 * modifier ("reward" in reward models) combines with many heads that still mean the topic
 * ("reward signal", "reward hacking"); a multi-word modifier is a specific concept, and its
 * attachment to another head is telling.
 */
export function titleHeadConflict(doc: IndexedDoc, modifiers: number[], head: number[]): boolean {
  if (modifiers.length < 2) return false;
  const title = doc.positions[Field.Title];
  for (const h of head) if (title.has(h)) return false;
  const first = title.get(modifiers[0]);
  if (!first) return false;
  for (let k = 1; k < modifiers.length; k++) if (!title.has(modifiers[k])) return false;
  let occupied: Set<number> | null = null;
  for (const p0 of first) {
    let p = p0;
    let ok = true;
    for (let k = 1; k < modifiers.length && ok; k++) {
      const next = title.get(modifiers[k])!;
      if (next.includes(p + 1)) p += 1;
      else if (next.includes(p + 2)) p += 2;
      else ok = false;
    }
    if (!ok) continue;
    occupied ??= new Set([...title.values()].flatMap((ps) => [...ps]));
    if (occupied.has(p + 1)) return true;
  }
  return false;
}
