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
import { binaryHas, idf, type CompiledAlt, type CompiledClause, type CompiledFacet, type CompiledTopic } from './compile-topic.js';
import type { Clause } from './query-parser.js';
import type { RankingParams } from './params.js';
import { unit, type SemanticSpace } from './semantic-space.js';
import { shellTerms, titleHeadConflict } from './title-subject.js';

export interface ScoredDoc {
  doc: number;
  score: number;
  facet: number;
}

/**
 * A subscriber's feedback under one topic as vectors of the day's semantic space: the centroid of the
 * papers they want more of and of those they want less of (null: none).
 */
export interface UserVectors {
  more: Float64Array | null;
  less: Float64Array | null;
  /** Each judged paper's own unit vector. */
  moreDocs: Float64Array[];
  lessDocs: Float64Array[];
}

/**
 * The lexical stage of one topic (every paper sharing a word with it, its text score, best facet and
 * concept factor, and which of them pass the topic's filters). It is the same for every subscriber of
 * the topic: a subscriber's own feedback changes only what follows, so it is kept and reused for them.
 */
export interface LexicalStage {
  touched: Int32Array;
  score: Float64Array;
  facet: Int32Array;
  factor: Float64Array;
  /** Indexes into `touched` of the candidates. */
  candidates: Int32Array;
}

export interface ScoredTopic {
  /** Papers at or above the requested minimum score, best first. */
  hits: ScoredDoc[];
  /**
   * Related words (term ids) learned by feedback that an explanation may name, strongest first: those
   * found in at least RELATED_SHOWN_MIN_PAPERS of the papers they were learned from. (Feedback scores
   * with all of them; a word that two papers happen to share, "properties" or "far", tells a reader nothing.)
   */
  related: number[];
  /** The topic's lexical stage, when score() was asked to keep it: pass it back for another subscriber of the topic. */
  lexical?: LexicalStage;
}

/**
 * A related word is named in explanations only when at least this many of the top papers share it.
 * Feedback learns from up to ten papers and needs a word in half of them, so with only two to four
 * confident papers two are enough to score with, and the words two papers happen to share are mostly
 * accidents of their prose ("properties, far" for activation steering; "external, empirical, lack"
 * for retrieval-augmented generation). Display only: the scores are the same.
 */
export const RELATED_SHOWN_MIN_PAPERS = 3;

export class Scorer {
  private readonly acc: Float64Array;
  /** Term ids of the nouns that name a kind of contribution (title-subject.ts). */
  private readonly shell: Set<number>;
  private readonly clauseBest: Float64Array;
  private readonly bestScore: Float64Array;
  private readonly bestFacet: Int32Array;
  private readonly missing: Int32Array;
  private readonly stamp: Int32Array;
  private readonly facetStamp: Int32Array;
  private readonly expansion: Float64Array;
  private readonly termWeight: Float64Array;
  private readonly termDocs: Int32Array;
  private readonly upvotes: Float64Array;
  /** Per-paper BM25 denominator part k1·(1 − b + b·len/avgLen). */
  private readonly lengthNorm: Float64Array;
  private readonly titleWeight: number;
  private readonly facetTouched: Int32Array;
  private readonly clauseTouched: Int32Array;
  /** Per paper: IDF mass of the topic's concepts it covers (anywhere / in the title), and per clause. */
  private readonly covAcc: Float64Array;
  private readonly titleAcc: Float64Array;
  private readonly clauseCov: Float64Array;
  private readonly clauseTitle: Float64Array;
  private readonly leadAcc: Float64Array;
  private readonly clauseLead: Uint8Array;
  /** Per paper, the concept roles (roleBits) of the facet it covers. */
  private readonly conceptHit: Uint8Array;
  /** Per paper, for its best facet: the factors of the concept roles it lacks and of a title-subject conflict. */
  private readonly conceptFactor: Float64Array;
  /** Each candidate's text score before the semantic blend (for the order of the selection). */
  private readonly lexScore: Float64Array;
  /** Per paper, the facet evaluation (facetEpoch) whose first modifier word its title holds. */
  private readonly modifierInTitle: Int32Array;
  private epoch = 0;
  private facetEpoch = 0;

