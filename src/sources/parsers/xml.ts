/**
 * Namespace-aware XML on top of saxes (a conforming streaming SAX parser). Elements are addressed by
 * (namespace URI, local name), never by the prefix a document happens to use: the legacy arXiv API
 * declares `arxiv:` inline on every element, the new one on the root, RSS mixes `link` and `atom:link`.
 *
 * Documents are read as a stream: the "container" elements (e.g. `rss`, `channel`, Atom `feed`) are
 * never built; each of their other children (an `item`, an `entry`, the channel `title`) is built as a
 * small tree and handed over when it closes, then dropped. Memory therefore holds one entry at a time,
 * whatever the size of the document.
 *
 * Entities are decoded exactly once, by the parser: only the five XML entities and character
 * references exist. A DOCTYPE's internal subset is never read, so declared (or external) entities are
 * "undefined entity" errors: no entity expansion, no XXE.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
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
  /** Attributes by qualified name (namespace declarations left out), entities decoded. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated direct text (and CDATA) content, entities decoded, not trimmed. */
  text: string;
}

/** The document ended before its root element was closed (a download cut off). */
export class XmlEndedEarlyError extends ParseError {}

const MAX_DEPTH = 64;

export interface XmlStreamHandlers {
  /** Containers are streamed through (their children are handed over one by one), never built. */
  isContainer(ns: string, name: string, depth: number): boolean;
  /** A built child of a container (depth = its depth, root = 0; a non-container root comes here at 0). */
  onElement(el: XmlElement, depth: number): void;
  /** Called when the root element opens (may throw ParseError to stop early). */
  onRoot?(ns: string, name: string): void;
}

/**
 * A push parser: `write(chunk)` as text arrives, then `close()`. Throws ParseError naming `where` with
 * line and column; a document that merely stops early throws XmlEndedEarlyError from close().
 */
export class XmlStream {
  private readonly sax: SaxesParser<{ xmlns: true; position: true }>;
  /** Stack of open elements: containers are null, built elements are their node. */
  private readonly open: (XmlElement | null)[] = [];
  private rootSeen = false;
  private closing = false;

  constructor(private readonly where: string, private readonly h: XmlStreamHandlers) {
    const sax = new SaxesParser({ xmlns: true, position: true });
    this.sax = sax;
    sax.on('error', (err) => {
      const msg = `${where}: not well-formed XML: ${err.message}`;
      throw this.closing && this.rootSeen ? new XmlEndedEarlyError(msg, where) : new ParseError(msg, where);
    });
    sax.on('opentag', (tag) => this.openTag(tag as SaxesTagNS));
    sax.on('closetag', () => this.closeTag());
    sax.on('text', (t) => this.addText(t));
    sax.on('cdata', (t) => this.addText(t));
  }

  write(chunk: string): void {
    this.sax.write(chunk);
  }

  close(): void {
    this.closing = true;
    this.sax.close();
    if (!this.rootSeen) throw new ParseError(`${this.where}: no root element`, this.where);
  }

  private openTag(tag: SaxesTagNS): void {
    const depth = this.open.length;
    if (depth >= MAX_DEPTH) throw new ParseError(`${this.where}: elements nested deeper than ${MAX_DEPTH} at line ${this.sax.line}`, this.where);
    const ns = tag.uri ?? '';
    const name = tag.local ?? tag.name;
    if (depth === 0) {
      this.rootSeen = true;
      this.h.onRoot?.(ns, name);
    }
    const parent = depth === 0 ? null : this.open[depth - 1];
    if (parent === null && this.h.isContainer(ns, name, depth)) {
      this.open.push(null);
      return;
    }
    const attrs: Record<string, string> = {};
    for (const key in tag.attributes) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
      attrs[key] = tag.attributes[key].value;
    }
    const el: XmlElement = { ns, name, attrs, children: [], text: '' };
    if (parent) parent.children.push(el);
    this.open.push(el);
  }

  private closeTag(): void {
    const el = this.open.pop();
    const depth = this.open.length;
    // A built element directly under a container (or a built root) is complete: hand it over.
    if (el && (depth === 0 || this.open[depth - 1] === null)) this.h.onElement(el, depth);
  }

  private addText(t: string): void {
    const top = this.open[this.open.length - 1];
    if (top) top.text += t;
  }
}

/** Parse a whole (small) document into one tree. Throws ParseError (naming `where`) when not well-formed. */
export function parseXml(xml: string, where: string): XmlElement {
  let root: XmlElement | undefined;
  const stream = new XmlStream(where, { isContainer: () => false, onElement: (el) => { root = el; } });
  stream.write(xml);
  stream.close();
  if (!root) throw new ParseError(`${where}: no root element`, where);
  return root;
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
