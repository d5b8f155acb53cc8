/**
 * Text → terms. Lower-cases, folds accents, splits on anything that is not a letter or digit
 * (so "text-to-speech" gives text, to, speech), turns plural acronyms ("LLMs") into their singular,
 * drops stop words and stems the rest. Each term keeps its word position, counted over all words,
 * so phrases and proximity can be checked (stop words leave gaps of one).
 */
import { STOP_WORDS } from './stop-words.js';
import { stem } from './stemmer.js';

export interface Token {
  /** Stemmed term. */
  term: string;
  /** Word position in the text (stop words count). */
  pos: number;
  /** The word as written. */
  surface: string;
  /** The source side of an "X-to-Y" compound ("text" in text-to-speech): the input, not the subject. */
  source?: boolean;
}

/** Follows a word that is the source side of an "X-to-Y" compound (text-to-image, speech-to-text). */
const TO_COMPOUND = /^-to-[\p{L}\p{N}]/u;

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Normalise one written word to its index term, or null for a stop word / noise. */
export function normalizeWord(surface: string): string | null {
  let w = surface;
  if (/^[A-Z][A-Z0-9]*[A-Z]s$/.test(w)) w = w.slice(0, -1); // LLMs → LLM, GANs → GAN
  w = w.toLowerCase();
  if (w.endsWith("'s")) w = w.slice(0, -2);
  if (STOP_WORDS.has(w)) return null;
  if (w.length === 1 && !/\d/.test(w)) return null;
  return stem(w);
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  const folded = foldText(text);
  for (const m of folded.matchAll(WORD)) {
    const term = normalizeWord(m[0]);
    if (term !== null) {
      const end = m.index + m[0].length;
      if (TO_COMPOUND.test(folded.slice(end, end + 5))) out.push({ term, pos, surface: m[0], source: true });
      else out.push({ term, pos, surface: m[0] });
    }
    pos++;
  }
  return out;
}
