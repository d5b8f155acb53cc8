/**
 * Binds a parsed topic to one day's index: term ids, inverse document frequencies, phrase
 * occurrences, acronym alternatives and the near-pairs used for the proximity boost.
 */
import { Field, sortedIndexOf, type CorpusIndex } from './corpus-index.js';
import type { Atom, Clause, ParsedTopic } from './query-parser.js';
import { isGerund, isTextual } from './query-parser.js';
import { foldText, normalizeWord } from './tokenize.js';
import type { SemanticSpace } from './semantic-space.js';
import { genericHead } from './title-subject.js';

export interface ExpansionOptions {
  space: SemanticSpace;
  weight: number;
  minSim: number;
  terms: number;
  /** Cache of neighbours per term id for the day. */
  cache: Map<number, Array<{ termId: number; sim: number }>>;
}

export interface CompiledAlt {
  /** Term ids (−1: the term does not occur in today's papers). */
  termIds: number[];
  offsets: number[];
  exact: boolean;
  titleOnly: boolean;
  surface: string;
  /** Docs containing the alternative with their per-field frequencies. */
  docs: Int32Array;
  titleTf: Float32Array;
  bodyTf: Float32Array;
  /** Per doc: 1 when the alternative (its first word) occurs in the abstract's lead. */
  lead: Uint8Array;
  idf: number;
  /** Added by the index (acronym ↔ spelled-out form), not typed by the subscriber. */
  derived: boolean;
  /** > 0: a related word learned from the corpus, with this similarity (its weight and coverage credit). */
  semantic: number;
  /** Share of the clause's weight and concept credit an occurrence gives (1; less for the bare part of an opened compound, see bindOpenedCompound). */
  credit: number;
  /** The closed form of a hyphenated word opened by function words, as typed ("in-context"; see bindOpenedCompound). */
  opened?: boolean;
}

export interface CompiledClause {
  alts: CompiledAlt[];
  weight: number;
  required: boolean;
  /** The head word of a short noun-phrase topic (see headClause). */
  head?: boolean;
  /** A word of the object of the topic's preposition (see objectClauses). */
  object?: boolean;
  /** The topic's distinctive word (see rareClause). */
  rare?: boolean;
  /** Any other word of a topic that has a head: a paper needs one of them besides the head (headOnlyFactor). */
  modifier?: boolean;
}

export interface CompiledPair {
  a: number; // clause indexes within the facet
  b: number;
  weight: number;
}

export interface CompiledFacet {
  clauses: CompiledClause[];
  pairs: CompiledPair[];
  /** Sum of all weights: the best score a paper could reach. */
  maxScore: number;
  /** Sum of the clause weights (the topic's IDF mass, for concept coverage). */
  conceptMass: number;
  /** With a head: term ids of the words before it in its compound, and of the head's forms (see title-subject.ts). */
  modifierTerms?: number[];
  headTerms?: number[];
}

export interface CompiledTopic {
  facets: CompiledFacet[];
  /** Non-textual clauses (category/author/mixed) a paper must satisfy. */
  filters: Clause[];
  /** Excluded clauses. */
  exclusions: Clause[];
  /** Exclusions of words, compiled. */
  excludedAlts: CompiledAlt[];
}

export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Occurrences of an exact phrase (or single term) per field in one doc. */
export function phraseCount(index: CorpusIndex, doc: number, termIds: number[], offsets: number[], field: Field, loose = false): number {
  const pos = index.docs[doc].positions[field];
  if (termIds.length === 1) return pos.count(termIds[0]);
  for (const t of termIds) if (!pos.has(t)) return 0;
  let count = 0;
  outer: for (const p of pos.get(termIds[0])!) {
    let prev = p;
    for (let k = 1; k < termIds.length; k++) {
      if (loose) {
        // Spelled-out acronyms: each word within 2 positions of the previous (a stop word between).
        if (pos.at(termIds[k], prev + 1)) prev += 1;
        else if (pos.at(termIds[k], prev + 2)) prev += 2;
        else continue outer;
      } else if (!pos.at(termIds[k], p + offsets[k])) continue outer;
    }
    count++;
  }
  return count;
}

export function binaryHas(a: Int32Array, x: number): boolean {
  return sortedIndexOf(a, x) >= 0;
}

const EMPTY_I = new Int32Array(0);
const EMPTY_F = new Float32Array(0);
const EMPTY_U = new Uint8Array(0);

