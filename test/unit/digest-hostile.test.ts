/**
 * Hostile text from feeds, subscribers and matchers: it must come out as inert text, links only
 * http(s), one Subject line, and a bounded message size.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { loadTemplates, memoSafeUrl } from '../../src/digest/templates.js';
import { safeUrl } from '../../src/digest/safe-url.js';
import { composeDigest, type DigestPaperInput } from '../../src/digest/compose.js';
import { renderDigest, renderDigestWebPage } from '../../src/digest/render.js';
import { buildDigestMessage } from '../../src/mail/message.js';
import { FEEDBACK, LINKS, POSTAL } from '../support/digest-fixture.js';

const templates = loadTemplates(new URL('../../templates/', import.meta.url).pathname);

const XSS = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "'><iframe src=javascript:alert(1)>",
  '{{constructor.constructor("alert(1)")()}}', '</td></tr></table><a href="javascript:alert(1)">x</a>',
];
const BAD_URLS = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:msgbox(1)', '//evil.example/x', '/relative', 'https://ok.example/"><script>x</script>'];
const MEGABYTE = `${'An abstract that never ends $\\alpha$. '.repeat(26_000)}`;

function hostilePapers(): DigestPaperInput[] {
  return XSS.map((x, i) => ({
    // The last paper's id is hostile too: it only ever reaches a feedback link's query, encoded.
    paperId: i === XSS.length - 1 ? x : `2603.0000${i}`, topic: `${x} topic`, rank: i + 1, score: 1,
    why: `matched ${x}`,
    title: `${x}\r\nBcc: victim@example.com\u0000 \u202Eevil\u202C 🚀 \ud800 title`,
    abstract: i === 0 ? MEGABYTE : `Abstract ${x} with emoji 🧪, RTL \u202Eoverride\u202C, NUL \u0000 and a lone \udc00 surrogate.`,
    aiSummary: i === 1 ? `Summary ${x}` : null,
    authors: [x, `Name\u0000With\u202ENUL`, '\ud83d'],
    categories: [x, 'cs.LG'],
    absUrl: BAD_URLS[i % BAD_URLS.length], pdfUrl: BAD_URLS[(i + 1) % BAD_URLS.length],
    githubRepo: BAD_URLS[(i + 2) % BAD_URLS.length], projectPage: BAD_URLS[(i + 3) % BAD_URLS.length], hfUpvotes: i,
  }));
}

function view() {
  return composeDigest({
    date: '2026-03-03', papers: hostilePapers(), topics: XSS, postalAddress: `${POSTAL} <b>bold</b>`,
    links: { ...LINKS, webView: 'javascript:alert(1)' }, feedback: FEEDBACK,
  });
}

const ALLOWED_TAGS = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'div', 'table', 'tr', 'td', 'h1', 'h2', 'h3', 'p', 'a', 'span']);

describe('hostile text renders as inert text', () => {
  const rendered = renderDigest(templates, view());

  test('only the template\'s own tags appear; no attribute comes from data', () => {
    const withoutComments = rendered.html.replace(/<!--[\s\S]*?-->/g, ''); // the template's own MSO conditionals
    const tags = [...withoutComments.matchAll(/<\/?([a-zA-Z!][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase());
    expect(tags.filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(rendered.html).not.toMatch(/<script|<svg|<img|<iframe|\sonerror=|\sonload=/i);
  });

  test('every href is an absolute http(s) URL', () => {
    const hrefs = [...rendered.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(/^https?:\/\/[^\s"<>]+$/);
    expect(rendered.html).not.toMatch(/\s(href|src|action|style)="[^"]*(javascript|vbscript|data):/i);
    expect(rendered.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;'); // shown as text, harmlessly
    expect(rendered.html).not.toContain('View in browser'); // the javascript: web view link was dropped
  });

  test('every paper has its two feedback links, the paper id encoded into the query', () => {
    const more = [...rendered.html.matchAll(/href="([^"]*&amp;v&#x3D;more)"/g)].map((m) => m[1]);
    expect(more).toHaveLength(XSS.length);
    expect(rendered.html.match(/>Less like this</g)).toHaveLength(XSS.length);
    expect(rendered.text.match(/^More like this: https:\/\/paperboy\.example\.org\/feedback\/tok-feedback\?paper=[^\s<>"]+&v=more$/gm)).toHaveLength(XSS.length);
    expect(rendered.text).toContain(`?paper=${encodeURIComponent(XSS[XSS.length - 1])}&v=less`);
  });

  test('control characters, bidi overrides and lone surrogates are gone; emoji stay', () => {
    for (const out of [rendered.html, rendered.text, rendered.subject]) {
      expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(rendered.html).toContain('🚀');
    expect(rendered.text).toContain('🧪');
  });

  test('a megabyte abstract is cut to an excerpt and the message stays small', () => {
    expect(rendered.html.length).toBeLessThan(120_000);
    expect(rendered.text).toContain('An abstract that never ends α.');
    expect(rendered.text).not.toContain('An abstract that never ends $');
  });

  test('the web view of the same digest is just as inert', () => {
    const page = renderDigestWebPage(templates, view());
    expect(page).not.toMatch(/<script|<svg|<img|<iframe|\s(href|src)="[^"]*javascript:/i);
  });

  test('CRLF and Bcc in a title used as subject give exactly one Subject and no Bcc', async () => {
    const title = hostilePapers()[0].title;
    const message = buildDigestMessage({
      from: 'Paperboy <digest@paperboy.example.org>', to: 'reader@example.org', subject: title,
      html: rendered.html, text: rendered.text, messageId: '<digest.2026-03-03.x@paperboy.example.org>',
      listId: 'daily.paperboy.example.org', unsubscribeUrl: LINKS.unsubscribe,
    });
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const info = (await transport.sendMail(message)) as unknown as { message: Buffer; envelope: { to: string[] } };
    const raw = info.message.toString('utf8');
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head.match(/^Subject:/gim)).toHaveLength(1);
    expect(head).not.toMatch(/^Bcc:/im);
    expect(info.envelope.to).toEqual(['reader@example.org']);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).not.toMatch(/[\r\n]/);
    expect(parsed.subject).toContain('Bcc: victim@example.com'); // harmless text inside the one Subject
    expect(parsed.bcc).toBeUndefined();
    expect(raw.length).toBeLessThan(300_000);
  });
});

describe('the memoized safeUrl of the templates', () => {
  test('answers exactly what safeUrl answers, also through its base-and-query fast path', () => {
    const check = memoSafeUrl();
    const bases = ['https://paperboy.example.org/feedback/tok', 'https://paperboy.example.org', 'http://a.example/x#frag', 'javascript:alert(1)//x',
      'https://EXAMPLE.org/Path', 'https://a.example/a b', ' https://a.example/p', 'https://a.example/%zz', '//evil.example/x', 'https://a.example/p/../q'];
    const query = fc.string({ unit: fc.constantFrom(...'aZ09-._~!$&()*+,;=:@/?%\'"<> #`^{}|\\\u00e9\u0000\n'.split('')), maxLength: 30 });
    fc.assert(fc.property(fc.constantFrom(...bases), query, (base, q) => {
      const url = `${base}?${q}`;
      expect(check(url)).toBe(safeUrl(url));
      expect(check(url)).toBe(safeUrl(url)); // a second time: through the memo
    }), { numRuns: 2000 });
    expect(check(`https://a.example/p?${'x'.repeat(3000)}`)).toBe('');
  });
});