  /**
   * `selectable`: the index's first `selectable` papers are the day's; the rest are context (earlier
   * papers) that inform the statistics, the space and feedback but are never returned.
   */
  constructor(private readonly index: CorpusIndex, private readonly params: RankingParams, private readonly space?: SemanticSpace,
    private readonly selectable = index.docs.length) {
    const n = index.docs.length;
    this.shell = shellTerms(index);
    this.acc = new Float64Array(n);
    this.clauseBest = new Float64Array(n);
    this.bestScore = new Float64Array(n);
    this.bestFacet = new Int32Array(n);
    this.missing = new Int32Array(n);
    this.stamp = new Int32Array(n);
    this.facetStamp = new Int32Array(n);
    this.expansion = new Float64Array(n);
    this.facetTouched = new Int32Array(n);
    this.clauseTouched = new Int32Array(n);
    this.covAcc = new Float64Array(n);
    this.titleAcc = new Float64Array(n);
    this.clauseCov = new Float64Array(n);
    this.clauseTitle = new Float64Array(n);
    this.leadAcc = new Float64Array(n);
    this.clauseLead = new Uint8Array(n);
    this.conceptHit = new Uint8Array(n);
    this.conceptFactor = new Float64Array(n);
    this.lexScore = new Float64Array(n);
    this.modifierInTitle = new Int32Array(n);
    this.termWeight = new Float64Array(index.terms.length);
    this.termDocs = new Int32Array(index.terms.length);
    this.upvotes = Float64Array.from(index.docs, (d) => d.paper.hfUpvotes ?? 0);
    const { k1, b } = params;
    this.lengthNorm = Float64Array.from(index.docs, (d) => k1 * (1 - b + (b * d.length) / index.avgLength));
    this.titleWeight = params.titleWeight;
  }

  /** Saturated, length-normalised frequency in [0, 1). */
  sat(doc: number, titleTf: number, bodyTf: number): number {
    const tf = this.titleWeight * titleTf + bodyTf;
    return tf / (tf + this.lengthNorm[doc]);
  }

  /**
   * Papers passing the topic's filters with a score ≥ minScore, best first, at most `limit`. `user`:
   * the subscriber's own feedback under this topic (see steer and near). `lexical`: the topic's kept
   * lexical stage to start from, or 'keep' to return it.
   */
  score(topic: CompiledTopic, minScore: number, limit = Infinity, user?: UserVectors, lexical?: LexicalStage | 'keep'): ScoredTopic {
    const ep = ++this.epoch;
    let kept: LexicalStage | undefined;
    let candidates: number[];
    if (lexical && lexical !== 'keep') candidates = this.restore(lexical, ep);
    else {
      const stage = this.lexical(topic, ep);
      candidates = stage.candidates;
      if (lexical === 'keep') kept = this.keep(stage.touched, candidates);
    }
    for (const d of candidates) this.lexScore[d] = this.bestScore[d] * this.conceptFactor[d];
    this.semantic(topic, candidates, user);
    // Concept rules apply to the final text score (lexical and semantic alike).
    for (const d of candidates) this.bestScore[d] *= this.conceptFactor[d];
    let related: number[] = [];
    if (this.params.feedbackDocs > 0 && topic.facets.length > 0) related = this.feedback(topic, candidates, ep);
    if (user && (this.params.userNearMore > 0 || this.params.userNearLess > 0) && this.space?.dims) this.near(candidates, user, minScore);
    const hits: ScoredDoc[] = [];
    const sel = this.selectable;
    // Selected by the final score; ranked by its blend with the text score (orderLexicalWeight), so
    // that among the selected papers those that name the topic come before those only close to it.
    const lw = this.params.orderLexicalWeight;
    for (const d of candidates) {
      if (d < sel && this.bestScore[d] >= minScore) hits.push({ doc: d, score: (this.bestScore[d] + lw * this.lexScore[d]) / (1 + lw), facet: this.bestFacet[d] });
    }
    this.sortHits(hits);
    if (hits.length > limit) hits.length = limit;
    return { hits, related, lexical: kept };
  }

  /** A copy of the lexical stage just computed (see LexicalStage). */
  private keep(touched: number[], candidates: number[]): LexicalStage {
    // The candidates are a subsequence of touched, in its order.
    const at = new Int32Array(candidates.length);
    for (let i = 0, j = 0; i < touched.length && j < candidates.length; i++) if (touched[i] === candidates[j]) at[j++] = i;
    return {
      touched: Int32Array.from(touched),
      score: Float64Array.from(touched, (d) => this.bestScore[d]),
      facet: Int32Array.from(touched, (d) => this.bestFacet[d]),
      factor: Float64Array.from(touched, (d) => this.conceptFactor[d]),
      candidates: at,
    };
  }

