/**
 * Scores every paper of the day for one compiled topic.
 *
 * The score is BM25F normalised by the topic's own maximum, i.e. the IDF-weighted share of the
 * topic that a paper covers (each word saturating with its frequency, title occurrences counting
 * more), plus a proximity part for consecutive topic words found next to each other. It is in
 * [0, 1) and means the same thing whatever the number of papers of the day, which is what makes an
 * absolute selection threshold possible. Pseudo-relevance feedback then learns related words from
 * the best papers and can lift papers that say the same thing in other words.
 */
import { Field, type CorpusIndex } from './corpus-index.js';
import { binaryHas, idf, type CompiledAlt, type CompiledFacet, type CompiledTopic } from './compile-topic.js';
import type { Clause } from './query-parser.js';
import type { RankingParams } from './params.js';

export interface ScoredDoc {
  doc: number;
  score: number;
  facet: number;
  /** Related words (term ids) learned by feedback that this paper contains. */
  related: number[];
}

export class Scorer {
  private readonly acc: Float64Array;
  private readonly clauseBest: Float64Array;
  private readonly bestScore: Float64Array;
  private readonly bestFacet: Int32Array;
  private readonly missing: Int32Array;
  private readonly stamp: Int32Array;
  private readonly facetStamp: Int32Array;
  private epoch = 0;

  constructor(private readonly index: CorpusIndex, private readonly params: RankingParams) {
    const n = index.docs.length;
    this.acc = new Float64Array(n);
    this.clauseBest = new Float64Array(n);
    this.bestScore = new Float64Array(n);
    this.bestFacet = new Int32Array(n);
    this.missing = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.facetStamp = new Int32Array(n);
  }

  /** Saturated, length-normalised frequency in [0, 1). */
  private sat(doc: number, titleTf: number, bodyTf: number): number {
    const { k1, b, titleWeight } = this.params;
    const tf = titleWeight * titleTf + bodyTf;
    const norm = k1 * (1 - b + (b * this.index.docs[doc].length) / this.index.avgLength);
    return tf / (tf + norm);
  }

  /** All papers passing the topic's filters with a positive score, best first. */
  score(topic: CompiledTopic): ScoredDoc[] {
    const n = this.index.docs.length;
    const ep = ++this.epoch;
    const touched: number[] = [];
    const touch = (d: number) => {
      if (this.stamp[d] !== ep) { this.stamp[d] = ep; this.bestScore[d] = 0; this.bestFacet[d] = -1; touched.push(d); }
    };
    if (topic.facets.length === 0) {
      // Filters only (e.g. cat:cs.LG): every paper passing them, equal score.
      for (let d = 0; d < n; d++) { touch(d); this.bestScore[d] = 1; this.bestFacet[d] = 0; }
    }
    topic.facets.forEach((facet, fi) => {
      for (const { doc, score } of this.scoreFacet(facet)) {
        touch(doc);
        if (score > this.bestScore[doc]) { this.bestScore[doc] = score; this.bestFacet[doc] = fi; }
      }
    });
    const out: ScoredDoc[] = [];
    for (const d of touched) {
      const s = this.bestScore[d];
      if (s <= 0 || !this.passes(topic, d)) continue;
      out.push({ doc: d, score: s, facet: this.bestFacet[d], related: [] });
    }
    sortScored(out, this.index);
    if (this.params.feedbackDocs > 0 && topic.facets.length > 0) return this.feedback(topic, out);
    return out;
  }

  private scoreFacet(facet: CompiledFacet): Array<{ doc: number; score: number }> {
    const ep = ++this.epoch;
    const touched: number[] = [];
    const required = facet.clauses.filter((c) => c.required).length;
    for (const clause of facet.clauses) {
      const cTouched: number[] = [];
      for (const alt of clause.alts) {
        const w = alt.derived ? clause.weight : alt.idf;
        for (let i = 0; i < alt.docs.length; i++) {
          const d = alt.docs[i];
          if (this.facetStamp[d] !== ep) {
            this.facetStamp[d] = ep; this.acc[d] = 0; this.missing[d] = required; touched.push(d);
          }
          const v = w * this.sat(d, alt.titleTf[i], alt.bodyTf[i]);
          if (this.clauseBest[d] === 0) cTouched.push(d);
          if (v > this.clauseBest[d]) this.clauseBest[d] = v;
        }
      }
      for (const d of cTouched) {
        this.acc[d] += this.clauseBest[d];
        if (clause.required) this.missing[d]--;
        this.clauseBest[d] = 0;
      }
    }
    for (const pair of facet.pairs) {
      const ta = facet.clauses[pair.a].alts[0].termIds[0];
      const tb = facet.clauses[pair.b].alts[0].termIds[0];
      const pa = this.index.postings[ta];
      const pb = this.index.postings[tb];
      const rare = pa.docs.length <= pb.docs.length ? pa : pb;
      for (const d of rare.docs) {
        if (this.facetStamp[d] !== ep) continue;
        const near = this.nearCount(d, ta, tb, Field.Title);
        const nearBody = this.nearCount(d, ta, tb, Field.Body);
        if (near + nearBody > 0) this.acc[d] += pair.weight * this.sat(d, near, nearBody);
      }
    }
    const out: Array<{ doc: number; score: number }> = [];
    for (const d of touched) {
      if (this.missing[d] > 0) continue;
      out.push({ doc: d, score: this.acc[d] / facet.maxScore });
    }
    return out;
  }

