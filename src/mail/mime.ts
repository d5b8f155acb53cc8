/**
 * A lean RFC 5322 / MIME writer for the one message shape Paperboy sends in bulk: a
 * multipart/alternative digest (text/plain + text/html, UTF-8, quoted-printable) with a fixed set of
 * headers. Pure: string in, bytes out. The result goes to nodemailer as `raw`, so the pooled SMTP
 * transport (and its DKIM signer) is unchanged; only nodemailer's general-purpose MIME composer,
 * which dominated a digest's CPU time, is skipped (docs/delivery.md, "Throughput").
 *
 * Guarantees (test/unit/mail-mime.test.ts):
 * - header lines are folded at spaces to at most 78 characters (a single longer token, such as a
 *   long unsubscribe URL, stays whole: still far below the 998 limit), body lines at most 76;
 * - header values cannot carry a line break (CR/LF and other controls are refused or removed);
 * - non-ASCII header text is an RFC 2047 encoded word, never raw 8-bit;
 * - the boundary (`=_` inside) cannot occur in a quoted-printable body, where `=` is always encoded.
 */
import { createHash } from 'node:crypto';
import { oneLine as cleanLine } from '../digest/text.js';

/** Controls (including CR/LF and tabs) become spaces, runs of spaces collapse: one safe line, never cut. */
const oneLine = (value: string): string => cleanLine(value, Number.MAX_SAFE_INTEGER);

export interface MimeMessageInput {
  /** `Name <address>` or a bare address (MAIL_FROM). */
  from: string;
  replyTo?: string;
  /** A bare, validated address. */
  to: string;
  subject: string;
  /** `<…@…>` */
  messageId: string;
  date: Date;
  /** Further headers, in order; values must be printable ASCII (they are folded, not encoded). */
  headers: [string, string][];
  text: string;
  html: string;
}

export interface MimeMessage {
  /** SMTP envelope: the bare From address and the one recipient. */
  envelope: { from: string; to: string[] };
  messageId: string;
  raw: Buffer;
}

const CRLF = '\r\n';

export class MimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MimeError';
  }
}

/** `Name <addr>` → parts; a bare address has no name. Throws on anything that could inject a header. */
export function parseMailbox(value: string, what: string): { name?: string; address: string } {
  if (/[\r\n\0]/.test(value)) throw new MimeError(`${what} contains a line break`);
  const trimmed = value.trim();
  const m = /^(?:(.*?)\s*)?<([^<>\s]+)>$/.exec(trimmed);
  const address = m ? m[2] : trimmed;
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.[\]:-]+$/.test(address)) throw new MimeError(`${what} is not a valid address: ${JSON.stringify(value)}`);
  let name = m?.[1]?.trim();
  if (name && name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name ? { name, address } : { address };
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** RFC 2047 B-encoded words of at most 64 characters, never splitting a UTF-8 character. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    // 39 bytes → 52 base64 characters + 12 of `=?UTF-8?B?…?=` = 64: with `Reply-To: ` still ≤ 78.
    if (chunkBytes + n > 39) {
      words.push(`=?UTF-8?B?${Buffer.from(chunk).toString('base64')}?=`);
      chunk = '';
      chunkBytes = 0;
    }
    chunk += ch;
    chunkBytes += n;
  }
  if (chunk) words.push(`=?UTF-8?B?${Buffer.from(chunk).toString('base64')}?=`);
  return words;
}

/** Folds `Name: value` at spaces so lines stay ≤ 78 characters where a space allows it. */
function fold(name: string, tokens: string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const token of tokens) {
    if (lineLength + 1 + token.length > 78 && lineLength > name.length + 1) {
      out += `${CRLF} ${token}`;
      lineLength = 1 + token.length;
    } else {
      out += ` ${token}`;
      lineLength += 1 + token.length;
    }
  }
  return out + CRLF;
}

/** An unstructured header (Subject): plain and folded when ASCII, encoded words otherwise. */
export function unstructuredHeader(name: string, value: string): string {
  const line = oneLine(value);
  if (isAscii(line)) return fold(name, line.split(' ').filter(Boolean));
  return fold(name, encodedWords(line));
}

/** A mailbox header (From, Reply-To, To): the display name quoted or encoded as needed. */
export function mailboxHeader(name: string, value: string): string {
  const box = parseMailbox(value, name);
  if (!box.name) return fold(name, [box.address]);
  const display = oneLine(box.name);
  let phrase: string[];
  if (!isAscii(display)) phrase = encodedWords(display);
  else if (/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/.test(display)) phrase = display.split(' ').filter(Boolean);
  else phrase = [`"${display.replace(/(["\\])/g, '\\$1')}"`];
  return fold(name, [...phrase, `<${box.address}>`]);
}

