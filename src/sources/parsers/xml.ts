/**
 * A small namespace-aware XML tree on top of fast-xml-parser. Elements are addressed by
 * (namespace URI, local name), never by the prefix a document happens to use: the legacy arXiv API
 * declares `arxiv:` inline on every element, the new one on the root, RSS mixes `link` and `atom:link`.
 * Entities are decoded exactly once, by the parser.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError } from './parse-error.js';

export const NS = {
  none: '',
  atom: 'http://www.w3.org/2005/Atom',
  arxiv: 'http://arxiv.org/schemas/atom',
  dc: 'http://purl.org/dc/elements/1.1/',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
  oai: 'http://www.openarchives.org/OAI/2.0/',
  oaiArxiv: 'http://arxiv.org/OAI/arXiv/',
} as const;

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text (and CDATA) content, entities decoded, not trimmed. */
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Entities are decoded by decodeEntities below, in one pass: the parser's HTML-entity pass is slow,
  // and decoding in two passes would turn `&amp;#233;` into `é` instead of `&#233;`.
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: 64,
  cdataPropName: '#cdata',
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the five XML entities and numeric character references, exactly once. */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') === -1) return s;
  return s.replace(ENTITY, (m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named) return NAMED[named];
    const cp = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}

function splitName(qname: string): [string, string] {
  const i = qname.indexOf(':');
  return i === -1 ? ['', qname] : [qname.slice(0, i), qname.slice(i + 1)];
}

function build(node: Ordered, scope: Record<string, string>): XmlElement | string | null {
  const attrsRaw = node[':@'] ?? {};
  for (const key of Object.keys(node)) {
    if (key === ':@') continue;
    if (key === '#text') return decodeEntities(String(node[key]));
    if (key === '#cdata') {
      // CDATA content is literal text: no entity decoding.
      const parts = node[key] as { '#text'?: unknown }[];
      return Array.isArray(parts) ? parts.map((p) => String(p['#text'] ?? '')).join('') : '';
    }
    if (key.startsWith('?') || key.startsWith('!')) return null;
    let localScope = scope;
    const attrs: Record<string, string> = {};
    for (const [a, v] of Object.entries(attrsRaw)) {
      if (a === 'xmlns') {
        if (localScope === scope) localScope = { ...scope };
        localScope[''] = decodeEntities(String(v));
      } else if (a.startsWith('xmlns:')) {
        if (localScope === scope) localScope = { ...scope };
        localScope[a.slice(6)] = decodeEntities(String(v));
      } else {
        attrs[a] = decodeEntities(String(v));
      }
    }
    const [prefix, local] = splitName(key);
    const ns = localScope[prefix] ?? (prefix === '' ? '' : `urn:undeclared:${prefix}`);
    const el: XmlElement = { ns, name: local, attrs, children: [], text: '' };
    const kids = node[key] as Ordered[];
    if (Array.isArray(kids)) {
      for (const k of kids) {
        const built = build(k, localScope);
        if (built === null) continue;
        if (typeof built === 'string') el.text += built;
        else el.children.push(built);
      }
    }
    return el;
  }
  return null;
}

/**
 * Parse a whole document. Throws ParseError (naming `where`) when it is not well-formed.
 */
export function parseXml(xml: string, where: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const e = valid.err;
    throw new ParseError(`${where}: not well-formed XML at line ${e.line}, column ${e.col}: ${e.msg}`, where);
  }
  let ordered: Ordered[];
  try {
    ordered = parser.parse(xml) as Ordered[];
  } catch (err) {
    throw new ParseError(`${where}: not well-formed XML: ${(err as Error).message}`, where);
  }
  for (const node of ordered) {
    const el = build(node, { xml: 'http://www.w3.org/XML/1998/namespace' });
    if (el && typeof el !== 'string') return el;
  }
  throw new ParseError(`${where}: no root element`, where);
}

export function child(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name && c.ns === ns) return c;
  return undefined;
}

export function children(el: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter((c) => c.name === name && c.ns === ns);
}

/** Text of the first matching child, or undefined when absent. */
export function childText(el: XmlElement | undefined, ns: string, name: string): string | undefined {
  return child(el, ns, name)?.text;
}