/**
 * `sourceWeight` < 1: occurrences of a single word as the source side of an "X-to-Y" compound
 * ("text" in text-to-image: the input modality, not what the paper is about) count only this much.
 */
export function compileAlt(index: CorpusIndex, terms: string[], offsets: number[], exact: boolean, titleOnly: boolean, surface: string, derived = false, sourceWeight = 1): CompiledAlt {
  const n = index.docs.length;
  const termIds = terms.map((t) => index.termIds.get(t) ?? -1);
  const base = { termIds, offsets, exact, titleOnly, surface, derived, semantic: 0, credit: 1 };
  if (termIds.some((t) => t < 0)) return { ...base, docs: EMPTY_I, titleTf: EMPTY_F, bodyTf: EMPTY_F, lead: EMPTY_U, idf: idf(n, 0) };
  if (termIds.length === 1 && !titleOnly) {
    const p = index.postings[termIds[0]];
    if (sourceWeight < 1 && p.titleSrc && p.bodySrc) {
      const ts = p.titleSrc;
      const bs = p.bodySrc;
      const titleTf = Float32Array.from(p.titleTf, (tf, i) => tf - (1 - sourceWeight) * ts[i]);
      const bodyTf = Float32Array.from(p.bodyTf, (tf, i) => tf - (1 - sourceWeight) * bs[i]);
      return { ...base, docs: p.docs, titleTf, bodyTf, lead: p.lead, idf: idf(n, p.docs.length) };
    }
    return { ...base, docs: p.docs, titleTf: p.titleTf, bodyTf: p.bodyTf, lead: p.lead, idf: idf(n, p.docs.length) };
  }
  // Phrase (or title-only) occurrences: verify positions within the rarest term's postings.
  let rarest = termIds[0];
  for (const t of termIds) if (index.df[t] < index.df[rarest]) rarest = t;
  const docs: number[] = [];
  const ti: number[] = [];
  const bo: number[] = [];
  const lead: number[] = [];
  for (const d of index.postings[rarest].docs) {
    const inTitle = phraseCount(index, d, termIds, offsets, Field.Title, derived);
    const inBody = titleOnly ? 0 : phraseCount(index, d, termIds, offsets, Field.Body, derived);
    if (inTitle + inBody > 0) {
      docs.push(d); ti.push(inTitle); bo.push(inBody);
      const first = index.docs[d].positions[Field.Body].get(termIds[0]);
      lead.push(first && first[0] < index.docs[d].leadEnd ? 1 : 0);
    }
  }
  return { ...base, docs: Int32Array.from(docs), titleTf: Float32Array.from(ti), bodyTf: Float32Array.from(bo), lead: Uint8Array.from(lead), idf: idf(n, docs.length) };
}

function compileWords(index: CorpusIndex, a: Extract<Atom, { kind: 'words' }>, sourceWeight = 1): CompiledAlt {
  return compileAlt(index, a.terms, a.offsets, a.exact || a.titleOnly ? true : a.terms.length > 1, a.titleOnly, a.surface, false, sourceWeight);
}

/** Is the clause's word written as the source side of an "X-to-Y" compound in the topic itself? */
function sourceInTopic(parsed: ParsedTopic, c: Clause): boolean {
  const a = c.alternatives[0];
  if (c.alternatives.length !== 1 || a.kind !== 'words' || a.terms.length !== 1) return false;
  const end = c.start + a.words[0].length;
  return /^-to-[\p{L}\p{N}]/u.test(foldText(parsed.text.slice(end, end + 5)));
}

type WordsAtom = Extract<Atom, { kind: 'words' }>;

/** The clause's one plain word (not required, no OR, a single term), or null. */
function plainWord(c: Clause): WordsAtom | null {
  const a = c.alternatives[0];
  return !c.required && c.alternatives.length === 1 && a.kind === 'words' && a.terms.length === 1 ? a : null;
}

/** A word of digits only: a version or a number, meaningless apart from the word it is written with. */
const NUMBER = /^\d+$/;

/**
 * A number written next to a word of the topic ("GPT-4", "Llama 3", "COVID-19", "4-bit") counts
 * only where a paper writes it next to that word, not wherever the number occurs ("39.4%",
 * "CC-BY-4.0"). Returns the clause's alternative for the number with the occurrences of the pair
 * (its term stays the number's, so proximity and explanations read it as before), or null when
 * the clause is no such number. The word before the number is preferred ("Llama 3 8B": Llama).
 */
