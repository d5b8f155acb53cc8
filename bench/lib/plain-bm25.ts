/**
 * The comparison baseline: textbook BM25 (k1 1.2, b 0.75) over title + abstract as one field,
 * same tokenizer and stemmer, selection = papers scoring at least half the day's best score for the
 * topic, at most 20. No title boost, proximity, acronyms, feedback or absolute threshold.
 */
import type { MatchPaper } from '../../src/matching/types.js';
import { tokenize } from '../../src/matching/tokenize.js';

/** Per topic, every paper's plain BM25 score (in the papers' order; 0 = no topic word). */
export function plainBm25Scores(papers: MatchPaper[]): (topic: string) => number[] {
  const docs = papers.map((p) => {
    const tf = new Map<string, number>();
    const toks = tokenize(`${p.title}. ${p.abstract}`);
    for (const t of toks) tf.set(t.term, (tf.get(t.term) ?? 0) + 1);
    return { tf, len: toks.length };
  });
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const avg = docs.reduce((s, d) => s + d.len, 0) / docs.length;
  const n = docs.length;
  return (topic) => {
    const q = [...new Set(tokenize(topic.replace(/"/g, ' ')).map((t) => t.term))];
    return docs.map((d) => {
      let s = 0;
      for (const t of q) {
        const f = d.tf.get(t);
        if (!f) continue;
        const idf = Math.log(1 + (n - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
        s += idf * (f * 2.2) / (f + 1.2 * (0.25 + 0.75 * d.len / avg));
      }
      return s;
    });
  };
}

export function plainBm25(papers: MatchPaper[], relativeCutoff = 0.5, max = 20): (topic: string) => string[] {
  const scores = plainBm25Scores(papers);
  return (topic) => {
    const scored = scores(topic).map((s, i) => ({ id: papers[i].id, s })).filter((x) => x.s > 0)
      .sort((a, b) => b.s - a.s || (a.id < b.id ? -1 : 1));
    const top = scored[0]?.s ?? 0;
    return scored.filter((x) => x.s >= relativeCutoff * top).slice(0, max).map((x) => x.id);
  };
}
