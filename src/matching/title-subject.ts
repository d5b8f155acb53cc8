/**
 * The title names a paper's subject. In an English noun compound the last word is the head and the
 * words before it modify it, so a title that attaches the topic's own modifiers to a *different*
 * head ("Facial Expression *Generation*" for the topic facial expression *recognition*) says the
 * paper is about something else, even when the topic's head word turns up in its abstract
 * ("most of the literature addresses facial expression recognition; we generate …").
 */
import { Field, type CorpusIndex, type FieldPositions, type IndexedDoc } from './corpus-index.js';
import { normalizeWord } from './tokenize.js';

/**
 * Nouns that name the kind of contribution, not its subject: "a neuro-symbolic *framework* for …",
 * "a facial expression *dataset*" are still about neuro-symbolic reasoning or facial expression
 * recognition. A title whose modifiers are followed by one of them is no conflict (a fixed list of
 * English words, as the stop words are).
 */
const SHELL_NOUNS = ['framework', 'approach', 'method', 'methodology', 'technique', 'paradigm', 'architecture', 'pipeline',
  'system', 'platform', 'toolkit', 'tool', 'library', 'model', 'perspective', 'study', 'survey', 'review', 'analysis',
  'benchmark', 'dataset', 'algorithm', 'strategy', 'scheme', 'solution'];

/**
 * Topic heads that name no subject: a shell noun ("EEG signal *analysis*", "diffusion *models*"), or
 * a field's own name for itself ("knot *theory*"). A topic ending in one is about its modifiers: a
 * paper about knots is about knot theory without saying "theory", so the head rule does not apply.
 */
const GENERIC_HEADS = new Set([...SHELL_NOUNS, 'theory'].map((w) => normalizeWord(w)!));
export const genericHead = (term: string): boolean => GENERIC_HEADS.has(term);

/** The index's term ids of the shell nouns (those some paper uses). */
export function shellTerms(index: CorpusIndex): Set<number> {
  const out = new Set<number>();
  for (const w of SHELL_NOUNS) {
    const id = index.termIds.get(normalizeWord(w)!);
    if (id !== undefined) out.add(id);
  }
  return out;
}

/**
 * True when the title holds the topic's modifier words in order as one compound (adjacent, or with
 * one stop word between as in text-to-speech), directly followed
 * by another word that is not a shell noun (`shell`, from shellTerms), and holds none of the head's forms. Only for two or more modifiers: a single
 * modifier ("reward" in reward models) combines with many heads that still mean the topic
 * ("reward signal", "reward hacking"); a multi-word modifier is a specific concept, and its
 * attachment to another head is telling.
 */
export function titleHeadConflict(doc: IndexedDoc, modifiers: number[], head: number[], shell: ReadonlySet<number> = new Set()): boolean {
  if (modifiers.length < 2) return false;
  const title = doc.positions[Field.Title];
  for (const h of head) if (title.has(h)) return false;
  const first = title.get(modifiers[0]);
  if (!first) return false;
  for (let k = 1; k < modifiers.length; k++) if (!title.has(modifiers[k])) return false;
  // Positions holding a (non-stop) word: a gap of one position is allowed only over a stop word.
  const occupied = new Set<number>();
  for (const p of title.allPositions()) occupied.add(p);
  const follows = (ps: Int32Array, p: number): number => (ps.includes(p + 1) ? p + 1 : !occupied.has(p + 1) && ps.includes(p + 2) ? p + 2 : -1);
  for (const p0 of first) {
    let p = p0;
    for (let k = 1; k < modifiers.length && p >= 0; k++) p = follows(title.get(modifiers[k])!, p);
    if (p >= 0 && occupied.has(p + 1) && !isShellAt(title, p + 1, shell)) return true;
  }
  return false;
}

function isShellAt(title: FieldPositions, pos: number, shell: ReadonlySet<number>): boolean {
  for (const t of shell) if (title.at(t, pos)) return true;
  return false;
}
