/**
 * Text → terms. Lower-cases, folds accents, splits on anything that is not a letter or digit
 * (so "text-to-speech" gives text, to, speech), turns plural acronyms ("LLMs") into their singular,
 * drops stop words and stems the rest. Each term keeps its word position, counted over all words,
 * so phrases and proximity can be checked (stop words leave gaps of one).
 *
 * A hyphenated word opened by function words ("in-context", "off-policy", "few-shot",
 * "out-of-distribution", "k-means") is one word whose first part changes its meaning: on-policy and
 * off-policy are opposites, few-shot is not zero-shot. The stop words alone would leave only
 * "context", "policy", "shot", "distribution", "means". With `fused`, the function words (or
 * one-letter parts) of a hyphenated word also give, with the content part after them, a closed form
 * (incontext, offpolicy, fewshot, outofdistribution, kmeans; also inside a longer word:
 * near-out-of-distribution) at the position of that part, beside it; function words with no
 * content part after them ("to-do") give only the closed form. Papers are indexed so; topics keep
 * the part and bind it in compile-topic.
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
  /** The closed form of a hyphenated word opened by function words (see above): not counted in a paper's length. */
  fused?: boolean;
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

/** A hyphen joining two parts of one word (hyphen-minus, Unicode hyphen, non-breaking hyphen). */
const HYPHEN = /[-\u2010\u2011]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

export function tokenize(text: string, options: { fused?: boolean } = {}): Token[] {
  const out: Token[] = [];
  let pos = 0;
  // "$k$-means" in LaTeX is k-means: a short formula opening a hyphenated word is its first part.
  const folded = options.fused ? foldText(text).replace(/\$([\p{L}\p{N}]{1,3})\$(?=[-\u2010\u2011][\p{L}\p{N}])/gu, '$1') : foldText(text);
  // The function words opening a hyphenated word, while its first content part is still to come.
  let opening: string[] | null = null;
  const close = (at: number) => {
    const term = opening && opening.length > 1 ? normalizeWord(opening.join('')) : null;
    if (term !== null) out.push({ term, pos: at, surface: opening!.join('-'), fused: true });
    opening = null;
  };
  for (const m of folded.matchAll(WORD)) {
    const end = m.index + m[0].length;
    const term = normalizeWord(m[0]);
    if (options.fused) {
      const hyphenAfter = HYPHEN.test(folded[end] ?? '') && WORD_CHAR.test(folded[end + 1] ?? '');
      if (opening !== null) {
        if (term === null) {
          opening.push(m[0]);
          if (!hyphenAfter) close(pos);
        } else {
          const fused = normalizeWord(opening.join('') + m[0]);
          if (fused !== null && fused !== term) out.push({ term: fused, pos, surface: `${opening.join('-')}-${m[0]}`, fused: true });
          opening = null;
        }
      } else if (term === null && hyphenAfter) {
        opening = [m[0]];
      }
    }
    if (term !== null) {
      if (TO_COMPOUND.test(folded.slice(end, end + 5))) out.push({ term, pos, surface: m[0], source: true });
      else out.push({ term, pos, surface: m[0] });
    }
    pos++;
  }
  if (opening !== null) close(pos - 1);
  return out;
}