  /** Scores every paper sharing a word with the topic (stamped `ep`); returns them and the candidates among them. */
  private lexical(topic: CompiledTopic, ep: number): { touched: number[]; candidates: number[] } {
    const touched: number[] = [];
    if (topic.facets.length === 0) {
      // Filters only (e.g. cat:cs.LG): every paper passing them, equal score.
      for (let d = 0; d < this.selectable; d++) { this.stamp[d] = ep; this.bestScore[d] = 1; this.bestFacet[d] = 0; this.conceptFactor[d] = 1; touched.push(d); }
    }
    topic.facets.forEach((facet, fi) => this.scoreFacet(facet, fi, ep, touched));
    const candidates: number[] = [];
    for (const d of touched) if (this.bestScore[d] > 0 && this.passes(topic, d)) candidates.push(d);
    return { touched, candidates };
  }

  /** Puts a kept lexical stage back into the working arrays (stamped `ep`); returns its candidates. */
  private restore(stage: LexicalStage, ep: number): number[] {
    const { touched, score, facet, factor } = stage;
    for (let i = 0; i < touched.length; i++) {
      const d = touched[i];
      this.stamp[d] = ep; this.bestScore[d] = score[i]; this.bestFacet[d] = facet[i]; this.conceptFactor[d] = factor[i];
    }
    return Array.from(stage.candidates, (i) => touched[i]);
  }

  private sortHits(hits: ScoredDoc[]): void {
    const docs = this.index.docs;
    hits.sort((x, y) => y.score - x.score || this.upvotes[y.doc] - this.upvotes[x.doc]
      || (docs[x.doc].paper.id < docs[y.doc].paper.id ? -1 : 1));
  }

