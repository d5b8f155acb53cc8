/**
 * The index over one day's papers, built once per matcher: term dictionary, postings with
 * per-field term frequencies, per-document term positions (for phrases and proximity), document
 * vectors (for pseudo-relevance feedback), acronym definitions found in the papers themselves,
 * and the commonest written form of each term (for explanations).
 */
import type { MatchPaper } from './types.js';
import { foldText, tokenize, type Token } from './tokenize.js';
import { findAcronymDefinitions } from './acronyms.js';

export const enum Field { Title = 0, Body = 1 }

export interface Posting {
  docs: Int32Array;
  titleTf: Float32Array;
  bodyTf: Float32Array;
  /** Per doc, how many of those occurrences are the source side of an "X-to-Y" compound (null: none). */
  titleSrc: Float32Array | null;
  bodySrc: Float32Array | null;
  /** Per doc: 1 when the term occurs in the abstract's lead (its first two sentences). */
  lead: Uint8Array;
  /**
   * The positions again, term by term: the i-th doc's title positions are
   * titlePos[titleOff[i] … titleOff[i + 1]), ascending; the same for the body. The proximity pairs
   * read them here, beside the term counts, instead of in each paper's maps.
   */
  titlePos: Int32Array;
  titleOff: Int32Array;
  bodyPos: Int32Array;
  bodyOff: Int32Array;
}

/** Index of x in the ascending run a[lo … hi), or −1. */
export function sortedIndexOf(a: Int32Array, x: number, lo = 0, hi = a.length): number {
  let l = lo;
  let h = hi - 1;
  while (l <= h) {
    const mid = (l + h) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) l = mid + 1; else h = mid - 1;
  }
  return -1;
}

/**
 * One field's term positions in one paper: `get(termId)` gives the positions (ascending; undefined
 * when the field lacks the term). Stored as two typed arrays per field, indexed like the paper's
 * sorted `termIds` (a term's positions are pos[off[i] … off[i + 1])): a Map of one small array per
 * term was ≈ 100 typed arrays per paper, most of a matcher's heap.
 */
export class FieldPositions {
  constructor(private readonly terms: Int32Array, private readonly off: Int32Array, private readonly pos: Int32Array) {}

  /** The term's index in the paper's terms when this field has it, else −1. */
  private slot(termId: number): number {
    const i = sortedIndexOf(this.terms, termId);
    return i >= 0 && this.off[i + 1] > this.off[i] ? i : -1;
  }

  get(termId: number): Int32Array | undefined {
    const i = this.slot(termId);
    return i < 0 ? undefined : this.pos.subarray(this.off[i], this.off[i + 1]);
  }

  has(termId: number): boolean {
    return this.slot(termId) >= 0;
  }

  /** How many times the field has the term. */
  count(termId: number): number {
    const i = this.slot(termId);
    return i < 0 ? 0 : this.off[i + 1] - this.off[i];
  }

  /** Whether the term is at position p of the field. */
  at(termId: number, p: number): boolean {
    const i = this.slot(termId);
    return i >= 0 && sortedIndexOf(this.pos, p, this.off[i], this.off[i + 1]) >= 0;
  }

  /** The positions of the paper's k-th term (in its sorted `termIds`) copied into `out` at `at`. */
  copyTo(k: number, out: Int32Array, at: number): void {
    out.set(this.pos.subarray(this.off[k], this.off[k + 1]), at);
  }

  /** Every position of every term of the field (in term order). */
  allPositions(): Int32Array {
    return this.pos;
  }
}

export interface IndexedDoc {
  paper: MatchPaper;
  /** termId → positions, per field. Body positions of the abstract and the AI summary/keywords are offset apart. */
  positions: [FieldPositions, FieldPositions];
  /** Distinct term ids and their weighted frequency (title counted `titleWeight` times). */
  termIds: Int32Array;
  termTf: Float32Array;
  /** Body positions below this are the abstract's lead (its first two sentences). */
  leadEnd: number;
  /** Weighted length, for BM25 length normalisation. */
  length: number;
  categories: string[];
  /** Each author as folded lower-case words. */
  authors: string[][];
}

