/**
 * The title names a paper's subject. In an English noun compound the last word is the head and the
 * words before it modify it, so a title that attaches the topic's own modifiers to a *different*
 * head ("Facial Expression *Generation*" for the topic facial expression *recognition*) says the
 * paper is about something else, even when the topic's head word turns up in its abstract
 * ("most of the literature addresses facial expression recognition; we generate …").
 */
import { Field, type IndexedDoc } from './corpus-index.js';

/**
 * True when the title holds the topic's modifier words in order as one compound (adjacent, or with
 * one stop word between as in text-to-speech), directly followed
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
  // Positions holding a (non-stop) word: a gap of one position is allowed only over a stop word.
  const occupied = new Set<number>();
  for (const ps of title.values()) for (const p of ps) occupied.add(p);
  const follows = (ps: Int32Array, p: number): number => (ps.includes(p + 1) ? p + 1 : !occupied.has(p + 1) && ps.includes(p + 2) ? p + 2 : -1);
  for (const p0 of first) {
    let p = p0;
    for (let k = 1; k < modifiers.length && p >= 0; k++) p = follows(title.get(modifiers[k])!, p);
    if (p >= 0 && occupied.has(p + 1)) return true;
  }
  return false;
}
