/** Text clean-up shared by the parsers. LaTeX is kept verbatim: the renderer decides what to do with it. */

/** Collapse every run of whitespace to one space and trim (titles, comments, names). */
export function collapse(s: string | undefined): string {
  if (!s) return '';
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Abstracts: keep paragraph breaks (a blank line, or a newline followed by indentation in the new
 * API format), unwrap hard-wrapped lines, collapse other whitespace.
 */
export function normalizeAbstract(s: string | undefined): string {
  if (!s) return '';
  const paragraphs = s
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n[ \t]*\n\s*/);
  return paragraphs.map((p) => collapse(p)).filter(Boolean).join('\n\n');
}

/** `arXiv:2604.21952v1 Announce Type: new \nAbstract: …` → the abstract, and the id/type in the prefix. */
const LISTING_PREFIX = /^\s*arXiv:(\S+) Announce Type: ([a-z-]+) ?\r?\nAbstract: ?/;

export function splitListingDescription(s: string): { abstract: string; id?: string; announceType?: string } {
  const m = LISTING_PREFIX.exec(s);
  if (!m) return { abstract: s };
  return { abstract: s.slice(m[0].length), id: m[1], announceType: m[2] };
}

/**
 * `dc:creator` of arXiv listings: one comma-separated string whose parenthesised affiliations may
 * themselves contain commas. Split on commas outside parentheses.
 */
export function splitAuthors(s: string | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */) depth = Math.max(0, depth - 1);
    else if (c === 44 /* , */ && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map(collapse).filter(Boolean);
}

export function optional(s: string | undefined): string | undefined {
  const v = collapse(s);
  return v === '' ? undefined : v;
}

/** Parse an RFC 822 / ISO date; undefined when absent or invalid. */
export function parseDate(s: string | undefined): Date | undefined {
  if (!s) return undefined;
  const d = new Date(s.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}