  private scoreFacet(facet: CompiledFacet, fi: number, topicEpoch: number, topicTouched: number[]): void {
    const ep = ++this.facetEpoch;
    const touched = this.facetTouched;
    const cTouched = this.clauseTouched;
    const acc = this.acc;
    const best = this.clauseBest;
    const stamp = this.facetStamp;
    const lengthNorm = this.lengthNorm;
    const tw = this.titleWeight;
    let nTouched = 0;
    let required = 0;
    for (const c of facet.clauses) if (c.required) required++;
    // Concept roles: a paper with no clause of a role the facet has keeps that role's factor.
    let roles = 0;
    for (const c of facet.clauses) roles |= roleBits(c);
    const roleFactors = [this.params.headMissingFactor, this.params.objectMissingFactor, this.params.rareMissingFactor, this.params.headOnlyFactor];
    const conflictFactor = this.params.titleConflictFactor;
    const useLead = this.params.leadBonus > 0;
    const cov = this.covAcc;
    const tac = this.titleAcc;
    const ccov = this.clauseCov;
    const ctit = this.clauseTitle;
    for (const clause of facet.clauses) {
      const role = roleBits(clause);
      let nc = 0;
      for (const alt of clause.alts) {
        const w = (alt.semantic > 0 ? clause.weight * alt.semantic : alt.derived ? clause.weight : alt.idf) * alt.credit;
        const credit = (alt.semantic > 0 ? alt.semantic : 1) * alt.credit;
        const docs = alt.docs;
        const ti = alt.titleTf;
        const bo = alt.bodyTf;
        const inLead = useLead && alt.semantic === 0 ? alt.lead : null;
        for (let i = 0; i < docs.length; i++) {
          const d = docs[i];
          if (stamp[d] !== ep) {
            stamp[d] = ep; acc[d] = 0; cov[d] = 0; tac[d] = 0; this.leadAcc[d] = 0; this.conceptHit[d] = 0; this.missing[d] = required; touched[nTouched++] = d;
          }
          const tf = tw * ti[i] + bo[i];
          const v = (w * tf) / (tf + lengthNorm[d]);
          if (best[d] === 0 && ccov[d] === 0) cTouched[nc++] = d;
          if (v > best[d]) best[d] = v;
          // Weakened occurrences (see compileAlt's sourceWeight) give partial concept credit.
          const c = credit * Math.min(1, ti[i] + bo[i]);
          if (c > ccov[d]) ccov[d] = c;
          const ct = credit * Math.min(1, ti[i]);
          if (ct > ctit[d]) ctit[d] = ct;
          if (inLead !== null && inLead[i]) this.clauseLead[d] = 1;
        }
      }
      for (let k = 0; k < nc; k++) {
        const d = cTouched[k];
        acc[d] += best[d];
        cov[d] += clause.weight * ccov[d];
        tac[d] += clause.weight * ctit[d];
        if (this.clauseLead[d]) { this.leadAcc[d] += clause.weight; this.clauseLead[d] = 0; }
        if (clause.required) this.missing[d]--;
        if (role && ccov[d] >= 1) this.conceptHit[d] |= role;
        best[d] = 0; ccov[d] = 0; ctit[d] = 0;
      }
    }
    const win = this.params.proximityWindow;
    for (const pair of facet.pairs) {
      const ta = facet.clauses[pair.a].alts[0].termIds[0];
      const tb = facet.clauses[pair.b].alts[0].termIds[0];
      const pa = this.index.postings[ta];
      const pb = this.index.postings[tb];
      const aRare = pa.docs.length <= pb.docs.length;
      const [rare, other] = aRare ? [pa, pb] : [pb, pa];
      // Both postings are in paper order: walk them together, and read positions (from the postings)
      // only in a field that holds both words (most papers of the rarer word lack the other).
      const od = other.docs;
      for (let i = 0, j = 0; i < rare.docs.length && j < od.length; i++) {
        const d = rare.docs[i];
        while (j < od.length && od[j] < d) j++;
        if (od[j] !== d || stamp[d] !== ep) continue;
        const ia = aRare ? i : j;
        const ib = aRare ? j : i;
        const near = pa.titleTf[ia] > 0 && pb.titleTf[ib] > 0
          ? nearIn(pa.titlePos, pa.titleOff[ia], pa.titleOff[ia + 1], pb.titlePos, pb.titleOff[ib], pb.titleOff[ib + 1], win) : 0;
        const nearBody = pa.bodyTf[ia] > 0 && pb.bodyTf[ib] > 0
          ? nearIn(pa.bodyPos, pa.bodyOff[ia], pa.bodyOff[ia + 1], pb.bodyPos, pb.bodyOff[ib], pb.bodyOff[ib + 1], win) : 0;
        if (near + nearBody > 0) this.acc[d] += pair.weight * this.sat(d, near, nearBody);
      }
    }
    // A title-subject conflict needs the first modifier in the title: mark those papers from its posting.
    const mods = conflictFactor < 1 && facet.modifierTerms && facet.modifierTerms.length >= 2 ? facet.modifierTerms : null;
    if (mods) {
      const p = this.index.postings[mods[0]];
      for (let i = 0; i < p.docs.length; i++) if (p.titleTf[i] > 0) this.modifierInTitle[p.docs[i]] = ep;
    }
    for (let k = 0; k < nTouched; k++) {
      const d = touched[k];
      if (this.missing[d] > 0) continue;
      const score = this.facetScore(acc[d] / facet.maxScore, cov[d] / facet.conceptMass, tac[d] / facet.conceptMass, this.leadAcc[d] / facet.conceptMass);
      let factor = 1;
      const missed = roles & ~this.conceptHit[d];
      for (let r = 0; missed >> r; r++) if (missed & (1 << r)) factor *= roleFactors[r];
      if (conflictFactor < factor && mods && this.modifierInTitle[d] === ep && titleHeadConflict(this.index.docs[d], mods, facet.headTerms!, this.shell)) factor = conflictFactor;
      if (this.stamp[d] !== topicEpoch) {
        this.stamp[d] = topicEpoch; this.bestScore[d] = 0; this.bestFacet[d] = -1; this.conceptFactor[d] = 1; topicTouched.push(d);
      }
      if (score * factor > this.bestScore[d] * this.conceptFactor[d] || this.bestFacet[d] < 0) {
        this.bestScore[d] = score; this.bestFacet[d] = fi; this.conceptFactor[d] = factor;
      }
    }
  }

