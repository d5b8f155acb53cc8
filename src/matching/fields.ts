/**
 * Which fields a day mixes. Matching learns its word statistics and semantic space from the day's
 * papers, and a day that mixes arXiv's groups of archives (computer science next to physics next to
 * mathematics) matched as one day is matched measurably less precisely than each field's papers apart
 * (docs/matching.md, "A fifth kind of day"). So the matcher cuts such a day into the days of
 * single-field instances (fieldParts), and the daily run reports it to the operator. Pure.
 */

/** arXiv's groups of archives (https://arxiv.org/category_taxonomy); every other archive belongs to physics. */
const GROUPS = new Set(['cs', 'econ', 'eess', 'math', 'q-bio', 'q-fin', 'stat']);

/** The arXiv group of a category or archive ("cs.LG" → cs, "hep-th" → physics, "math.NA" → math). */
export function arxivGroup(category: string): string {
  const archive = category.trim().toLowerCase().replace(/\..*$/, '');
  return GROUPS.has(archive) ? archive : 'physics';
}

/** What the field rules read of a paper (a stored paper or a MatchPaper). */
type Categorized = { primaryCategory?: string | null; categories?: readonly string[] | null };

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
export function mixedFields(papers: Iterable<Categorized>): FieldShare[] | undefined {
  const counts = new Map<string, number>();
  let total = 0;
  for (const p of papers) {
    const g = paperGroup(p);
    if (!g) continue;
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

/** A paper's arXiv group, by its primary category (the first one when none is marked); undefined without categories. */
export function paperGroup(p: Categorized): string | undefined {
  const primary = p.primaryCategory || p.categories?.[0];
  return primary ? arxivGroup(primary) : undefined;
}

/** One part of a mixed day: the papers of arXiv group `field` (undefined: the rest). */
export interface FieldPart<P> {
  field: string | undefined;
  papers: P[];
}

/**
 * A mixed day cut into the days of single-field instances: while what is left is mixed
 * (mixedFields, by primary category), its largest group becomes a part of its own, holding every
 * paper left with a category of that group — primary or cross-listed, as that group's arXiv listing
 * shows them; what remains last is one part (led by its own largest group, or too small to tell).
 * Undefined when the day is not mixed. The whole listing (cs 39 %, physics 35 %, math 16 %, … by
 * primary) becomes its papers in cs (those of the cs listing) and the rest (physics 65 % of it).
 */
export function fieldParts<P extends Categorized>(papers: readonly P[]): FieldPart<P>[] | undefined {
  let rest = [...papers];
  const parts: FieldPart<P>[] = [];
  for (let shares = mixedFields(rest); shares; shares = mixedFields(rest)) {
    const field = shares[0].field;
    const part: P[] = [];
    const left: P[] = [];
    for (const p of rest) (inField(p, field) ? part : left).push(p);
    parts.push({ field, papers: part });
    rest = left;
  }
  if (!parts.length) return undefined;
  if (rest.length) parts.push({ field: undefined, papers: rest });
  return parts;
}

/** Whether any of a paper's categories is in arXiv group `field`. */
export function inField(p: Categorized, field: string): boolean {
  return !!p.categories?.some((c) => arxivGroup(c) === field) || (!!p.primaryCategory && arxivGroup(p.primaryCategory) === field);
}

/** The part of `parts` (from fieldParts) a paper belongs to: the first whose field it has, else the last, open one; -1 when there is none. */
export function partOf(parts: ReadonlyArray<{ field: string | undefined }>, p: Categorized): number {
  return parts.findIndex((part) => part.field === undefined || inField(p, part.field));
}
