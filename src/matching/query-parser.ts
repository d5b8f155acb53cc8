/**
 * The topic language (see TOPIC_HELP in ./topic-help.ts):
 *   plain words or a sentence   ranked retrieval over title and abstract
 *   "exact phrase"              the paper must contain the phrase
 *   -word, -"phrase", -cat:…    the paper must not contain / match it (NOT word: the same)
 *   a OR b                      either (several ORs chain)
 *   cat:cs.LG, cat:cs.*         arXiv category (prefix with .*)
 *   au:"Yann LeCun", au:LeCun   author
 *   ti:word, ti:"phrase"        in the title
 *   a, b                        a list of short alternatives ("speech synthesis, TTS")
 * Parsing is pure and independent of the papers; the result is cached by the matcher.
 */
import { TopicSyntaxError } from './types.js';
import { nameWords } from './corpus-index.js';
import { foldText, tokenize } from './tokenize.js';
import { STOP_WORDS, TOPIC_FILLER_WORDS, TOPIC_PREAMBLE } from './stop-words.js';

export type Atom =
  /** One or more terms; `exact` means they must appear as a phrase (offsets give the word gaps). */
  | { kind: 'words'; terms: string[]; offsets: number[]; exact: boolean; titleOnly: boolean; surface: string; words: string[] }
  | { kind: 'category'; value: string; prefix: boolean; surface: string }
  | { kind: 'author'; words: string[]; surface: string };

export interface Clause {
  alternatives: Atom[];
  negated: boolean;
  /** A paper must satisfy it (quoted phrase, field filter); otherwise it only adds to the score. */
  required: boolean;
  /** Which comma-separated part of the topic it belongs to (filters and exclusions apply to all). */
  facet: number;
  /** 0-based position in the topic text. */
  start: number;
}

export interface ParsedTopic {
  text: string;
  clauses: Clause[];
  facetCount: number;
  /**
   * Acronyms the topic defines for itself, "controllable text generation (CTG)": the acronym is not
   * one more word of the topic but another name for the words before it (`run`, clauses of this
   * topic), so a paper that writes only the acronym covers them.
   */
  acronyms?: Array<{ term: string; surface: string; run: Clause[] }>;
}

export const MAX_TOPIC_LENGTH = 500;
/** A comma-separated list is read as alternatives only when every part is short (a list of keyphrases, not a sentence). */
const MAX_FACET_WORDS = 4;

type Item =
  | { type: 'atom'; atom: Atom; negated: boolean; hard: boolean; start: number; plainSplit: boolean }
  | { type: 'or'; start: number }
  /** A lower-case "or": joins single words ("sentiment, topic or style"), otherwise a stop word. */
  | { type: 'softor'; start: number }
  | { type: 'sep'; start: number };

const FIELD = /^(cat|category|au|author|ti|title):/i;
/** An arXiv category or archive (cs.LG, hep-th, math.*), any letter case: the filter compares lowercased. */
const CATEGORY = /^([a-z][a-z-]*)(?:\.([a-z][a-z-]*|\*))?$/i;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/**
 * `closed`: a hyphenated word opened by function words ("in-context", "off-policy") is its closed
 * form alone, as papers index it (tokenize.ts) — for phrases, ti:, exclusions and OR alternatives,
 * which match exactly. A plain word keeps its part and compile-topic binds the closed form to it.
 */
function wordsAtom(text: string, exact: boolean, titleOnly: boolean, surface: string, dropFiller = false, closed = false): Atom | null {
  let tokens = tokenize(text, { fused: closed });
  if (closed) {
    const fusedAt = new Set(tokens.filter((t) => t.fused).map((t) => t.pos));
    tokens = tokens.filter((t) => t.fused || !fusedAt.has(t.pos));
  }
  if (dropFiller) tokens = tokens.filter((t) => !TOPIC_FILLER_WORDS.has(t.surface.toLowerCase()));
  if (!tokens.length) return null;
  const base = tokens[0].pos;
  return {
    kind: 'words', terms: tokens.map((t) => t.term), offsets: tokens.map((t) => t.pos - base),
    exact: exact && tokens.length > 1, titleOnly, surface, words: tokens.map((t) => t.surface),
  };
}

