/** Pure: the only gate between untrusted URLs and an `href`. */

const MAX_URL = 2048;

/**
 * Keeps only absolute http(s) URLs (normalised by the WHATWG parser, so quotes and angle brackets
 * come back percent-encoded); anything else — javascript:, data:, vbscript:, protocol-relative,
 * relative, over-long — becomes ''.
 */
export function safeUrl(value: unknown): string {
  if (typeof value !== 'string') return '';
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_URL || !/^https?:\/\//i.test(trimmed)) return '';
  try {
    const u = new URL(trimmed);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return '';
    return u.toString();
  } catch {
    return '';
  }
}