function boundNumber(parsed: ParsedTopic, source: Clause[], k: number, index: CorpusIndex): CompiledAlt | null {
  const num = plainWord(source[k]);
  if (!num || !NUMBER.test(num.terms[0])) return null;
  const beside = (j: number): WordsAtom | null => {
    const w = j >= 0 && j < source.length ? plainWord(source[j]) : null;
    if (!w || NUMBER.test(w.terms[0])) return null;
    const [a, b] = j < k ? [source[j], source[k]] : [source[k], source[j]];
    return /^(?:\s+|-)$/.test(gapBetween(parsed, a, b)) ? w : null;
  };
  const before = beside(k - 1);
  const after = before ? null : beside(k + 1);
  if (!before && !after) return null;
  const terms = before ? [before.terms[0], num.terms[0]] : [num.terms[0], after!.terms[0]];
  const pair = compileAlt(index, terms, [0, 1], true, false, num.surface);
  return { ...pair, termIds: [index.termIds.get(num.terms[0]) ?? -1], offsets: [0], exact: false };
}

/** The text between two clauses of the topic. */
function gapBetween(parsed: ParsedTopic, a: Clause, b: Clause): string {
  return parsed.text.slice(a.start + (a.alternatives[0] as WordsAtom).surface.length, b.start);
}

/**
 * Adjacent words of one compound: only spaces or hyphens between, or stop words joined by hyphens
 * inside it ("text-to-speech", "LLM-as-a-judge").
 */
const ADJACENT = /^(?:[\s-]|(?<=-)\p{L}+(?=-))*$/u;

/**
 * The head of a short noun phrase: English compounds are right-headed, so in "facial expression
 * recognition" the paper must be about recognition (of facial expressions), not generation. The
 * head is the last word of the facet's first run of adjacent plain words ("reward models for RLHF"
 * → models); only for short facets (keyphrases, not sentences). Returns the clause index or −1.
 */
export function headClause(parsed: ParsedTopic, source: Clause[], maxWords: number): number {
  if (source.length < 2 || source.length > maxWords) return -1;
  if (!plainWord(source[0])) return -1;
  let k = 0;
  while (k + 1 < source.length && plainWord(source[k + 1])) {
    if (!ADJACENT.test(gapBetween(parsed, source[k], source[k + 1]))) break;
    k++;
  }
  return k > 0 ? k : -1;
}

/** Prepositions that attach an object restricting a short topic ("… for LLM agents", "… in conversations"). */
const PREPOSITIONS = new Set(['for', 'in', 'of', 'on', 'with', 'from', 'to', 'under', 'via', 'over', 'across', 'between', 'into', 'within', 'towards', 'toward', 'at', 'by', 'about']);

/**
 * The object of a short topic's preposition: in "emotion recognition in conversations",
 * "reinforcement learning for LLM agents", "AI for clinical decision support", the words after the
 * preposition that follows the first run of adjacent words say which kind of the first run's thing
 * is meant. Returns their clause indexes (empty for sentences, topics without such a preposition,
 * or objects with quoted phrases or OR lists).
 */
export function objectClauses(parsed: ParsedTopic, source: Clause[], maxWords: number): number[] {
  if (source.length < 2 || source.length > maxWords) return [];
  for (let k = 0; k + 1 < source.length; k++) {
    if (!plainWord(source[k]) || !plainWord(source[k + 1])) return [];
    const gap = gapBetween(parsed, source[k], source[k + 1]);
    if (ADJACENT.test(gap)) continue;
    const m = /^\s+(\p{L}+)\s+$/u.exec(gap);
    if (!m || !PREPOSITIONS.has(m[1].toLowerCase())) return [];
    const rest = source.slice(k + 1);
    return rest.every((c) => plainWord(c)) ? rest.map((_, i) => k + 1 + i) : [];
  }
  return [];
}

/**
 * Gerunds that say how research is done, not what it is about ("improving …", "training …").
 */
const GENERIC_GERUNDS = new Set(`
improving enhancing boosting training using applying developing building making designing studying
understanding analyzing analysing evaluating exploring investigating leveraging scaling learning modeling
modelling finding solving measuring benchmarking advancing addressing combining comparing creating
extending integrating optimizing optimising reducing achieving enabling supporting`.trim().split(/\s+/));

