/**
 * Which fields a day mixes. Matching learns its word statistics and semantic space from the day's
 * papers, and a day that mixes arXiv's groups of archives (computer science next to physics next to
 * mathematics) is matched measurably less precisely than each field's papers apart (docs/matching.md,
 * "A fifth kind of day"). Pure: the daily run reports it to the operator.
 */

/** arXiv's groups of archives (https://arxiv.org/category_taxonomy); every other archive belongs to physics. */
const GROUPS = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);

/** The arXiv group of a category or archive ("cs.LG" → cs, "hep-th" → physics, "math.NA" → math). */
export function arxivGroup(category: string): string {
  const archive = category.trim().toLowerCase().replace(/\..*$/, '');
  return GROUPS.has(archive) ? archive : 'physics';
}

export interface FieldShare {
  field: string;
  papers: number;
}

/** Below this many papers with a category, a day's mix says nothing. */
export const MIXED_MIN_PAPERS = 30;

/**
 * The day's papers per arXiv group of their primary category (the first category when none is
 * marked primary), largest first — when no group holds more than half of the papers that have a
 * category and at least MIXED_MIN_PAPERS do; otherwise undefined (one field leads the day, or the
 * papers carry no categories, as Hugging Face's do not).
 */
export function mixedFields(papers: Iterable<{ primaryCategory?: string | null; categories?: readonly string[] | null }>): FieldShare[] | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of papers) {
    const primary = p.primaryCategory || p.categories?.[0];
    if (!primary) continue;
    const g = arxivGroup(primary);
    counts.set(g, (counts.get(g) ?? 0) + 1);
    total++;
  }
  if (total < MIXED_MIN_PAPERS) return undefined;
  const shares = [...counts].map(([field, n]) => ({ field, papers: n })).sort((a, b) => b.papers - a.papers || (a.field < b.field ? -1 : 1));
  return shares[0].papers * 2 > total ? undefined : shares;
}

/** "cs 39 %, physics 35 %, math 16 %, …" (groups under 5 % of the papers are summed up as "others"). */
export function describeFields(shares: FieldShare[]): string {
  const total = shares.reduce((s, x) => s + x.papers, 0);
  const pct = (n: number) => `${Math.round((100 * n) / total)} %`;
  const shown = shares.filter((s) => s.papers * 20 >= total);
  const rest = total - shown.reduce((s, x) => s + x.papers, 0);
  return [...shown.map((s) => `${s.field} ${pct(s.papers)}`), ...(rest > 0 ? [`others ${pct(rest)}`] : [])].join(', ');
}
