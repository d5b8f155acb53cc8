/** Scoring of selections against graded judgments (rules in ../shared/relevance/README.md). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MatchPaper } from '../../src/matching/types.js';
import { parsePapers } from '../../src/cli/commands/match-input.js';

export interface Judgments {
  topics: Array<{ id: string; topic: string }>;
  qrels: Record<string, { relevant: Record<string, number>; disputed: string[] }>;
}

export interface TopicScore { id: string; topic: string; selected: number; precision: number; recall: number; f1: number; ndcg10: number }

/** A relevance folder: its papers read as `paperboy match` reads them (the sources' shapes too), and its judgments. */
export function loadRelevance(dir: string, judgmentsFile?: string): { papers: MatchPaper[]; judgments: Judgments } {
  const papersFile = path.join(dir, 'papers.json');
  return {
    papers: parsePapers(JSON.parse(readFileSync(papersFile, 'utf8')), papersFile, (m) => console.error(m)),
    judgments: JSON.parse(readFileSync(judgmentsFile ?? judgmentsIn(dir), 'utf8')) as Judgments,
  };
}

/**
 * The judgments file of a relevance folder: dev-judgments.json, or else the folder's one
 * `*judgments*.json` (a set judged elsewhere may name it after its own split, e.g. test-judgments.json).
 */
function judgmentsIn(dir: string): string {
  const dev = path.join(dir, 'dev-judgments.json');
  if (existsSync(dev)) return dev;
  const found = readdirSync(dir).filter((f) => /judgments.*\.json$/i.test(f));
  if (found.length === 1) return path.join(dir, found[0]);
  throw new Error(`${dir}: no dev-judgments.json, and ${found.length ? `several judgments files (${found.join(', ')})` : 'no *judgments*.json file'}; name one with --judgments <file>`);
}

/** The judgments with the topics reworded as in `file` (topic id → topic string), or as they are without a file. */
export function rewordTopics(j: Judgments, file: string | undefined): Judgments {
  if (!file) return j;
  const wording = JSON.parse(readFileSync(path.resolve(process.cwd(), file), 'utf8')) as Record<string, string>;
  return { ...j, topics: j.topics.map((t) => ({ ...t, topic: wording[t.id] ?? t.topic })) };
}

/** bench/extra-judgments.json: fifteen more topics judged for this project over the same papers. */
export const EXTRA_JUDGMENTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'extra-judgments.json');

/** bench/holdout-judgments.json: six topics judged after the parameters were chosen, never tuned on. */
export const HOLDOUT_JUDGMENTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'holdout-judgments.json');

/** bench/relevance-blind5-judgments.json: a fifth blind round, eight new topics over the same 240 papers, pooled and judged by three judges. */
export const BLIND5_JUDGMENTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'relevance-blind5-judgments.json');

/** A judgments file of this project's (topics and qrels over the relevance set's papers). */
export function readJudgments(file: string): Judgments {
  return JSON.parse(readFileSync(file, 'utf8')) as Judgments;
}

/** The judgments with the topics of `file` (same papers, or already read) added after them. */
export function withExtraTopics(j: Judgments, file: string | Judgments = EXTRA_JUDGMENTS): Judgments {
  const extra = typeof file === 'string' ? readJudgments(file) : file;
  const clash = extra.topics.find((t) => j.qrels[t.id]);
  if (clash) throw new Error(`${typeof file === 'string' ? file : 'added judgments'}: topic id "${clash.id}" is already judged`);
  return { topics: [...j.topics, ...extra.topics], qrels: { ...j.qrels, ...extra.qrels } };
}

export function scoreSelection(id: string, topic: string, selection: string[], qrels: Judgments['qrels'][string]): TopicScore {
  const disputed = new Set(qrels.disputed);
  const sel = selection.filter((p) => !disputed.has(p));
  const rel = qrels.relevant;
  const relevantCount = Object.keys(rel).filter((p) => !disputed.has(p)).length;
  const hits = sel.filter((p) => (rel[p] ?? 0) >= 1).length;
  const precision = sel.length ? hits / sel.length : 0;
  const recall = relevantCount ? hits / relevantCount : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const dcg = sel.slice(0, 10).reduce((s, p, i) => s + (rel[p] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.entries(rel).filter(([p]) => !disputed.has(p)).map(([, g]) => g).sort((a, b) => b - a)
    .slice(0, 10).reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  return { id, topic, selected: sel.length, precision, recall, f1, ndcg10: ideal ? dcg / ideal : 0 };
}

export function macro(scores: TopicScore[]): { precision: number; recall: number; f1: number; ndcg10: number } {
  const avg = (k: 'precision' | 'recall' | 'f1' | 'ndcg10') => scores.reduce((s, x) => s + x[k], 0) / scores.length;
  return { precision: avg('precision'), recall: avg('recall'), f1: avg('f1'), ndcg10: avg('ndcg10') };
}

export function evaluate(j: Judgments, select: (topic: string) => string[], only?: Set<string>): TopicScore[] {
  return j.topics.filter((t) => !only || only.has(t.id)).map((t) => scoreSelection(t.id, t.topic, select(t.topic), j.qrels[t.id]));
}

/**
 * How sure a macro average over few topics is: a paired bootstrap over the topics (`resamples`
 * draws of as many topics with replacement, seeded, so the figures repeat), giving the 95 %
 * percentile interval of `ours`' macro F1 and nDCG@10 and of its difference from `base` on the same
 * draw, and the share of draws in which `ours` is ahead. Both lists score the same topics in the
 * same order.
 */
export function bootstrap(ours: TopicScore[], base: TopicScore[], resamples = 10000, seed = 1): Record<'f1' | 'ndcg10', { lo: number; hi: number; diffLo: number; diffHi: number; ahead: number }> {
  if (ours.length !== base.length || ours.some((s, i) => s.id !== base[i].id)) throw new Error('bootstrap: the two lists must score the same topics in the same order');
  let state = seed >>> 0;
  // mulberry32: small, seeded, good enough to draw topic indexes.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = ours.length;
  const draws = { f1: { own: [] as number[], diff: [] as number[] }, ndcg10: { own: [] as number[], diff: [] as number[] } };
  for (let r = 0; r < resamples; r++) {
    const sum = { f1: [0, 0], ndcg10: [0, 0] };
    for (let k = 0; k < n; k++) {
      const i = Math.floor(random() * n);
      for (const m of ['f1', 'ndcg10'] as const) { sum[m][0] += ours[i][m]; sum[m][1] += base[i][m]; }
    }
    for (const m of ['f1', 'ndcg10'] as const) { draws[m].own.push(sum[m][0] / n); draws[m].diff.push((sum[m][0] - sum[m][1]) / n); }
  }
  const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
  const out = {} as Record<'f1' | 'ndcg10', { lo: number; hi: number; diffLo: number; diffHi: number; ahead: number }>;
  for (const m of ['f1', 'ndcg10'] as const) {
    out[m] = { lo: pct(draws[m].own, 0.025), hi: pct(draws[m].own, 0.975), diffLo: pct(draws[m].diff, 0.025), diffHi: pct(draws[m].diff, 0.975), ahead: draws[m].diff.filter((d) => d > 0).length / resamples };
  }
  return out;
}
