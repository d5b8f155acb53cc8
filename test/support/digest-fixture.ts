/** A digest that exercises every branch of the composition and the templates (the "golden digest"). */
import type { ComposeInput, DigestPaperInput } from '../../src/digest/compose.js';

export const LINKS = {
  manage: 'https://paperboy.example.org/preferences/tok-manage',
  unsubscribe: 'https://paperboy.example.org/unsubscribe/tok-unsub',
  webView: 'https://paperboy.example.org/digest/tok-digest',
};

/** The "More / Less like this" links of the golden digests (links.feedback of a delivery, token fixed). */
export const FEEDBACK = (paperId: string, choice: 'more' | 'less') =>
  `https://paperboy.example.org/feedback/tok-feedback?paper=${encodeURIComponent(paperId)}&v=${choice}`;

export const POSTAL = 'Paperboy at Example Lab, 1 Research Way, Cambridge CB1 1AA, UK';

const full: DigestPaperInput = {
  paperId: '2603.01234', topic: 'symbolic regression', rank: 1, score: 9.5,
  why: 'matched "symbolic regression" in title and abstract',
  title: 'Fast $\\mathcal{O}(n \\log n)$ Symbolic Regression in $\\mathbb{R}^{d}$ with \\textbf{Transformers}',
  abstract: 'ignored because an AI summary exists',
  aiSummary: 'A transformer proposes equations which a solver refines; it beats genetic programming on 80% of benchmarks while being 10× faster.',
  authors: ["Jos\\'e Garc\\'ia", 'Bj\\"orn M\\"uller', 'Chen Wei', 'Dana Smith', 'Eve Adams', 'Frank Li'],
  categories: ['cs.LG', 'cs.AI', 'cs.NE', 'stat.ML', 'math.OC', 'cs.SC'],
  absUrl: 'https://arxiv.org/abs/2603.01234', pdfUrl: 'https://arxiv.org/pdf/2603.01234',
  githubRepo: 'example/fast-sr', projectPage: 'https://fast-sr.example.org/', hfUpvotes: 1, hfDate: new Date('2026-03-03T00:00:00Z'),
};

const bare: DigestPaperInput = {
  paperId: 'hep-th/9901001', topic: 'symbolic regression', rank: 3, score: 4.1, why: '',
  title: 'A paper with nothing but a title and an abstract', abstract:
    'We study the problem of recovering closed-form expressions from data when $\\epsilon \\to 0$. ' +
    'Our method combines a grammar with a neural prior, and we prove that it converges under mild assumptions. ' +
    'Experiments on the Feynman benchmark show state-of-the-art recovery rates -- often by a wide margin -- and we release all code. ' +
    'A fourth sentence that no reader of a digest will ever see because the excerpt stops earlier.',
  authors: [], categories: [], absUrl: 'not a url',
};

const fourAuthors: DigestPaperInput = {
  paperId: '2603.05555', topic: 'graph neural networks', rank: 2, score: 7.2,
  why: 'matched "graph neural network" in abstract',
  title: 'Message Passing on Hypergraphs', abstract: 'Short abstract about $k$-uniform hypergraphs.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Donald Knuth'], categories: ['cs.LG'],
  absUrl: 'https://arxiv.org/abs/2603.05555', pdfUrl: 'https://arxiv.org/pdf/2603.05555', hfUpvotes: 0,
};

const overCap: DigestPaperInput = {
  ...fourAuthors, paperId: '2603.09999', rank: 4, title: 'Dropped by the cap', why: 'matched',
};

export function goldenDigest(): ComposeInput {
  return {
    date: '2026-03-03', frequency: 'daily', topics: ['symbolic regression', 'graph neural networks', 'cat:cs.SC'],
    papers: [overCap, bare, fourAuthors, full], maxPapers: 3, links: LINKS, feedback: FEEDBACK, postalAddress: POSTAL,
  };
}

export function goldenWeekly(): ComposeInput {
  // Upvotes without categories: the one meta-line branch the daily fixture does not reach.
  const upvotedOnly = { ...fourAuthors, categories: [], hfUpvotes: 42 };
  return { date: '2026-03-01', frequency: 'weekly', topics: ['graph neural networks'], papers: [upvotedOnly], links: LINKS, feedback: FEEDBACK, postalAddress: POSTAL };
}

export function goldenNothing(frequency: 'daily' | 'weekly'): ComposeInput {
  return { date: '2026-03-03', frequency, topics: ['quantum error correction'], papers: [], links: LINKS, postalAddress: POSTAL };
}

export const CONFIRM_CONTEXT = {
  topics: ['symbolic regression', 'graph neural networks'],
  confirmUrl: 'https://paperboy.example.org/confirm/tok-confirm',
  manageUrl: LINKS.manage, unsubscribeUrl: LINKS.unsubscribe, ttlDays: 7, postalAddress: POSTAL,
};
