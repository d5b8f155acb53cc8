/**
 * Human explanations for a selected paper: which words or phrases of the topic it matched and
 * where, e.g. `matched: "symbolic regression" in title; "transformer" in abstract`.
 */
import { Field, type CorpusIndex } from './corpus-index.js';
import type { CompiledFacet, CompiledTopic } from './compile-topic.js';
import { binaryHas } from './compile-topic.js';
import { isTextual, type ParsedTopic } from './query-parser.js';
import { STOP_WORDS } from './stop-words.js';
import type { Scorer, ScoredDoc } from './scorer.js';
import { atomMatches } from './scorer.js';

type Where = 'title' | 'abstract';

function altWhere(alt: CompiledFacet['clauses'][number]['alts'][number], d: number): Where | null {
  let lo = 0;
  let hi = alt.docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (alt.docs[mid] === d) return alt.titleTf[mid] > 0 ? 'title' : 'abstract';
    if (alt.docs[mid] < d) lo = mid + 1; else hi = mid - 1;
  }
  return null;
}

const quote = (s: string) => `"${s.replace(/^"|"$/g, '')}"`;
// A word or phrase as typed, without its quotes or a ti: field ("in title" already says where).
const label = (s: string) => s.replace(/^(?:ti|title):/i, '').replace(/^"(.*)"$/s, '$1');

type Found = Array<{ alt: CompiledFacet['clauses'][number]['alts'][number]; where: Where } | null>;

/**
 * The runs of clauses (start → end, acronym term, where) that a paper matched through the acronym
 * their words spell out: each clause of a run has the acronym as a derived alternative, and at least
 * one was found only through it.
 */
function acronymRuns(facet: CompiledFacet, found: Found): Map<number, { end: number; termId: number; where: Where }> {
  const runs = new Map<number, { end: number; termId: number; where: Where }>();
  const hasAlt = (k: number, t: number) => facet.clauses[k]?.alts.some((a) => a.derived && a.termIds.length === 1 && a.termIds[0] === t);
  for (let k = 0; k < found.length; k++) {
    const f = found[k];
    if (!f || !f.alt.derived || f.alt.termIds.length !== 1 || f.alt.termIds[0] < 0) continue;
    const t = f.alt.termIds[0];
    let s = k;
    while (s > 0 && hasAlt(s - 1, t)) s--;
    let e = k + 1;
    while (e < found.length && hasAlt(e, t)) e++;
    if (e - s < 2) continue;
    runs.set(s, { end: e, termId: t, where: f.where });
    k = e - 1;
  }
  return runs;
}

/** A number or a Roman numeral: a related word that tells a reader nothing. */
const NOT_A_WORD = /^(?:\d+(?:[.,]\d+)*|i{1,3}|iv|vi{0,3}|ix|x{1,3})$/;