export function parseTopic(text: string): ParsedTopic {
  if (text.length > MAX_TOPIC_LENGTH) {
    throw new TopicSyntaxError(`the topic is too long (at most ${MAX_TOPIC_LENGTH} characters)`, MAX_TOPIC_LENGTH, text);
  }
  if (!text.trim()) throw new TopicSyntaxError('the topic is empty', 0, text);
  const items: Item[] = [];
  const n = text.length;
  let i = 0;
  let preambleEnd = 0;
  for (let m = TOPIC_PREAMBLE.exec(text); m; m = TOPIC_PREAMBLE.exec(text.slice(preambleEnd))) preambleEnd += m[0].length;

  const readQuoted = (): { value: string; start: number } => {
    const start = i;
    const end = text.indexOf('"', i + 1);
    if (end === -1) throw new TopicSyntaxError('this quote is never closed', start, text);
    const value = text.slice(i + 1, end);
    if (!value.trim()) throw new TopicSyntaxError('empty quotes', start, text);
    i = end + 1;
    return { value, start };
  };
  const readBare = (): string => {
    const from = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '"' && text[i] !== ',' && text[i] !== ';') i++;
    return text.slice(from, i);
  };

  // An upper-case NOT excludes what follows it, as "-" does ("robotics NOT vision", as in PubMed or
  // arXiv's own search): read as two plain words it would have asked for the very thing excluded.
  let not: number | undefined;
  while (i < n) {
    const ch = text[i];
    if (isSpace(ch)) { i++; continue; }
    if (ch === ',' || ch === ';') {
      if (not !== undefined) throw new TopicSyntaxError('nothing to exclude after NOT', not, text);
      items.push({ type: 'sep', start: i }); i++; continue;
    }
    const notAt = not;
    const start = notAt ?? i; // an excluded item starts at its NOT or "-" (where an error points)
    let negated = notAt !== undefined;
    not = undefined;
    if (ch === '-' && !negated) {
      const next = text[i + 1];
      if (next === '-') { while (text[i] === '-') i++; continue; } // "--" is punctuation, not an exclusion
      if (next === undefined || isSpace(next) || next === ',' || next === ';') { i++; continue; }
      negated = true;
      i++;
    }
    const atomStart = i;
    const field = FIELD.exec(text.slice(i));
    if (field) {
      const name = field[1].toLowerCase();
      i += field[0].length;
      const valueStart = i;
      let value: string;
      let quoted = false;
      if (text[i] === '"') { value = readQuoted().value; quoted = true; } else value = readBare();
      if (!value.trim()) {
        throw new TopicSyntaxError(`${field[0]} needs a value right after the colon, e.g. ${
          name.startsWith('c') ? 'cat:cs.LG' : name.startsWith('a') ? 'au:"Yann LeCun"' : 'ti:transformer'}`, valueStart, text);
      }
      const surface = text.slice(atomStart, i);
      let atom: Atom | null;
      if (name === 'cat' || name === 'category') {
        const m = CATEGORY.exec(value.trim());
        if (quoted || !m) {
          throw new TopicSyntaxError(`"${value}" is not an arXiv category; write e.g. cat:cs.LG or cat:cs.*`, valueStart, text);
        }
        const prefix = m[2] === undefined || m[2] === '*';
        atom = { kind: 'category', value: (prefix ? m[1] : value.trim()).toLowerCase(), prefix, surface };
      } else if (name === 'au' || name === 'author') {
        // "LeCun, Yann" is written surname first: the matcher takes the last word as the surname.
        const comma = value.indexOf(',');
        const words = comma < 0 ? nameWords(value) : [...nameWords(value.slice(comma + 1)), ...nameWords(value.slice(0, comma))];
        if (!words.length) throw new TopicSyntaxError('the author name has no letters', valueStart, text);
        atom = { kind: 'author', words, surface };
      } else {
        atom = wordsAtom(value, true, true, surface, false, true);
        if (!atom) throw new TopicSyntaxError('ti: needs a word that is not a stop word (like "the")', valueStart, text);
        if (atom.kind === 'words' && atom.terms.length > 1) atom.exact = true;
      }
      items.push({ type: 'atom', atom, negated, hard: true, start, plainSplit: false });
      continue;
    }
    if (text[i] === '"') {
      const q = readQuoted();
      const atom = wordsAtom(q.value, true, false, `"${q.value.trim()}"`, false, true);
      if (!atom) throw new TopicSyntaxError('the phrase has only stop words (like "the", "of")', q.start, text);
      items.push({ type: 'atom', atom, negated, hard: true, start, plainSplit: false });
      continue;
    }
    const word = readBare();
    if (word === 'NOT' && !negated) { not = start; continue; }
    if (word === 'OR' && !negated) { items.push({ type: 'or', start }); continue; }
    if (word.toLowerCase() === 'or' && !negated) { items.push({ type: 'softor', start }); continue; }
    // How the subscriber opened the topic ("I am interested in papers about …") is not the topic.
    if (!negated && atomStart < preambleEnd) continue;
    const atom = wordsAtom(word, true, false, word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''), true, negated);
    if (!atom) {
      if (negated) throw new TopicSyntaxError(`nothing to exclude after ${notAt === undefined ? '"-"' : 'NOT'}`, start, text);
      continue; // punctuation or a stop word
    }
    if (!negated && atom.kind === 'words') {
      // A plain word is never a filter; hyphenated compounds stay together only inside OR.
      atom.exact = false;
    }
    items.push({ type: 'atom', atom, negated, hard: negated, start, plainSplit: !negated });
  }

  if (not !== undefined) throw new TopicSyntaxError('nothing to exclude after NOT', not, text);
  const grouped = joinWordLists(text, items);

  // Group "a OR b OR c" into one clause.
  const clauses: Clause[] = [];
  let facet = 0;
  for (let k = 0; k < grouped.length; k++) {
    const it = grouped[k];
    if (it.type === 'sep') {
      if (clauses.some((c) => c.facet === facet)) facet++;
      continue;
    }
    if (it.type === 'or') throw new TopicSyntaxError('OR needs a word, phrase or filter on each side', it.start, text);
    const group = [it];
    while (grouped[k + 1]?.type === 'or') {
      const orItem = grouped[k + 1];
      const next = grouped[k + 2];
      if (!next || next.type !== 'atom') throw new TopicSyntaxError('OR needs a word, phrase or filter on each side', orItem.start, text);
      group.push(next);
      k += 2;
    }
    if (group.length === 1) {
      const a = it.atom;
      if (it.plainSplit && a.kind === 'words') {
        // Each plain word is its own clause, so coverage counts every word of the topic; each keeps
        // its own position in the text ("self-supervised": self at 0, supervised at 5).
        const written = foldText(text.slice(it.start)).toLowerCase();
        let from = 0;
        a.terms.forEach((term, j) => {
          const at = written.indexOf(a.words[j].toLowerCase(), from);
          const start = at >= 0 ? it.start + at : it.start + (j === 0 ? 0 : 1);
          if (at >= 0) from = at + a.words[j].length;
          clauses.push({
            alternatives: [{ kind: 'words', terms: [term], offsets: [0], exact: false, titleOnly: false,
              surface: a.words[j], words: [a.words[j]] }],
            negated: false, required: false, facet, start,
          });
        });
      } else {
        clauses.push({ alternatives: [a], negated: it.negated, required: it.hard, facet, start: it.start });
      }
      continue;
    }
    const neg = group.find((g) => g.negated);
    if (neg) throw new TopicSyntaxError('an excluded term (-…) cannot be part of an OR', neg.start, text);
    const alternatives = group.map((g) => {
      // An alternative matches exactly: an opened compound ("in-context") is its closed form.
      const a = g.plainSplit && g.atom.kind === 'words' ? wordsAtom(g.atom.surface, true, false, g.atom.surface, true, true) ?? g.atom : g.atom;
      if (a.kind === 'words' && a.terms.length > 1) a.exact = true;
      return a;
    });
    clauses.push({ alternatives, negated: false, required: group.every((g) => g.hard), facet, start: it.start });
  }

  if (!clauses.length) {
    // Only stop words or one-letter words ("a", "x"): keep them as typed rather than refuse the topic;
    // they are not indexed, so such a topic simply matches nothing.
    const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
    words.forEach((m, j) => clauses.push({
      alternatives: [{ kind: 'words', terms: [m[0].toLowerCase()], offsets: [0], exact: false, titleOnly: false, surface: m[0], words: [m[0]] }],
      negated: false, required: false, facet: 0, start: m.index,
    }));
  }
  if (!clauses.some((c) => !c.negated)) {
    const at = clauses[0]?.start ?? 0;
    throw new TopicSyntaxError(clauses.length
      ? 'the topic only excludes; add what you want, e.g. "speech synthesis -music"'
      : 'the topic has no searchable words (only stop words or punctuation)', at, text);
  }
  const acronyms = definedAcronyms(text, clauses);
  // Keep the comma split only for a list of short keyphrases; a sentence with commas is one query.
  let facetCount = Math.max(1, new Set(clauses.filter(isTextual).map((c) => c.facet)).size);
  const perFacet = new Map<number, number>();
  for (const c of clauses) if (isTextual(c) && !c.required) perFacet.set(c.facet, (perFacet.get(c.facet) ?? 0) + 1);
  if (facetCount > 1 && [...perFacet.values()].some((v) => v > MAX_FACET_WORDS)) facetCount = 1;
  const facetIds = [...new Set(clauses.filter(isTextual).map((c) => c.facet))].sort((a, b) => a - b);
  for (const c of clauses) c.facet = facetCount === 1 ? 0 : Math.max(0, facetIds.indexOf(c.facet));
  return acronyms.length ? { text, clauses, facetCount, acronyms } : { text, clauses, facetCount };
}