/**
 * The opening gerund of a sentence topic (more than `minWords` words). "task": it names what the
 * subscriber wants done ("recognizing facial expressions from …", "steering the behaviour of …"),
 * as the head names it in a keyphrase. "generic": it only says how research is done ("using large
 * language models for …", "improving …") and names no task; it stays one of the topic's words
 * (dropping it was measured: no gain). null: the topic does not open with a gerund.
 */
export function openingGerund(source: Clause[], minWords: number): 'task' | 'generic' | null {
  if (source.length <= minWords) return null;
  const first = source[0];
  const a = first.alternatives[0];
  if (first.required || first.alternatives.length !== 1 || a.kind !== 'words' || a.terms.length !== 1) return null;
  const word = a.words[0].toLowerCase();
  if (!isGerund(word)) return null;
  return GENERIC_GERUNDS.has(word) ? 'generic' : 'task';
}

/** Does the sentence's opening gerund have a second task gerund joined by "and"/"or" ("detecting and defending …")? */
function coordinatedGerund(parsed: ParsedTopic, source: Clause[]): boolean {
  if (source.length < 2) return false;
  const [first, second] = source;
  const a = first.alternatives[0] as Extract<Atom, { kind: 'words' }>;
  const b = second.alternatives[0];
  if (second.required || second.alternatives.length !== 1 || b.kind !== 'words' || b.terms.length !== 1) return false;
  const word = b.words[0].toLowerCase();
  if (!isGerund(word) || GENERIC_GERUNDS.has(word)) return false;
  return /^\s+(?:and|or)\s+$/i.test(parsed.text.slice(first.start + a.surface.length, second.start));
}

/**
 * The topic's distinctive word: in a topic of three or more words, the one whose IDF is at least
 * `ratio` × every other's ("hand" in 3D hand reconstruction from a single image) — what sets the
 * topic apart from the neighbourhood its common words describe. A word no paper of the day uses is
 * distinctive too: every paper misses it ("quantum" of quantum error correction on a day of AI papers).
 */
function rareClause(clauses: CompiledClause[], ratio: number): number {
  const plain = clauses.map((c, i) => ({ c, i })).filter(({ c }) => !c.required);
  if (plain.length < 3) return -1;
  plain.sort((x, y) => y.c.weight - x.c.weight);
  const [first, second] = plain;
  if (first.c.weight < ratio * second.c.weight) return -1;
  return first.i;
}