  /** Blend each candidate's lexical score with the cosine between topic and paper in the semantic space. */
  private semantic(topic: CompiledTopic, candidates: number[], user?: UserVectors): void {
    const w = this.params.semanticWeight;
    if (!this.space || !this.space.dims || w <= 0) return;
    const vectors = topic.facets.map((f) => this.space!.queryVector(f.clauses.flatMap((c) =>
      typedAlts(c, this.space).flatMap((a) => a.termIds.map((termId) => ({ termId, weight: c.weight })))))).map((q) => (q && user ? this.steer(q, user) : q));
    const lexical = this.params.rocchioWeight > 0 ? candidates.map((d) => this.bestScore[d]) : null;
    const weights = topic.facets.map((f) => this.blendWeight(f, w));
    this.blend(vectors, candidates, lexical, weights);
    if (lexical) {
      const moved = this.rocchio(vectors, candidates);
      if (moved) this.blend(moved, candidates, lexical, weights);
    }
  }

  /**
   * Explicit relevance feedback (Rocchio with the subscriber's own judgments): the topic's unit vector
   * moves to q + userMoreWeight × more − userLessWeight × less. It changes only the semantic part of
   * the score, so it admits no paper without a topic word; papers near those the subscriber wanted
   * rise and papers near those they did not want fall, across the threshold both ways.
   */
  private steer(q: Float64Array, user: UserVectors): Float64Array {
    const { userMoreWeight, userLessWeight } = this.params;
    const v = Float64Array.from(q);
    if (user.more) for (let o = 0; o < v.length; o++) v[o] += userMoreWeight * user.more[o];
    if (user.less) {
      // Only what the unwanted papers have beyond the topic: their part along the topic is the topic itself.
      let along = 0;
      for (let o = 0; o < v.length; o++) along += user.less[o] * q[o];
      for (let o = 0; o < v.length; o++) v[o] -= userLessWeight * (user.less[o] - along * q[o]);
    }
    return unit(v) ?? q;
  }

  /**
   * The nearest judged papers (after everything else, so it also decides across the threshold): a
   * candidate rises by userNearMore × cos^e to the closest paper the subscriber wanted more of and
   * falls by userNearLess × cos^e to the closest one they wanted less of. The centroids of steer say
   * where the subscriber's interest lies on the whole; this catches the one kind of paper they asked
   * to see less of among several they like (a near-duplicate of an unwanted paper falls most).
   */
  private near(candidates: number[], user: UserVectors, minScore: number): void {
    const { userNearMore, userNearLess } = this.params;
    const e = this.params.userNearExponent;
    const space = this.space!;
    const closest = (vs: Float64Array[], d: number) => { let m = 0; for (const v of vs) m = Math.max(m, space.docCosine(v, d)); return Math.pow(m, e); };
    // A paper that cannot reach minScore even with the largest rise stays out whatever its neighbours.
    const floor = Math.max(Number.MIN_VALUE, minScore - userNearMore);
    for (const d of candidates) {
      if (!(this.bestScore[d] >= floor)) continue;
      const s = this.bestScore[d] + (userNearMore > 0 ? userNearMore * closest(user.moreDocs, d) : 0) - userNearLess * closest(user.lessDocs, d);
      this.bestScore[d] = Math.min(0.9999, Math.max(0, s));
    }
  }

  /**
   * A facet's blend weight: w × (share of its IDF mass whose words the space knows)^spaceCoverageExponent.
   * The space speaks only for the words it knows: a facet whose rare words are missing from it (in
   * fewer than 2 of today's papers) is a vector of its generic words alone, close to every paper of
   * their field, so its cosine counts less.
   */
  private blendWeight(facet: CompiledFacet, w: number): number {
    const e = this.params.spaceCoverageExponent;
    if (e <= 0) return w;
    let known = 0;
    let all = 0;
    for (const c of facet.clauses) {
      const alts = typedAlts(c, this.space);
      if (!alts.length) continue;
      all += c.weight;
      if (alts.some((a) => a.termIds.every((t) => this.space!.knows(t)))) known += c.weight;
    }
    return all > 0 ? w * Math.pow(known / all, e) : w;
  }