export interface CorpusIndex {
  docs: IndexedDoc[];
  termIds: Map<string, number>;
  terms: string[];
  postings: Posting[];
  /** Document frequency per term id. */
  df: Int32Array;
  avgLength: number;
  titleWeight: number;
  /** acronym term (e.g. "rlhf") → its spelled-out form as terms. */
  acronyms: Map<string, string[]>;
  /** Stemmed expansion key ("reinforc learn human feedback") → acronym term. */
  acronymOf: Map<string, string>;
  /** Commonest written form of a term, for explanations. */
  surface(termId: number): string;
  /**
   * 1 for a term that occurs only as the closed form of a hyphenated word opened by function words
   * ("incontext" of in-context; tokenize.ts): it serves topics that write that word and stays out of
   * the semantic space and of word feedback, so every other topic is scored as without it.
   */
  closedOnly: Uint8Array;
}

/** Gap between the parts of the body (abstract, AI summary, AI keywords) so phrases do not span them. */
const PART_GAP = 1000;

/** Papers are tokenized with the closed forms of hyphenated words opened by function words (tokenize.ts). */
const FUSED = { fused: true };

/** Offsets (prefix sums of the per-paper counts) and room for a term's positions in one field. */
function termPositions(counts: number[]): { pos: Int32Array; off: Int32Array } {
  const off = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) off[i + 1] = off[i] + counts[i];
  return { pos: new Int32Array(off[counts.length]), off };
}