export function compileTopic(parsed: ParsedTopic, index: CorpusIndex, proximityWeight: number, expansion?: ExpansionOptions, sourceWeight = 1, rareRatio = 0, openedCredit = 1): CompiledTopic {
  const facets: CompiledFacet[] = [];
  for (let f = 0; f < parsed.facetCount; f++) {
    const clauses: CompiledClause[] = [];
    const source = parsed.clauses.filter((c) => isTextual(c) && c.facet === f);
    const opening = parsed.facetCount === 1 ? openingGerund(source, 4) : null;
    for (const [k, c] of source.entries()) {
      // A topic that itself says "text-to-speech" means the source side too.
      const sw = sourceInTopic(parsed, c) ? 1 : sourceWeight;
      const bound = boundNumber(parsed, source, k, index);
      const alts = bound ? [bound] : c.alternatives.map((a) => compileWords(index, a as Extract<Atom, { kind: 'words' }>, sw));
      // A plain acronym also matches its spelled-out form from today's papers, and vice versa.
      if (!c.required && alts.length === 1 && alts[0].termIds.length === 1) {
        const term = (c.alternatives[0] as Extract<Atom, { kind: 'words' }>).terms[0];
        const exp = index.acronyms.get(term);
        if (exp) {
          const ids = exp.map((t) => index.termIds.get(t) ?? -1);
          const surface = ids.map((id, k) => (id >= 0 ? index.surface(id) : exp[k])).join(' ');
          alts.push(compileAlt(index, exp, exp.map((_, k) => k), true, false, surface, true));
        }
      }
      // The word as typed is an opened compound's: its weight is the compound's (in-context is rarer than context).
      const opened = bindOpenedCompound(parsed, index, c, alts, openedCredit);
      const weight = Math.max(opened?.idf ?? 0, ...alts.filter((a) => !a.derived).map((a) => a.idf));
      clauses.push({ alts, weight, required: c.required });
    }
    // A generic head ("knot theory", "EEG signal analysis") leaves the topic to its modifiers: no head rule, no title conflict.
    const h0 = opening === 'task' ? 0 : headClause(parsed, source, 4);
    const h = h0 >= 0 && genericHead((source[h0].alternatives[0] as WordsAtom).terms[0]) ? -1 : h0;
    if (h >= 0) clauses[h].head = true;
    // The object of a short topic's preposition: a paper needs one of its words (objectMissingFactor).
    if (opening === null) for (const o of objectClauses(parsed, source, 4)) clauses[o].object = true;
    // Coordinated task gerunds ("detecting and defending against …"): either one names the task.
    if (opening === 'task' && coordinatedGerund(parsed, source)) clauses[1].head = true;
    // The head alone names only the kind of work ("attacks" of backdoor attacks): the other words say what about.
    if (h >= 0) for (const c of clauses) if (!c.head && !c.required) c.modifier = true;
    // "controllable text generation (CTG)": the topic's own acronym is another name for its words.
    for (const def of parsed.acronyms ?? []) {
      const at = def.run.map((c) => source.indexOf(c));
      if (at.some((k) => k < 0)) continue;
      // Unless the day's papers define it as something else (SR: super-resolution, not symbolic regression).
      const theirs = index.acronyms.get(def.term);
      const ours = def.run.map((c) => (c.alternatives[0] as WordsAtom).terms.join(' ')).join(' ');
      if (theirs && theirs.join(' ') !== ours) continue;
      // Defined the same way by the day's papers: mergeSpelledOutAcronyms adds it, as for the words alone.
      if (index.acronymOf.get(ours) === def.term) continue;
      const id = index.termIds.get(def.term) ?? -1;
      for (const k of at) if (!clauses[k].alts.some((a) => a.termIds.length === 1 && a.termIds[0] === id && id >= 0)) clauses[k].alts.push(compileAlt(index, [def.term], [0], false, false, def.surface, true));
    }
    mergeSpelledOutAcronyms(index, clauses);
    mergeClosedCompounds(parsed, index, source, clauses);
    if (expansion && expansion.weight > 0 && expansion.space.dims > 0) expandClauses(index, clauses, expansion);
    if (rareRatio > 0) { const r = rareClause(clauses, rareRatio); if (r >= 0) clauses[r].rare = true; }
    const pairs: CompiledPair[] = [];
    for (let k = 0; k + 1 < clauses.length; k++) {
      const a = clauses[k];
      const b = clauses[k + 1];
      if (a.required || b.required || a.alts[0].termIds.length !== 1 || b.alts[0].termIds.length !== 1) continue;
      if (a.alts[0].termIds[0] < 0 || b.alts[0].termIds[0] < 0) continue;
      pairs.push({ a: k, b: k + 1, weight: proximityWeight * (a.weight + b.weight) / 2 });
    }
    const maxScore = clauses.reduce((s, c) => s + c.weight, 0) + pairs.reduce((s, p) => s + p.weight, 0);
    const conceptMass = clauses.reduce((s, c) => s + c.weight, 0);
    const facet: CompiledFacet = { clauses, pairs, maxScore, conceptMass };
    if (h >= 2) {
      const modifierTerms = clauses.slice(0, h).map((c) => c.alts[0].termIds[0]);
      const headTerms = clauses[h].alts.filter((a) => a.termIds.length === 1 && a.termIds[0] >= 0).map((a) => a.termIds[0]);
      if (modifierTerms.every((t) => t >= 0)) Object.assign(facet, { modifierTerms, headTerms });
    }
    if (clauses.length) facets.push(facet);
  }
  const exclusions = parsed.clauses.filter((c) => c.negated);
  const excludedAlts = exclusions.flatMap((c) => c.alternatives.filter((a) => a.kind === 'words')
    .map((a) => compileWords(index, a as Extract<Atom, { kind: 'words' }>)));
  return {
    facets,
    filters: parsed.clauses.filter((c) => !c.negated && !isTextual(c)),
    exclusions,
    excludedAlts,
  };
}

/**
 * "reinforcement learning from human feedback" typed out: when consecutive plain words spell an
 * acronym's definition, add the acronym as an alternative of the run's rarest word... kept simple:
 * the acronym is added as an alternative to every clause of the run, so papers that only use the
 * short form still cover the whole run.
 */