  /** Final text score = (1 − w) × lexical + w × cosine(topic vector of the paper's facet, paper). */
  private blend(vectors: Array<Float64Array | null>, candidates: number[], lexical: number[] | null, weights: number[]): void {
    const space = this.space!;
    candidates.forEach((d, i) => {
      const f = Math.max(0, this.bestFacet[d]);
      const q = vectors[f];
      if (!q) return;
      const lex = lexical ? lexical[i] : this.bestScore[d];
      const w = weights[f];
      this.bestScore[d] = (1 - w) * lex + w * Math.max(0, space.docCosine(q, d));
    });
  }

  /**
   * Document-level pseudo-relevance feedback (Rocchio) in the semantic space: the few papers that
   * are confidently about the topic (best first, above the threshold after the concept rules) show
   * what the subscriber's words mean today; each facet's vector moves to q + β × their centroid
   * (weighted by score). Returns the moved vectors, or null with fewer than two such papers.
   */
  private rocchio(vectors: Array<Float64Array | null>, candidates: number[]): Array<Float64Array | null> | null {
    const { rocchioWeight, rocchioDocs, threshold } = this.params;
    const above: ScoredDoc[] = [];
    for (const d of candidates) {
      const s = this.bestScore[d] * this.conceptFactor[d];
      if (s >= threshold) above.push({ doc: d, score: s, facet: this.bestFacet[d] });
    }
    if (above.length < 2) return null;
    this.sortHits(above);
    const centroid = this.space!.docsVector(above.slice(0, rocchioDocs).map((h) => ({ doc: h.doc, weight: h.score })));
    if (!centroid) return null;
    return vectors.map((q) => {
      if (!q) return null;
      const v = new Float64Array(q.length);
      for (let o = 0; o < q.length; o++) v[o] = q[o] + rocchioWeight * centroid[o];
      return unit(v) ?? v;
    });
  }

  /**
   * Concept coverage and centrality: the BM25 share is lifted by the share of the topic's concepts
   * found in the title, then multiplied by (share of the topic's IDF mass covered)^coverageExponent,
   * so a paper missing a rare concept of the topic (the "facial" of facial expression recognition)
   * falls far more than one missing a generic word.
   */
  private facetScore(base: number, coverage: number, titleCoverage: number, leadCoverage: number): number {
    const { coverageExponent, titleBonus, leadBonus } = this.params;
    const c = Math.min(1, coverage);
    let lifted = base + titleBonus * Math.min(1, titleCoverage) * (1 - base);
    if (leadBonus > 0) lifted += leadBonus * Math.min(1, leadCoverage) * (1 - lifted);
    return coverageExponent > 0 ? lifted * Math.pow(c, coverageExponent) : lifted;
  }

  /** Occurrences of term a followed by term b within the proximity window (or b then a, adjacent). */
  nearCount(doc: number, ta: number, tb: number, field: Field): number {
    const pos = this.index.docs[doc].positions[field];
    const A = pos.get(ta);
    const B = pos.get(tb);
    return A && B ? nearIn(A, 0, A.length, B, 0, B.length, this.params.proximityWindow) : 0;
  }

  private passes(topic: CompiledTopic, d: number): boolean {
    for (const c of topic.filters) if (!c.alternatives.some((a) => atomMatches(this.index, a, d))) return false;
    for (const alt of topic.excludedAlts) if (binaryHas(alt.docs, d)) return false;
    for (const c of topic.exclusions) {
      for (const a of c.alternatives) if (a.kind !== 'words' && atomMatches(this.index, a, d)) return false;
    }
    return true;
  }