export function buildCorpusIndex(papers: MatchPaper[], titleWeight: number): CorpusIndex {
  const termIds = new Map<string, number>();
  const terms: string[] = [];
  const surfaces: Array<Map<string, number>> = [];
  const idOf = (t: Token): number => {
    let id = termIds.get(t.term);
    if (id === undefined) {
      id = terms.length;
      termIds.set(t.term, id);
      terms.push(t.term);
      surfaces.push(new Map());
    }
    const s = surfaces[id];
    const w = t.surface.toLowerCase() === t.surface || /^[A-Z][a-z]/.test(t.surface) ? t.surface.toLowerCase() : t.surface;
    if (s.size < 8 || s.has(w)) s.set(w, (s.get(w) ?? 0) + 1);
    return id;
  };

  // Terms written as words of their own somewhere (not only as closed forms).
  const plain = new Set<number>();
  const postingLists: Array<{ docs: number[]; title: number[]; body: number[]; titleSrc: number[]; bodySrc: number[]; hasSrc: boolean; lead: number[] }> = [];
  const docs: IndexedDoc[] = [];
  let totalLength = 0;
  papers.forEach((paper, docIndex) => {
    const fields: Token[][] = [tokenize(paper.title, FUSED), []];
    let offset = 0;
    for (const part of bodyParts(paper)) {
      if (!part) continue;
      for (const t of tokenize(part, FUSED)) fields[1].push({ ...t, pos: t.pos + offset });
      offset += PART_GAP + part.length;
    }
    const positions: [Map<number, number[]>, Map<number, number[]>] = [new Map(), new Map()];
    const lead = leadText(paper.abstract ?? '');
    const leadTokens = lead ? tokenize(lead) : [];
    const leadEnd = leadTokens.length ? leadTokens[leadTokens.length - 1].pos + 1 : 0;
    const counts = new Map<number, [number, number]>();
    const sources = new Map<number, [number, number]>();
    // A closed form added beside its part ("incontext" beside "context") is no extra word of the paper.
    let fusedLength = 0;
    fields.forEach((tokens, f) => {
      for (const t of tokens) {
        const id = idOf(t);
        if (t.fused) fusedLength += f === 0 ? titleWeight : 1;
        else plain.add(id);
        const list = positions[f].get(id);
        if (list) list.push(t.pos); else positions[f].set(id, [t.pos]);
        const c = counts.get(id) ?? [0, 0];
        c[f]++;
        counts.set(id, c);
        if (t.source) {
          const sc = sources.get(id) ?? [0, 0];
          sc[f]++;
          sources.set(id, sc);
        }
      }
    });
    const ids = [...counts.keys()].sort((a, b) => a - b);
    const termTf = new Float32Array(ids.length);
    let length = 0;
    ids.forEach((id, i) => {
      const [ti, bo] = counts.get(id)!;
      termTf[i] = titleWeight * ti + bo;
      length += termTf[i];
      let pl = postingLists[id];
      if (!pl) pl = postingLists[id] = { docs: [], title: [], body: [], titleSrc: [], bodySrc: [], hasSrc: false, lead: [] };
      pl.docs.push(docIndex);
      pl.title.push(ti);
      pl.body.push(bo);
      const sc = sources.get(id);
      pl.titleSrc.push(sc ? sc[0] : 0);
      pl.bodySrc.push(sc ? sc[1] : 0);
      if (sc) pl.hasSrc = true;
      const bp = positions[1].get(id);
      pl.lead.push(bp && bp[0] < leadEnd ? 1 : 0);
    });
    length -= fusedLength;
    totalLength += length;
    const termIdsOfDoc = Int32Array.from(ids);
    const compact = (f: Field): FieldPositions => {
      const off = new Int32Array(ids.length + 1);
      ids.forEach((id, i) => { off[i + 1] = off[i] + counts.get(id)![f]; });
      const pos = new Int32Array(off[ids.length]);
      ids.forEach((id, i) => { const list = positions[f].get(id); if (list) pos.set(list, off[i]); });
      return new FieldPositions(termIdsOfDoc, off, pos);
    };
    docs.push({
      paper,
      positions: [compact(Field.Title), compact(Field.Body)],
      termIds: termIdsOfDoc,
      leadEnd,
      termTf,
      length,
      categories: (paper.categories ?? []).map((c) => c.trim()).filter(Boolean),
      authors: (paper.authors ?? []).map(nameWords),
    });
  });
  const postings: Posting[] = postingLists.map((pl) => {
    const title = termPositions(pl.title);
    const body = termPositions(pl.body);
    return {
      docs: Int32Array.from(pl.docs), titleTf: Float32Array.from(pl.title), bodyTf: Float32Array.from(pl.body),
      titleSrc: pl.hasSrc ? Float32Array.from(pl.titleSrc) : null, bodySrc: pl.hasSrc ? Float32Array.from(pl.bodySrc) : null,
      lead: Uint8Array.from(pl.lead),
      titlePos: title.pos, titleOff: title.off, bodyPos: body.pos, bodyOff: body.off,
    };
  });
  // Fill the term-major positions paper by paper: papers are indexed in order, so a paper's entry in
  // each of its terms' postings is the next one (cursor).
  const cursor = new Int32Array(postings.length);
  docs.forEach((doc) => {
    doc.termIds.forEach((id, k) => {
      const p = postings[id];
      const i = cursor[id]++;
      doc.positions[Field.Title].copyTo(k, p.titlePos, p.titleOff[i]);
      doc.positions[Field.Body].copyTo(k, p.bodyPos, p.bodyOff[i]);
    });
  });
  const df = Int32Array.from(postings.map((p) => p.docs.length));
  const surfaceCache: string[] = [];
  const { acronyms, acronymOf } = findAcronymDefinitions(papers);
  const closedOnly = Uint8Array.from(terms, (_, id) => (plain.has(id) ? 0 : 1));
  return {
    docs, termIds, terms, postings, df, closedOnly,
    avgLength: docs.length ? totalLength / docs.length : 1,
    titleWeight, acronyms, acronymOf,
    surface(termId) {
      let s = surfaceCache[termId];
      if (s === undefined) {
        let best = terms[termId];
        let n = 0;
        for (const [w, c] of surfaces[termId] ?? []) if (c > n || (c === n && w < best)) { best = w; n = c; }
        s = surfaceCache[termId] = best;
      }
      return s;
    },
  };
}

/** The parts of a paper read as its body, in order: the abstract, Hugging Face's AI summary and keywords. */
export function bodyParts(paper: MatchPaper): string[] {
  return [paper.abstract, paper.aiSummary ?? '', (paper.aiKeywords ?? []).join(' ; ')];
}

/** The first two sentences of an abstract (a sentence ends with . ! or ? followed by a space and a capital or digit). */
export function leadText(abstract: string): string {
  const re = /[.!?]\s+(?=[\p{Lu}\p{N}])/gu;
  let m: RegExpExecArray | null = null;
  for (let k = 0; k < 2; k++) { m = re.exec(abstract); if (!m) return abstract; }
  return abstract.slice(0, m!.index + 1);
}

/** Author name → folded lower-case words ("Yann LeCun" → ["yann", "lecun"]). */
export function nameWords(name: string): string[] {
  return foldText(name).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}
