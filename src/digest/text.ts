/** Pure text hygiene for anything that came from a feed, a subscriber or a matcher. */

// C0 and C1 controls (tabs and newlines become spaces later), DEL, BOM, bidi embeddings,
// overrides and isolates (U+202A–202E, U+2066–2069: they can reorder what follows them).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufeff\u202a-\u202e\u2066-\u2069]/g;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Printable ASCII, single spaces, no space at either end.
const SIMPLE_LINE = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

/** Drops control and bidi-override characters and replaces lone surrogates with U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(INVISIBLE, '').replace(LONE_SURROGATE, '\ufffd');
}

/** One line, no control characters, bounded (never splitting a surrogate pair): safe as an email Subject. */
export function oneLine(text: string, max = 140): string {
  if (text.length <= max && SIMPLE_LINE.test(text)) return text; // already one clean line: the common case
  // eslint-disable-next-line no-control-regex
  const clean = cleanText(text).replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  let cut = clean.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
