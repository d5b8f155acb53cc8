/**
 * Pure: turns the papers a delivery carries into the view model both the HTML and the text
 * templates render (so the text part is rendered from the same data, never scraped from HTML).
 */
export interface DigestPaperInput {
  paperId: string;
  topic: string;
  rank: number;
  score: number;
  why: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  absUrl: string;
  pdfUrl?: string | null;
  githubRepo?: string | null;
  hfUpvotes?: number | null;
  aiSummary?: string | null;
  hfDate?: Date | null;
}

export interface DigestLinks {
  manage: string;
  unsubscribe: string;
  webView: string;
}

export interface DigestViewPaper {
  id: string;
  title: string;
  url: string;
  authors: string;
  categories: string;
  excerpt: string;
  why: string;
  pdfUrl?: string;
  codeUrl?: string;
  hfUrl?: string;
  upvotes?: number;
}

export interface DigestView {
  date: string;
  dateLabel: string;
  subject: string;
  preheader: string;
  paperCount: number;
  groups: { topic: string; papers: DigestViewPaper[] }[];
  links: DigestLinks;
  postalAddress: string;
}

/** "A, B, C et al." — long author lists shortened. */
export function shortAuthors(authors: string[], max = 3): string {
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} et al.`;
}

/** First sentences of `text`, at most `max` characters, cut at a word boundary. */
export function excerpt(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > max * 0.6 ? lastSpace : max).replace(/[,;:.\s]+$/, '')}…`;
}

/** One line, no control characters, bounded: safe as an email Subject. */
export function oneLine(text: string, max = 140): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export function composeDigest(input: {
  date: string;
  papers: DigestPaperInput[];
  links: DigestLinks;
  postalAddress: string;
}): DigestView {
  const sorted = [...input.papers].sort((a, b) => a.rank - b.rank);
  const groups: DigestView['groups'] = [];
  for (const p of sorted) {
    let g = groups.find((x) => x.topic === p.topic);
    if (!g) groups.push((g = { topic: p.topic, papers: [] }));
    g.papers.push({
      id: p.paperId,
      title: oneLine(p.title, 400),
      url: p.absUrl,
      authors: shortAuthors(p.authors),
      categories: p.categories.join(', '),
      excerpt: excerpt(p.aiSummary || p.abstract),
      why: p.why,
      pdfUrl: p.pdfUrl ?? undefined,
      codeUrl: p.githubRepo ?? undefined,
      hfUrl: p.hfUpvotes != null || p.hfDate ? `https://huggingface.co/papers/${p.paperId}` : undefined,
      upvotes: p.hfUpvotes ?? undefined,
    });
  }
  const n = sorted.length;
  const dateLabel = new Date(`${input.date}T00:00:00Z`).toLocaleDateString('en-GB', {
    weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC',
  });
  const top = sorted[0] ? oneLine(sorted[0].title, 80) : '';
  return {
    date: input.date,
    dateLabel,
    // n = 0 only for subscribers who asked for a "nothing today" note.
    subject: oneLine(n === 0 ? `Nothing new on your topics today — ${dateLabel}` : `${n} new ${n === 1 ? 'paper' : 'papers'} for you — ${dateLabel}`),
    preheader: oneLine(top ? `Top: ${top}` : 'No new papers matched your topics today'),
    paperCount: n,
    groups,
    links: input.links,
    postalAddress: input.postalAddress,
  };
}