function mergeSpelledOutAcronyms(index: CorpusIndex, clauses: CompiledClause[]): void {
  if (!index.acronymOf.size) return;
  const single = clauses.map((c) => (c.required || c.alts[0].termIds.length !== 1 ? null : index.terms[c.alts[0].termIds[0]] ?? null));
  for (let s = 0; s < clauses.length; s++) {
    for (let e = Math.min(clauses.length, s + 8); e >= s + 2; e--) {
      const run = single.slice(s, e);
      if (run.some((t) => t === null)) continue;
      const acronym = index.acronymOf.get(run.join(' '));
      if (!acronym) continue;
      for (let k = s; k < e; k++) {
        clauses[k].alts.push(compileAlt(index, [acronym], [0], false, false, acronym, true));
      }
      s = e - 1;
      break;
    }
  }
}

/**
 * A hyphenated word of the topic opened by function words ("in-context", "off-policy", "few-shot",
 * "out-of-distribution", "k-means") means that word, not its last part: on-policy papers are not
 * off-policy ones, zero-shot is not few-shot. Papers are indexed with its closed form (tokenize.ts:
 * incontext, offpolicy, fewshot). The clause keeps its part ("context", first, so acronyms, heads
 * and proximity read it as before) at `credit` of its weight, and gets the closed form as an
 * alternative at full weight: a paper that writes the compound covers the word, one that has only the
 * part covers `credit` of it (and misses it as a head, object or distinctive word).
 */
function bindOpenedCompound(parsed: ParsedTopic, index: CorpusIndex, c: Clause, alts: CompiledAlt[], credit: number): CompiledAlt | null {
  const a = plainWord(c);
  if (!a || credit >= 1 || alts.length !== 1) return null;
  const before = foldText(parsed.text.slice(0, c.start));
  const m = /(?:^|[^\p{L}\p{N}\-\u2010\u2011])((?:[\p{L}\p{N}]+[-\u2010\u2011])+)$/u.exec(before);
  if (!m) return null;
  const parts = m[1].split(/[-\u2010\u2011]/).filter(Boolean);
  if (parts.some((w) => normalizeWord(w) !== null)) return null;
  const closed = normalizeWord(parts.join('') + a.words[0]);
  if (!closed || closed === a.terms[0]) return null;
  const opened: CompiledAlt = { ...compileAlt(index, [closed], [0], false, false, `${parts.join('-')}-${a.words[0]}`, true), opened: true };
  alts[0] = { ...alts[0], credit };
  alts.push(opened);
  return opened;
}

/**
 * A hyphenated compound of the topic is also written closed: "neuro-symbolic" / "neurosymbolic",
 * "multi-agent" / "multiagent", "pre-training" / "pretraining". When the day's papers use the closed
 * form, it is added as an alternative to both words of the hyphenated pair, so those papers cover it
 * (an orthographic fact of English, like the word forms).
 */
function mergeClosedCompounds(parsed: ParsedTopic, index: CorpusIndex, source: Clause[], clauses: CompiledClause[]): void {
  if (source.length !== clauses.length) return;
  for (let k = 0; k + 1 < source.length; k++) {
    const a = plainWord(source[k]);
    const b = plainWord(source[k + 1]);
    if (!a || !b || gapBetween(parsed, source[k], source[k + 1]) !== '-') continue;
    const closed = normalizeWord(a.surface + b.surface);
    if (!closed || !index.termIds.has(closed)) continue;
    const surface = index.surface(index.termIds.get(closed)!);
    for (const c of [clauses[k], clauses[k + 1]]) c.alts.push(compileAlt(index, [closed], [0], false, false, surface, true));
  }
}

/** Words the semantic space finds close to a plain topic word join it as weaker alternatives. */
function expandClauses(index: CorpusIndex, clauses: CompiledClause[], ex: ExpansionOptions): void {
  const typed = new Set<number>();
  for (const c of clauses) for (const a of c.alts) for (const t of a.termIds) typed.add(t);
  for (const c of clauses) {
    if (c.required || c.alts.length !== 1 || c.alts[0].termIds.length !== 1 || c.alts[0].termIds[0] < 0) continue;
    const t = c.alts[0].termIds[0];
    let nb = ex.cache.get(t);
    if (!nb) { nb = ex.space.neighbors(t, ex.terms, ex.minSim); ex.cache.set(t, nb); }
    for (const { termId, sim } of nb) {
      if (typed.has(termId)) continue;
      const alt = compileAlt(index, [index.terms[termId]], [0], false, false, index.surface(termId), true);
      alt.semantic = ex.weight * sim;
      c.alts.push(alt);
    }
  }
}