/** An acronym as written: a capital, then letters or digits with at least two capitals in all ("CTG", "LLMs", "ViT", "3DGS"). */
const ACRONYM = /^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9][A-Za-z0-9]{1,9}$/;

/** Do the words, in order, spell the acronym, each giving the first one or more of its letters (stop words may give none)? */
function spells(acronym: string, words: string[], i = 0, w = 0): boolean {
  if (w === words.length) return i === acronym.length;
  const word = words[w];
  if (STOP_WORDS.has(word) && spells(acronym, words, i, w + 1)) return true;
  for (let k = 1; k <= word.length && i + k <= acronym.length; k++) {
    if (word[k - 1] !== acronym[i + k - 1]) break;
    if (spells(acronym, words, i + k, w + 1)) return true;
  }
  return false;
}

/**
 * Finds "words (ACRONYM)" in the topic, the acronym spelled by the words right before the
 * parenthesis; removes the acronym's own clause from `clauses` and returns each with the clauses of
 * the words it names.
 */
function definedAcronyms(text: string, clauses: Clause[]): NonNullable<ParsedTopic['acronyms']> {
  const out: NonNullable<ParsedTopic['acronyms']> = [];
  for (let k = clauses.length - 1; k >= 1; k--) {
    const c = clauses[k];
    const a = c.alternatives[0];
    if (c.negated || c.required || c.alternatives.length !== 1 || a.kind !== 'words' || a.terms.length !== 1) continue;
    if (text[c.start - 1] !== '(' || text[c.start + a.surface.length] !== ')' || !ACRONYM.test(a.surface)) continue;
    // A plural is written with a lower-case s: LLMs, RMs (3DGS keeps its S).
    const letters = foldText(a.surface).toLowerCase().slice(0, /[A-Z0-9]s$/.test(a.surface) ? -1 : undefined);
    // The words before the parenthesis, back to the previous comma, semicolon, parenthesis or quote.
    const before = text.slice(0, c.start - 1);
    const segmentStart = Math.max(...[',', ';', '(', ')', '"'].map((ch) => before.lastIndexOf(ch))) + 1;
    // (Not accent-folded: an index here must be one of the topic text, and the acronym is plain letters.)
    const words = [...before.slice(segmentStart).matchAll(/[\p{L}\p{N}]+/gu)];
    let runStart = -1;
    for (let n = 1; n <= Math.min(words.length, 8); n++) {
      const run = words.slice(-n);
      const lower = run.map((m) => m[0].toLowerCase());
      if (!STOP_WORDS.has(lower[0]) && spells(letters, lower)) runStart = segmentStart + run[0].index!;
    }
    if (runStart < 0) continue;
    const run = clauses.filter((r) => r !== c && !r.negated && r.start >= runStart && r.start < c.start - 1);
    if (!run.length || run.some((r) => r.required || r.alternatives.length !== 1 || r.alternatives[0].kind !== 'words')) continue;
    clauses.splice(k, 1);
    out.unshift({ term: a.terms[0], surface: a.surface, run });
  }
  return out;
}