  /**
   * Pseudo-relevance feedback: words that are frequent in the top papers (score ≥ threshold) but rare
   * in the day's papers become a second, weaker query. A paper's final score is its topic score plus
   * feedbackWeight × (its coverage of the related words) × the headroom left (1 − topic score).
   * Updates bestScore in place for the candidates; returns the related words an explanation may name
   * (RELATED_SHOWN_MIN_PAPERS).
   */
  private feedback(topic: CompiledTopic, candidates: number[], ep: number): number[] {
    const { feedbackDocs, feedbackTerms, feedbackWeight, threshold } = this.params;
    const above: ScoredDoc[] = [];
    for (const d of candidates) if (this.bestScore[d] >= threshold) above.push({ doc: d, score: this.bestScore[d], facet: 0 });
    if (above.length < 2) return [];
    this.sortHits(above);
    const top = above.slice(0, feedbackDocs);
    const n = this.index.docs.length;
    const queryTerms = new Set<number>();
    for (const f of topic.facets) for (const c of f.clauses) for (const a of c.alts) for (const t of a.termIds) queryTerms.add(t);
    const seen: number[] = [];
    for (const s of top) {
      const doc = this.index.docs[s.doc];
      for (let i = 0; i < doc.termIds.length; i++) {
        const t = doc.termIds[i];
        if (this.termDocs[t] === 0) seen.push(t);
        this.termWeight[t] += s.score * (doc.termTf[i] / doc.length);
        this.termDocs[t]++;
      }
    }
    const minDocs = Math.max(2, Math.ceil(top.length / 2));
    const chosen: Array<{ t: number; w: number; docs: number }> = [];
    for (const t of seen) {
      if (this.termDocs[t] >= minDocs && !queryTerms.has(t) && this.index.df[t] <= this.params.feedbackMaxDf * n && !this.index.closedOnly[t]) chosen.push({ t, w: this.termWeight[t] * idf(n, this.index.df[t]), docs: this.termDocs[t] });
      this.termWeight[t] = 0;
      this.termDocs[t] = 0;
    }
    chosen.sort((a, b) => b.w - a.w || a.t - b.t);
    chosen.length = Math.min(chosen.length, feedbackTerms);
    if (!chosen.length) return [];
    const total = chosen.reduce((s, c) => s + c.w, 0);
    const touched: number[] = [];
    for (const c of chosen) {
      const p = this.index.postings[c.t];
      for (let i = 0; i < p.docs.length; i++) {
        const d = p.docs[i];
        if (this.expansion[d] === 0) touched.push(d);
        this.expansion[d] += (c.w / total) * this.sat(d, p.titleTf[i], p.bodyTf[i]);
      }
    }
    for (const d of touched) {
      const v = this.expansion[d];
      this.expansion[d] = 0;
      if (this.stamp[d] !== ep) {
        // A paper sharing no word with the topic: admitted only when configured so.
        if (!this.params.feedbackAdmits || !this.passes(topic, d)) continue;
        this.stamp[d] = ep; this.bestScore[d] = 0; this.bestFacet[d] = 0; candidates.push(d);
      } else if (!(this.bestScore[d] > 0)) continue;
      const s0 = this.bestScore[d];
      this.bestScore[d] = s0 + feedbackWeight * v * (1 - s0);
    }
    return chosen.filter((c) => c.docs >= RELATED_SHOWN_MIN_PAPERS).map((c) => c.t);
  }
}

/**
 * Occurrences of a with b just before it or within `win` after it, on two ascending runs of
 * positions A[a0 … a1) and B[b0 … b1), merged in one pass (nearCount, and the scorer's pair walk).
 */
function nearIn(A: Int32Array, a0: number, a1: number, B: Int32Array, b0: number, b1: number, win: number): number {
  let count = 0;
  let j = b0;
  for (let i = a0; i < a1; i++) {
    const p = A[i];
    while (j < b1 && B[j] < p - 1) j++;
    for (let k = j; k < b1 && B[k] <= p + win; k++) if (B[k] !== p) { count++; break; }
  }
  return count;
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
    return first.some((p) => ids.every((t, k) => k === 0 || pos.at(t, p + a.offsets[k])));
  });
}

export { idf };

/**
 * The clause's alternatives as the subscriber typed them (not related words added from the space):
 * what the topic vector is made of. An opened compound ("out-of-distribution") is its closed form
 * where the space knows it (folded in, semantic-space.ts), else its part ("distribution").
 */
function typedAlts(c: CompiledClause, space?: SemanticSpace): CompiledAlt[] {
  const opened = c.alts.find((a) => a.opened);
  const closedKnown = opened !== undefined && !!space && opened.termIds.every((t) => space.knows(t));
  return c.alts.filter((a) => !a.semantic && a.termIds.length >= 1 && (closedKnown ? a.credit >= 1 : !a.opened));
}

/** A clause's concept roles as bits: 1 the head, 2 a word of the preposition's object, 4 the distinctive word, 8 a word besides the head (compile-topic.ts). */
function roleBits(c: CompiledClause): number {
  return (c.head ? 1 : 0) | (c.object ? 2 : 0) | (c.rare ? 4 : 0) | (c.modifier ? 8 : 0);
}