export function explain(index: CorpusIndex, scorer: Scorer, parsed: ParsedTopic, topic: CompiledTopic, hit: ScoredDoc, relatedTerms: number[]): string {
  const parts: Array<{ text: string; where: Where }> = [];
  const facet = topic.facets[hit.facet];
  if (facet) {
    // Per clause: the matched alternative and where; consecutive clauses found next to each other merge into one phrase.
    // An alternative with full credit first: a paper that writes "in-context" matched the word as typed, not its part "context".
    const found = facet.clauses.map((c) => {
      for (const alt of [...c.alts].sort((x, y) => y.credit - x.credit)) {
        const where = altWhere(alt, hit.doc);
        if (where) return { alt, where };
      }
      return null;
    });
    // Typed words that spell out an acronym of the day ("graph neural networks" / GNN) all carry the
    // acronym as an alternative: a paper that uses the acronym is said to match the run as typed,
    // with the acronym, once ("graph neural networks (GNN)"), not word by word ("neural (gnn)").
    const runs = acronymRuns(facet, found);
    // The topic's own clauses of this facet, one per compiled clause, to say a run of words as typed.
    const source = parsed.clauses.filter((c) => isTextual(c) && c.facet === hit.facet);
    const typedSpan = (from: number, to: number): string | null => {
      if (source.length !== facet.clauses.length) return null;
      const run = source.slice(from, to + 1);
      if (run.some((c) => c.required || c.alternatives.length !== 1)) return null;
      for (let i = 0; i + 1 < run.length; i++) {
        const a = run[i].alternatives[0];
        if (a.kind !== 'words') return null;
        const gap = parsed.text.slice(run[i].start + a.surface.length, run[i + 1].start).split(/[\s-]+/).filter(Boolean);
        if (gap.length > 2 || gap.some((w) => !STOP_WORDS.has(w.toLowerCase()))) return null;
      }
      const last = run[run.length - 1];
      return parsed.text.slice(run[0].start, last.start + last.alternatives[0].surface.length);
    };
    let k = 0;
    while (k < found.length) {
      const run = runs.get(k);
      if (run) {
        const typed = typedSpan(k, run.end - 1) ?? facet.clauses.slice(k, run.end).map((c) => c.alts[0].surface).join(' ');
        parts.push({ text: quote(`${typed} (${index.surface(run.termId)})`), where: run.where });
        k = run.end;
        continue;
      }
      const f = found[k];
      if (!f) { k++; continue; }
      let words = [label(f.alt.surface)];
      let where: Where = f.where;
      let j = k;
      while (j + 1 < found.length && found[j + 1] && !runs.has(j + 1) && facet.pairs.some((p) => p.a === j)) {
        const ta = facet.clauses[j].alts[0].termIds[0];
        const tb = facet.clauses[j + 1].alts[0].termIds[0];
        const inTitle = scorer.nearCount(hit.doc, ta, tb, Field.Title) > 0;
        const inBody = !inTitle && scorer.nearCount(hit.doc, ta, tb, Field.Body) > 0;
        if (!inTitle && !inBody) break;
        if (j === k) where = inTitle ? 'title' : 'abstract';
        else if (!inTitle) where = 'abstract';
        words.push(label(found[j + 1]!.alt.surface));
        j++;
      }
      if (f.alt.opened) words[0] = f.alt.surface;
      else if (found[k]!.alt.derived && j === k) words = [`${facet.clauses[k].alts[0].surface} (${f.alt.surface})`];
      else if (j > k && found.slice(k, j + 1).every((x, i) => x!.alt === facet.clauses[k + i].alts[0])) {
        // Said as typed: "mixture of experts", "self-supervised learning", "GPT-4".
        const typed = typedSpan(k, j);
        if (typed) words = [typed];
      }
      parts.push({ text: quote(words.join(' ')), where });
      k = j + 1;
    }
  }
  const filters: string[] = [];
  for (const c of parsed.clauses) {
    if (c.negated || c.alternatives.every((a) => a.kind === 'words')) continue;
    const a = c.alternatives.find((x) => atomMatches(index, x, hit.doc));
    if (a) filters.push(a.surface);
  }
  // A word the topic repeats ("self-training and self-improvement", "prompt tuning and prompt
  // optimization") is said once, where it was found first (the title before the abstract).
  const said = new Set(parts.filter((p) => p.where === 'title').map((p) => p.text));
  const inTitle = [...said];
  const inAbstract = [...new Set(parts.filter((p) => p.where === 'abstract' && !said.has(p.text)).map((p) => p.text))];
  const chunks: string[] = [];
  if (inTitle.length) chunks.push(`${inTitle.join(', ')} in title`);
  if (inAbstract.length) chunks.push(`${inAbstract.join(', ')} in abstract`);
  if (filters.length) chunks.push(filters.join(', '));
  let why = chunks.length ? `matched: ${chunks.join('; ')}` : 'matched';
  const termIds = index.docs[hit.doc].termIds;
  // Show only distinctive related words (in at most 10% of the day's papers); generic ones explain
  // nothing, and neither do numbers and the Roman numerals of an enumeration ("(ii) … (iii)").
  const related = relatedTerms.filter((t) => binaryHas(termIds, t) && index.df[t] <= 0.1 * index.docs.length && !NOT_A_WORD.test(index.terms[t])).slice(0, 4);
  if (related.length) why += `; related: ${related.map((t) => index.surface(t)).join(', ')}`;
  return why;
}