  /** Occurrences of term a followed by term b within the proximity window (or b then a, adjacent). */
  nearCount(doc: number, ta: number, tb: number, field: Field): number {
    const pos = this.index.docs[doc].positions[field];
    const A = pos.get(ta);
    const B = pos.get(tb);
    if (!A || !B) return 0;
    const win = this.params.proximityWindow;
    let count = 0;
    for (const p of A) {
      let hit = binaryHas(B, p - 1);
      for (let k = 1; k <= win && !hit; k++) hit = binaryHas(B, p + k);
      if (hit) count++;
    }
    return count;
  }

  private passes(topic: CompiledTopic, d: number): boolean {
    const doc = this.index.docs[d];
    for (const c of topic.filters) if (!c.alternatives.some((a) => atomMatches(this.index, a, d))) return false;
    for (const alt of topic.excludedAlts) if (binarySearchDocs(alt.docs, d)) return false;
    for (const c of topic.exclusions) {
      for (const a of c.alternatives) if (a.kind !== 'words' && atomMatches(this.index, a, d)) return false;
    }
    void doc;
    return true;
  }

  /**
   * Pseudo-relevance feedback: words that are frequent in the top selected papers but rare in the
   * day's papers become a second, weaker query. A paper's final score is its topic score plus
   * feedbackWeight × (its coverage of the related words) × the headroom left (1 − topic score).
   */
  private feedback(topic: CompiledTopic, first: ScoredDoc[]): ScoredDoc[] {
    const { feedbackDocs, feedbackTerms, feedbackWeight, threshold } = this.params;
    const top = first.filter((s) => s.score >= threshold).slice(0, feedbackDocs);
    if (top.length < 2) return first;
    const n = this.index.docs.length;
    const queryTerms = new Set<number>();
    for (const f of topic.facets) for (const c of f.clauses) for (const a of c.alts) for (const t of a.termIds) queryTerms.add(t);
    const weight = new Map<number, number>();
    const inDocs = new Map<number, number>();
    for (const s of top) {
      const doc = this.index.docs[s.doc];
      for (let i = 0; i < doc.termIds.length; i++) {
        const t = doc.termIds[i];
        if (queryTerms.has(t)) continue;
        weight.set(t, (weight.get(t) ?? 0) + s.score * (doc.termTf[i] / doc.length));
        inDocs.set(t, (inDocs.get(t) ?? 0) + 1);
      }
    }
    const minDocs = Math.max(2, Math.ceil(top.length / 2));
    const candidates: Array<{ t: number; w: number }> = [];
    for (const [t, w] of weight) {
      if (inDocs.get(t)! < minDocs) continue;
      candidates.push({ t, w: w * idf(n, this.index.df[t]) });
    }
    candidates.sort((a, b) => b.w - a.w || a.t - b.t);
    const chosen = candidates.slice(0, feedbackTerms);
    if (!chosen.length) return first;
    const total = chosen.reduce((s, c) => s + c.w, 0);
    const byDoc = new Map<number, { v: number; related: number[] }>();
    for (const c of chosen) {
      const p = this.index.postings[c.t];
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        const e = byDoc.get(d) ?? { v: 0, related: [] };
        e.v += (c.w / total) * this.sat(d, p.titleTf[i], p.bodyTf[i]);
        e.related.push(c.t);
        byDoc.set(d, e);
      }
    }
    const firstByDoc = new Map(first.map((s) => [s.doc, s]));
    const out: ScoredDoc[] = [];
    for (const [d, e] of byDoc) {
      const base = firstByDoc.get(d);
      if (!base && (!this.params.feedbackAdmits || !this.passes(topic, d))) continue;
      const s0 = base?.score ?? 0;
      out.push({ doc: d, score: s0 + feedbackWeight * e.v * (1 - s0), facet: base?.facet ?? 0, related: e.related });
      firstByDoc.delete(d);
    }
    for (const s of firstByDoc.values()) out.push(s);
    sortScored(out, this.index);
    return out;
  }
}

function sortScored(out: ScoredDoc[], index: CorpusIndex): void {
  out.sort((x, y) => y.score - x.score || (index.docs[y.doc].paper.hfUpvotes ?? 0) - (index.docs[x.doc].paper.hfUpvotes ?? 0)
    || (index.docs[x.doc].paper.id < index.docs[y.doc].paper.id ? -1 : 1));
}

function binarySearchDocs(docs: Int32Array, d: number): boolean {
  return binaryHas(docs, d);
}

export function atomMatches(index: CorpusIndex, a: Clause['alternatives'][number], d: number): boolean {
  const doc = index.docs[d];
  if (a.kind === 'category') {
    return doc.categories.some((c) => {
      const lc = c.toLowerCase();
      return a.prefix ? lc === a.value || lc.startsWith(a.value + '.') : lc === a.value;
    });
  }
  if (a.kind === 'author') {
    const last = a.words[a.words.length - 1];
    return doc.authors.some((name) => name.includes(last) && a.words.slice(0, -1).every((w) =>
      name.some((nw) => nw === w || (w.length === 1 && nw.startsWith(w)) || (nw.length === 1 && w.startsWith(nw)))));
  }
  const ids = a.terms.map((t) => index.termIds.get(t) ?? -1);
  if (ids.some((t) => t < 0)) return false;
  const fields = a.titleOnly ? [Field.Title] : [Field.Title, Field.Body];
  return fields.some((f) => {
    const pos = doc.positions[f];
    const first = pos.get(ids[0]);
    if (!first) return false;
    return [...first].some((p) => ids.every((t, k) => k === 0 || (pos.get(t) !== undefined && binaryHas(pos.get(t)!, p + a.offsets[k]))));
  });
}

export { idf };
