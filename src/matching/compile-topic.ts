/**
 * Binds a parsed topic to one day's index: term ids, inverse document frequencies, phrase
 * occurrences, acronym alternatives and the near-pairs used for the proximity boost.
 */
import { Field, type CorpusIndex } from './corpus-index.js';
import type { Atom, Clause, ParsedTopic } from './query-parser.js';
import { isTextual } from './query-parser.js';

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
  idf: number;
  /** Added by the index (acronym ↔ spelled-out form), not typed by the subscriber. */
  derived: boolean;
}

export interface CompiledClause {
  alts: CompiledAlt[];
  weight: number;
  required: boolean;
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
export function phraseCount(index: CorpusIndex, doc: number, termIds: number[], offsets: number[], field: Field): number {
  const pos = index.docs[doc].positions[field];
  const first = pos.get(termIds[0]);
  if (!first) return 0;
  if (termIds.length === 1) return first.length;
  const rest = termIds.slice(1).map((t) => pos.get(t));
  if (rest.some((r) => !r)) return 0;
  let count = 0;
  outer: for (const p of first) {
    for (let k = 1; k < termIds.length; k++) {
      if (!binaryHas(rest[k - 1]!, p + offsets[k])) continue outer;
    }
    count++;
  }
  return count;
}

export function binaryHas(a: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return true;
    if (a[mid] < x) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}

const EMPTY_I = new Int32Array(0);
const EMPTY_F = new Float32Array(0);

export function compileAlt(index: CorpusIndex, terms: string[], offsets: number[], exact: boolean, titleOnly: boolean, surface: string, derived = false): CompiledAlt {
  const n = index.docs.length;
  const termIds = terms.map((t) => index.termIds.get(t) ?? -1);
  const base = { termIds, offsets, exact, titleOnly, surface, derived };
  if (termIds.some((t) => t < 0)) return { ...base, docs: EMPTY_I, titleTf: EMPTY_F, bodyTf: EMPTY_F, idf: idf(n, 0) };
  if (termIds.length === 1 && !titleOnly) {
    const p = index.postings[termIds[0]];
    return { ...base, docs: p.docs, titleTf: p.titleTf, bodyTf: p.bodyTf, idf: idf(n, p.docs.length) };
  }
  // Phrase (or title-only) occurrences: verify positions within the rarest term's postings.
  let rarest = termIds[0];
  for (const t of termIds) if (index.df[t] < index.df[rarest]) rarest = t;
  const docs: number[] = [];
  const ti: number[] = [];
  const bo: number[] = [];
  for (const d of index.postings[rarest].docs) {
    const inTitle = phraseCount(index, d, termIds, offsets, Field.Title);
    const inBody = titleOnly ? 0 : phraseCount(index, d, termIds, offsets, Field.Body);
    if (inTitle + inBody > 0) { docs.push(d); ti.push(inTitle); bo.push(inBody); }
  }
  return { ...base, docs: Int32Array.from(docs), titleTf: Float32Array.from(ti), bodyTf: Float32Array.from(bo), idf: idf(n, docs.length) };
}

function compileWords(index: CorpusIndex, a: Extract<Atom, { kind: 'words' }>): CompiledAlt {
  return compileAlt(index, a.terms, a.offsets, a.exact || a.titleOnly ? true : a.terms.length > 1, a.titleOnly, a.surface);
}

export function compileTopic(parsed: ParsedTopic, index: CorpusIndex, proximityWeight: number): CompiledTopic {
  const facets: CompiledFacet[] = [];
  for (let f = 0; f < parsed.facetCount; f++) {
    const clauses: CompiledClause[] = [];
    const source = parsed.clauses.filter((c) => isTextual(c) && c.facet === f);
    for (const c of source) {
      const alts = c.alternatives.map((a) => compileWords(index, a as Extract<Atom, { kind: 'words' }>));
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
      const weight = Math.max(...alts.filter((a) => !a.derived).map((a) => a.idf));
      clauses.push({ alts, weight, required: c.required });
    }
    mergeSpelledOutAcronyms(index, clauses);
    const pairs: CompiledPair[] = [];
    for (let k = 0; k + 1 < clauses.length; k++) {
      const a = clauses[k];
      const b = clauses[k + 1];
      if (a.required || b.required || a.alts[0].termIds.length !== 1 || b.alts[0].termIds.length !== 1) continue;
      if (a.alts[0].termIds[0] < 0 || b.alts[0].termIds[0] < 0) continue;
      pairs.push({ a: k, b: k + 1, weight: proximityWeight * (a.weight + b.weight) / 2 });
    }
    const maxScore = clauses.reduce((s, c) => s + c.weight, 0) + pairs.reduce((s, p) => s + p.weight, 0);
    if (clauses.length) facets.push({ clauses, pairs, maxScore });
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
