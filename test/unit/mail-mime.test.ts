/**
 * The lean MIME writer: what it writes is read back by mailparser (a real MIME parser) and must
 * give back exactly the text, HTML and headers that went in, whatever the text holds.
 */
import { describe, expect, test } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { buildMimeMessage, encodeQuotedPrintable, MimeError, type MimeMessageInput } from '../../src/mail/mime.js';

function input(over: Partial<MimeMessageInput> = {}): MimeMessageInput {
  return {
    from: 'Paperboy <digest@paperboy.example.org>',
    to: 'reader@example.org',
    subject: 'Your papers for 3 March',
    messageId: '<digest.2026-03-03.abc@paperboy.example.org>',
    date: new Date('2026-03-03T06:30:00Z'),
    headers: [['List-Id', 'Paperboy digest <daily.paperboy.example.org>']],
    text: 'Hello\nworld',
    html: '<p>Hello</p>',
    ...over,
  };
}

function lines(raw: Buffer): string[] {
  return raw.toString('latin1').split('\r\n');
}

/** Deterministic hostile text: every kind of character the writer treats specially, mixed. */
function hostileText(seed: number, length: number): string {
  const pieces = ['a', 'Z', ' ', '\t', '=', '.', '\n', '\r\n', '\r', 'é', '—', '𝔼', '中', '=3D', '..', '--=_pb_', 'From ', '\u0000', '~', 'x'.repeat(90)];
  let s = seed;
  let out = '';
  while (out.length < length) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out += pieces[s % pieces.length];
  }
  return out;
}

describe('quoted-printable', () => {
  test('encodes =, 8-bit bytes, trailing whitespace and a leading dot; keeps everything else readable', () => {
    const qp = encodeQuotedPrintable('a=b café \n.hidden\t\nend ').toString('latin1');
    expect(qp).toBe('a=3Db caf=C3=A9=20\r\n=2Ehidden=09\r\nend=20');
  });

  test('soft-breaks long lines below 76 characters and never splits an =XX escape', () => {
    const qp = encodeQuotedPrintable('é'.repeat(100) + 'x'.repeat(200)).toString('latin1');
    for (const line of qp.split('\r\n')) {
      expect(line.length).toBeLessThanOrEqual(76);
      expect(line).toMatch(/^(=[0-9A-F]{2}|[\x21-\x3c\x3e-\x7e ])*=?$/);
    }
  });

  test.each([1, 2, 3, 4, 5])('hostile text %i survives a round trip through a MIME parser byte for byte', async (seed) => {
    const text = hostileText(seed, 3000);
    const html = `<p>${hostileText(seed + 10, 5000)}</p>`;
    const msg = buildMimeMessage(input({ text, html }));
    for (const line of lines(msg.raw)) expect(line.length).toBeLessThanOrEqual(78);
    expect(msg.raw.toString('latin1')).toMatch(/^[\x09\x0d\x0a\x20-\x7e]*$/); // 7-bit clean
    const parsed = await simpleParser(msg.raw);
    // Line ends are normalised to CRLF on the wire and read back as LF; a lone CR is kept.
    expect(parsed.text).toBe(text.replace(/\r\n/g, '\n'));
    expect(parsed.html).toBe(html.replace(/\r\n/g, '\n'));
  });
});

describe('headers', () => {
  test('a non-ASCII subject and display name are encoded words and decode to the original', async () => {
    const subject = 'Neue Arbeiten: Größenordnung — 𝔼[x] & “quotes” '.repeat(3).trim();
    const msg = buildMimeMessage(input({ subject, from: '"Lab Ü, digest" <digest@paperboy.example.org>' }));
    const head = msg.raw.toString('latin1').split('\r\n\r\n')[0];
    expect(head).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    const parsed = await simpleParser(msg.raw);
    expect(parsed.subject).toBe(subject);
    expect(parsed.from?.value[0]).toEqual({ name: 'Lab Ü, digest', address: 'digest@paperboy.example.org' });
  });

  test('an ASCII display name with specials is quoted; the envelope carries the bare addresses', async () => {
    const msg = buildMimeMessage(input({ from: 'The "Paper" Boy, Inc. <news@example.org>', replyTo: 'help@example.org' }));
    expect(msg.envelope).toEqual({ from: 'news@example.org', to: ['reader@example.org'] });
    const parsed = await simpleParser(msg.raw);
    expect(parsed.from?.value[0]).toEqual({ name: 'The "Paper" Boy, Inc.', address: 'news@example.org' });
    expect(parsed.replyTo?.value[0].address).toBe('help@example.org');
    expect(parsed.messageId).toBe('<digest.2026-03-03.abc@paperboy.example.org>');
    expect(parsed.date?.toISOString()).toBe('2026-03-03T06:30:00.000Z');
    expect(msg.raw.toString()).toContain('\r\nList-Id: Paperboy digest <daily.paperboy.example.org>\r\n');
  });

  test('line breaks in a subject cannot add a header', async () => {
    const msg = buildMimeMessage(input({ subject: 'Hi\r\nBcc: victim@example.org\nX-Evil: 1' }));
    const parsed = await simpleParser(msg.raw);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('x-evil')).toBe(false);
    expect(parsed.subject).toBe('Hi Bcc: victim@example.org X-Evil: 1');
  });

  test.each([
    ['to', 'reader@example.org\r\nBcc: x@example.org', /To contains a line break/],
    ['to', 'two@example.org, three@example.org', /To is not a valid address/],
    ['from', 'Name <not-an-address>', /From is not a valid address/],
    ['messageId', 'no-angle@x', /Message-ID must look like/],
  ] as const)('%s %j is refused with an error naming the field', (field, value, message) => {
    expect(() => buildMimeMessage(input({ [field]: value }))).toThrow(MimeError);
    expect(() => buildMimeMessage(input({ [field]: value }))).toThrow(message);
  });

  test('extra headers must be ASCII and well named', () => {
    expect(() => buildMimeMessage(input({ headers: [['List-Id', 'Ünïcode <x>']] }))).toThrow(/List-Id must be printable ASCII/);
    expect(() => buildMimeMessage(input({ headers: [['Bad: Name', 'x']] }))).toThrow(/invalid header name/);
  });

  test('the same input gives the same bytes (the boundary derives from the Message-ID)', () => {
    expect(buildMimeMessage(input()).raw.equals(buildMimeMessage(input()).raw)).toBe(true);
    expect(buildMimeMessage(input()).raw.toString()).toMatch(/boundary="=_pb_[0-9a-f]{24}"/);
  });
});
