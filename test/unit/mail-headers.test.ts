/**
 * Deliverability headers on the raw message as a relay receives it, and DKIM: a key generated here
 * signs through the real transport factory, and mailauth (a real DKIM verifier) checks the signature.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { loadTemplates } from '../../src/digest/templates.js';
import { composeDigest } from '../../src/digest/compose.js';
import { renderDigest } from '../../src/digest/render.js';
import { buildDigestMessage, digestMessageId, listIdHeader, listUnsubscribeHeader } from '../../src/mail/message.js';
import { DKIM_SIGNED_HEADERS, dkimOptions } from '../../src/mail/dkim.js';
import { createSmtpMailer } from '../../src/mail/transport.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { goldenDigest, LINKS } from '../support/digest-fixture.js';

const require = createRequire(import.meta.url);
const { dkimVerify } = require('mailauth/lib/dkim/verify') as {
  dkimVerify(input: Buffer | string, options: { resolver: (name: string, type: string) => Promise<string[][]> }): Promise<{
    results: { status: { result: string; comment?: string }; signingHeaders: { keys: string } }[];
  }>;
};

const templates = loadTemplates(new URL('../../templates/', import.meta.url).pathname);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DNS_TXT = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
const resolver = async (name: string, type: string) => {
  if (type === 'TXT' && name === 'pb2026._domainkey.paperboy.example.org') return [[DNS_TXT]];
  throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
};

function digestMessage(to = 'reader@example.org') {
  const rendered = renderDigest(templates, composeDigest(goldenDigest()));
  return buildDigestMessage({
    from: 'Paperboy <digest@paperboy.example.org>', to, subject: rendered.subject, html: rendered.html, text: rendered.text,
    messageId: digestMessageId('6f1c2d3e-0000-4000-8000-000000000001', '2026-03-03', 'paperboy.example.org'),
    listId: 'daily.paperboy.example.org', unsubscribeUrl: LINKS.unsubscribe, unsubscribeMailto: 'unsubscribe@paperboy.example.org',
  });
}

function headerLines(raw: string, name: string): string[] {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return head.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
}

describe('digest message headers', () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => { smtp = await startSmtpServer(); });
  afterAll(async () => { await smtp.close(); });

  test('one-click List-Unsubscribe (https URI + mailto), List-Id and a deterministic Message-ID reach the relay', async () => {
    const mailer = createSmtpMailer({ url: smtp.url, pool: false, maxConnections: 1 });
    try {
      await mailer.send(digestMessage('headers@example.org'));
    } finally {
      await mailer.close();
    }
    const [mail] = smtp.to('headers@example.org');
    expect(headerLines(mail.raw, 'List-Unsubscribe')).toEqual([
      'List-Unsubscribe: <https://paperboy.example.org/unsubscribe/tok-unsub>, <mailto:unsubscribe@paperboy.example.org?subject=unsubscribe>',
    ]);
    expect(headerLines(mail.raw, 'List-Unsubscribe-Post')).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    expect(headerLines(mail.raw, 'List-Id')).toEqual(['List-Id: Paperboy digest <daily.paperboy.example.org>']);
    expect(headerLines(mail.raw, 'Message-ID')).toEqual(['Message-ID: <digest.2026-03-03.6f1c2d3e-0000-4000-8000-000000000001@paperboy.example.org>']);
    expect(headerLines(mail.raw, 'Subject')).toHaveLength(1);
    expect(mail.parsed.subject).toBe('3 new papers for you — Tuesday 3 March 2026');
    // Both parts, from the same data.
    expect(mail.parsed.text).toContain('Message Passing on Hypergraphs');
    expect(mail.parsed.html).toContain('Message Passing on Hypergraphs');
  });

  test('DKIM: the transport signs both unsubscribe headers and a real verifier accepts the signature', async () => {
    const dkim = dkimOptions({ domain: 'paperboy.example.org', selector: 'pb2026', key: PEM }, () => { throw new Error('not a path'); })!;
    const mailer = createSmtpMailer({ url: smtp.url, pool: false, maxConnections: 1, dkim });
    try {
      await mailer.send(digestMessage('dkim@example.org'));
    } finally {
      await mailer.close();
    }
    const [mail] = smtp.to('dkim@example.org');
    const signature = headerLines(mail.raw, 'DKIM-Signature')[0];
    const h = /\bh=([^;]+)/.exec(signature)![1].replace(/\s+/g, '').toLowerCase().split(':');
    expect(h).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'from', 'subject', 'message-id']));
    const result = await dkimVerify(Buffer.from(mail.raw), { resolver });
    expect(result.results).toHaveLength(1);
    expect(result.results[0].status.result).toBe('pass');
    expect(result.results[0].signingHeaders.keys.toLowerCase()).toContain('list-unsubscribe-post');
  });

  test('a tampered unsubscribe header breaks the signature', async () => {
    const dkim = dkimOptions({ domain: 'paperboy.example.org', selector: 'pb2026', key: PEM }, () => '')!;
    const mailer = createSmtpMailer({ url: smtp.url, pool: false, maxConnections: 1, dkim });
    try {
      await mailer.send(digestMessage('tamper@example.org'));
    } finally {
      await mailer.close();
    }
    const raw = smtp.to('tamper@example.org')[0].raw.replace('List-Unsubscribe=One-Click', 'List-Unsubscribe=Two-Click');
    const result = await dkimVerify(Buffer.from(raw), { resolver });
    expect(result.results[0].status.result).toBe('fail');
  });
});

describe('DKIM settings', () => {
  test('the key may be PEM text, PEM with literal \\n, or a path to a PEM file', () => {
    expect(dkimOptions({ domain: 'd.example', selector: 's', key: PEM }, () => '')?.privateKey).toBe(PEM.trim());
    expect(dkimOptions({ domain: 'd.example', selector: 's', key: PEM.trim().replace(/\n/g, '\\n') }, () => '')?.privateKey).toBe(PEM.trim());
    const dir = mkdtempSync(path.join(tmpdir(), 'pb-dkim-'));
    try {
      const file = path.join(dir, 'dkim.pem');
      writeFileSync(file, PEM);
      const options = dkimOptions({ domain: 'd.example', selector: 's', key: file }, (p) => require('node:fs').readFileSync(p, 'utf8'));
      expect(options).toEqual({ domainName: 'd.example', keySelector: 's', privateKey: PEM.trim(), headerFieldNames: DKIM_SIGNED_HEADERS });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('off unless both domain and key are set; bad values name the setting', () => {
    expect(dkimOptions({ selector: 's', key: PEM }, () => '')).toBeUndefined();
    expect(dkimOptions({ domain: 'd.example', selector: 's' }, () => '')).toBeUndefined();
    expect(() => dkimOptions({ domain: 'd.example', selector: 's', key: '/nope/dkim.pem' }, () => { throw new Error('ENOENT'); }))
      .toThrow(/DKIM_PRIVATE_KEY is neither PEM text nor a readable file/);
    expect(() => dkimOptions({ domain: 'd.example', selector: 's', key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }, () => ''))
      .toThrow(/DKIM_PRIVATE_KEY is not a usable RSA private key/);
    expect(() => dkimOptions({ domain: 'd.example\r\nX: y', selector: 's', key: PEM }, () => '')).toThrow(/DKIM_DOMAIN/);
    expect(DKIM_SIGNED_HEADERS.split(':')).toEqual(expect.arrayContaining(['List-Unsubscribe', 'List-Unsubscribe-Post']));
  });
});

describe('header values', () => {
  test('List-Unsubscribe refuses non-http URLs and mailto values that could break out', () => {
    expect(() => listUnsubscribeHeader('javascript:alert(1)')).toThrow(/http\(s\) URL/);
    expect(() => listUnsubscribeHeader(LINKS.unsubscribe, 'a@b.example>, <https://evil.example')).toThrow(/UNSUBSCRIBE_MAILTO/);
    expect(listUnsubscribeHeader(LINKS.unsubscribe, 'mailto:u@b.example')).toBe(`<${LINKS.unsubscribe}>, <mailto:u@b.example?subject=unsubscribe>`);
  });

  test('List-Id keeps only the characters RFC 2919 allows', () => {
    expect(listIdHeader('Daily.Paperboy.Example.org')).toBe('Paperboy digest <daily.paperboy.example.org>');
    expect(listIdHeader('a b>\r\nBcc: x')).toBe('Paperboy digest <a-b-bcc-x>');
  });
});