/** A structured header given as printable ASCII; folded at `, ` and spaces. */
export function asciiHeader(name: string, value: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(name)) throw new MimeError(`invalid header name ${JSON.stringify(name)}`);
  if (!isAscii(value)) throw new MimeError(`header ${name} must be printable ASCII: ${JSON.stringify(value)}`);
  return fold(name, value.split(' ').filter(Boolean));
}

/** RFC 5322 date-time in UTC: `Thu, 26 Nov 2026 23:59:09 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

const HEX = Buffer.from('0123456789ABCDEF');
// Byte classes: 0 literal, 1 encoded, 2 space or tab, 3 LF, 4 CR, 5 dot.
const CLASS = new Uint8Array(256).fill(1);
for (let c = 0x21; c <= 0x7e; c++) CLASS[c] = 0;
CLASS[0x3d] = 1;
CLASS[0x20] = 2;
CLASS[0x09] = 2;
CLASS[0x0a] = 3;
CLASS[0x0d] = 4;
CLASS[0x2e] = 5;

/**
 * Quoted-printable (RFC 2045 §6.7) of UTF-8 text, written byte by byte into one buffer: line
 * breaks (LF or CRLF) become CRLF, lines are soft-broken before 76 characters, `=`, controls,
 * 8-bit bytes and whitespace before a line end are encoded, and a `.` opening a line is encoded too
 * (so no relay or mbox tool can misread it).
 */
export function encodeQuotedPrintable(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const n = input.length;
  // Worst case: every byte → 3 + a soft break every 25 bytes.
  const out = Buffer.allocUnsafe(n * 3 + Math.ceil(n / 25) * 3 + 2);
  let o = 0;
  let col = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i];
    let cls = CLASS[b];
    if (cls === 0 && col < 75) {
      out[o++] = b;
      col++;
      continue;
    }
    if (cls === 3 || (cls === 4 && input[i + 1] === 0x0a)) {
      if (cls === 4) i++;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      col = 0;
      continue;
    }
    if (cls === 2) {
      // Whitespace is literal unless a line end (or the end) follows it.
      const next = i + 1 < n ? CLASS[input[i + 1]] : 3;
      cls = next === 3 || (next === 4 && input[i + 2] === 0x0a) ? 1 : 0;
    } else if (cls === 5) {
      cls = col === 0 || col >= 75 ? 1 : 0; // a dot that opens a line (now or after the soft break)
    } else if (cls === 4) {
      cls = 1; // a lone CR
    }
    const width = cls === 0 ? 1 : 3;
    if (col + width > 75) {
      out[o++] = 0x3d;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      col = 0;
    }
    if (cls === 0) {
      out[o++] = b;
      col += 1;
    } else {
      out[o++] = 0x3d;
      out[o++] = HEX[b >> 4];
      out[o++] = HEX[b & 15];
      col += 3;
    }
  }
  return out.subarray(0, o);
}

/** The multipart boundary: derived from the Message-ID (stable output), `=_` makes it QP-proof. */
function boundaryFor(messageId: string): string {
  return `=_pb_${createHash('sha1').update(messageId).digest('hex').slice(0, 24)}`;
}

export function buildMimeMessage(input: MimeMessageInput): MimeMessage {
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(input.messageId)) throw new MimeError(`Message-ID must look like <id@domain>: ${JSON.stringify(input.messageId)}`);
  const from = parseMailbox(input.from, 'From');
  const to = parseMailbox(input.to, 'To');
  const boundary = boundaryFor(input.messageId);
  let head = mailboxHeader('From', input.from);
  if (input.replyTo) head += mailboxHeader('Reply-To', input.replyTo);
  head += mailboxHeader('To', input.to);
  head += unstructuredHeader('Subject', input.subject);
  head += `Date: ${rfc5322Date(input.date)}${CRLF}`;
  head += `Message-ID: ${input.messageId}${CRLF}`;
  for (const [name, value] of input.headers) head += asciiHeader(name, value);
  head += `MIME-Version: 1.0${CRLF}`;
  head += `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"${CRLF}${CRLF}`;
  const part = (type: string) =>
    `--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;
  const raw = Buffer.concat([
    Buffer.from(head + part('text/plain'), 'latin1'),
    encodeQuotedPrintable(input.text),
    Buffer.from(`${CRLF}${part('text/html')}`, 'latin1'),
    encodeQuotedPrintable(input.html),
    Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'),
  ]);
  return { envelope: { from: from.address, to: [to.address] }, messageId: input.messageId, raw };
}
