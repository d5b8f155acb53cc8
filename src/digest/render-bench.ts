/**
 * Pure measurement helpers for the rendering benchmark (`npm run bench:render`), exported so that
 * `bench:deliver` can run the same "render only" section inside its own run.
 */
import { composeDigest, createPaperViewCache, type ComposeInput, type DigestPaperInput } from './compose.js';
import { renderDigest } from './render.js';
import type { TemplateSet } from './templates.js';

const WORDS = 'learning model graph neural network transformer symbolic regression data training sparse optimal bound theorem diffusion robust quantum causal inference language vision benchmark'.split(' ');

/** A deterministic pool of realistic papers (LaTeX, long author lists, HF metadata on some). */
export function syntheticPapers(count: number): DigestPaperInput[] {
  const papers: DigestPaperInput[] = [];
  for (let i = 0; i < count; i++) {
    const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length];
    const sentences = Array.from({ length: 8 }, (_, k) => `We ${w(k)} the ${w(k + 1)} ${w(k + 2)} with $\\alpha_{${k}} \\leq \\mathcal{O}(n^{2})$ and show ${w(k + 3)} gains.`);
    papers.push({
      paperId: `2603.${String(10000 + i)}`, topic: '', rank: 0, score: 0, why: '',
      title: `${w(1)} ${w(2)} for $\\mathbb{R}^{d}$ ${w(3)}: a \\textbf{${w(4)}} approach`,
      abstract: sentences.join(' '),
      authors: Array.from({ length: 1 + (i % 9) }, (_, k) => `Author${k} M\\"uller-${i}`),
      categories: ['cs.LG', 'cs.AI', 'stat.ML'].slice(0, 1 + (i % 3)),
      absUrl: `https://arxiv.org/abs/2603.${10000 + i}`, pdfUrl: `https://arxiv.org/pdf/2603.${10000 + i}`,
      ...(i % 3 === 0 ? { hfUpvotes: i % 50, aiSummary: `An AI summary of paper ${i}: ${sentences[0]}`, githubRepo: `https://github.com/lab/repo-${i}` } : {}),
    });
  }
  return papers;
}

/** `count` digest inputs of `perDigest` papers each, drawn from `pool`, over three topics. */
export function syntheticDigests(pool: DigestPaperInput[], count: number, perDigest: number): ComposeInput[] {
  const topics = ['graph neural networks', 'symbolic regression', 'diffusion models'];
  return Array.from({ length: count }, (_, s) => ({
    date: '2026-03-03',
    frequency: s % 7 === 0 ? 'weekly' : 'daily',
    topics,
    links: {
      manage: `https://paperboy.example.org/preferences/m${s}`,
      unsubscribe: `https://paperboy.example.org/unsubscribe/u${s}`,
      webView: `https://paperboy.example.org/digest/d${s}`,
    },
    postalAddress: 'Paperboy, 1 Research Way',
    feedback: (paperId: string, choice: 'more' | 'less') => `https://paperboy.example.org/feedback/f${s}?paper=${encodeURIComponent(paperId)}&v=${choice}`,
    papers: Array.from({ length: perDigest }, (_, k) => ({
      ...pool[(s * 31 + k * 17) % pool.length],
      topic: topics[k % 3], rank: k + 1, score: perDigest - k, why: `matched "${topics[k % 3]}" in abstract`,
    })),
  }));
}

export interface RenderRun {
  digests: number;
  ms: number;
  perSecond: number;
  bytes: number;
}

/**
 * Composes and renders every input once, with a fresh paper view cache as the delivery service
 * keeps one (or none: every paper composed and rendered in full each time); returns the throughput.
 */
export function renderRun(templates: TemplateSet, inputs: ComposeInput[], now: () => number, options: { paperCache?: boolean } = {}): RenderRun {
  let bytes = 0;
  const cache = options.paperCache === false ? undefined : createPaperViewCache();
  const t0 = now();
  for (const input of inputs) {
    const r = renderDigest(templates, composeDigest(input, { cache }));
    bytes += r.html.length + r.text.length;
  }
  const ms = now() - t0;
  return { digests: inputs.length, ms, perSecond: (inputs.length / ms) * 1000, bytes: bytes / inputs.length };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