/** A word that reads as a gerund ("detecting", "recognizing"): -ing and longer than "thing". */
export function isGerund(word: string): boolean {
  return word.length > 5 && /ing$/i.test(word);
}

/** A plain word written alone (one index term), not a phrase, filter or exclusion. */
function singleWord(it: Item | undefined): it is Extract<Item, { type: 'atom' }> {
  return it?.type === 'atom' && it.plainSplit && it.atom.kind === 'words' && it.atom.terms.length === 1;
}

/**
 * A lower-case "or" between two single words that end a phrase is a choice of words: "attributes
 * such as sentiment, topic or style", "reward models for RLHF or DPO". The list may run back over
 * commas through single words that are not part of a compound ("speech synthesis, TTS or voice"
 * keeps "speech synthesis" whole), also when a gerund takes the list as its objects ("detecting
 * depression, anxiety or stress"). The words become one clause with alternatives, as with OR, so a
 * paper needs one of them, not all. Any other lower-case "or" is a stop word ("speech or music
 * generation" is left as three words).
 */
function joinWordLists(text: string, items: Item[]): Array<Exclude<Item, { type: 'softor' }>> {
  const endOf = (it: Extract<Item, { type: 'atom' }>) => it.start + it.atom.surface.length;
  // The word starts a new phrase: stop words (not just spaces or hyphens) before it, or a gerund
  // whose object it is ("detecting depression, anxiety or stress": the list is what is detected).
  const startsPhrase = (k: number): boolean => {
    const prev = items[k - 1];
    if (prev?.type !== 'atom') return true;
    if (prev.atom.kind === 'words' && isGerund(prev.atom.surface)) return true;
    return /[\p{L}\p{N}]/u.test(text.slice(endOf(prev), items[k].start));
  };
  for (let k = 0; k < items.length; k++) {
    const it = items[k];
    if (it.type !== 'softor') continue;
    // The last word must end its phrase: "speech or music generation" is left alone.
    if (!singleWord(items[k - 1]) || !singleWord(items[k + 1]) || (items[k + 2]?.type === 'atom' && !startsPhrase(k + 2))) continue;
    items[k] = { type: 'or', start: it.start };
    let j = k - 1;
    while (startsPhrase(j) && items[j - 1]?.type === 'sep' && singleWord(items[j - 2]) && startsPhrase(j - 2)) {
      items[j - 1] = { type: 'or', start: items[j - 1].start };
      j -= 2;
    }
  }
  return items.filter((it): it is Exclude<Item, { type: 'softor' }> => it.type !== 'softor');
}

/** A clause that scores text (words or phrases) rather than filtering by category/author or excluding. */
export function isTextual(c: Clause): boolean {
  return !c.negated && c.alternatives.every((a) => a.kind === 'words');
}

