/**
 * One private Handlebars instance for the whole process: templates compiled once, partials by file
 * name, helpers in one place. Only `{{ }}` (escaped) is used for untrusted text; the lint test in
 * test/unit/template-lint.test.ts allows `{{{ }}}` only where already-rendered HTML is inserted.
 *
 * Conventions:
 * - `name.text.hbs` (templates and partials) is plain text: compiled without HTML escaping.
 *   Everything else is HTML and escaped.
 * - `partials/foo.hbs` is the partial `foo`; `partials/foo.text.hbs` is `foo-text`.
 * - Email HTML (templates/email/**, not text) gets `templates/email/email.css` inlined into its
 *   `class` attributes once, here, by juice: classes are static, so inlining the template source
 *   equals inlining every rendered message, at no cost per message. Handlebars expressions are
 *   protected from juice by its code-block handling.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import juice from 'juice';
import { safeUrl } from './safe-url.js';

export { safeUrl } from './safe-url.js';

export type Template = (context: unknown) => string;

export interface TemplateSet {
  render(name: string, context: unknown): string;
  has(name: string): boolean;
}

/**
 * A query the WHATWG URL parser leaves exactly as written (unreserved characters, sub-delimiters
 * other than the quote, `:@/?` and percent escapes): appended to a URL that safeUrl already returns
 * unchanged, the whole URL also comes back unchanged.
 */
const PLAIN_QUERY = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;
const MAX_MEMO_URL = 2048;

/**
 * safeUrl with a bounded memo: the same paper links recur in thousands of digests of one run. A URL
 * whose query differs per link but whose base recurs (the feedback links: one page per delivery, a
 * paper and a choice in the query) is checked through its memoized base and a scan of its query,
 * without parsing it or filling the memo with one entry per link.
 */
export function memoSafeUrl(): (v: unknown) => string {
  const memo = new Map<string, string>();
  const check = (v: string): string => {
    let out = memo.get(v);
    if (out === undefined) {
      out = safeUrl(v);
      if (memo.size >= 20_000) memo.clear();
      memo.set(v, out);
    }
    return out;
  };
  return (v) => {
    if (typeof v !== 'string') return '';
    const q = v.indexOf('?');
    if (q > 0 && v.length <= MAX_MEMO_URL) {
      const base = v.slice(0, q);
      if (!base.includes('#') && PLAIN_QUERY.test(v.slice(q + 1)) && check(base) === base) return v;
    }
    return check(v);
  };
}

const KNOWN_HELPERS = { safeUrl: true, eq: true, plural: true, json: true, memo: true };

/**
 * `{{#memo key "name"}}…{{/memo}}`: renders the block once per (key object, name) and reuses the
 * output. The key is a frozen per-paper object from the paper view cache (see compose.ts), so the
 * block — which must read only that paper's fields — renders the same for every digest carrying
 * the paper. Without a key the block simply renders. Entries die with their key (WeakMap).
 */
function memoHelper(): Handlebars.HelperDelegate {
  const memo = new WeakMap<object, Map<string, string>>();
  return function (this: unknown, key: unknown, name: unknown, options: Handlebars.HelperOptions) {
    if (typeof key !== 'object' || key === null || typeof name !== 'string') return options.fn(this);
    let byName = memo.get(key);
    if (!byName) memo.set(key, (byName = new Map()));
    let out = byName.get(name);
    if (out === undefined) {
      out = options.fn(this);
      byName.set(name, out);
    }
    return out;
  };
}

export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  const safe = memoSafeUrl();
  hb.registerHelper('safeUrl', (v: unknown) => safe(v));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));
  hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
  hb.registerHelper('memo', memoHelper());
  return hb;
}

/** Inlines `css` into the `class`-bearing elements of an HTML template source (Handlebars kept intact). */
export function inlineEmailCss(source: string, css: string): string {
  return juice.inlineContent(source, css, {
    applyStyleTags: false, // the layout's <style> holds media queries and dark mode: it stays as written
    removeStyleTags: false,
    preserveMediaQueries: true,
    preserveImportant: true,
    insertPreservedExtraCss: false,
    applyAttributesTableElements: true,
    applyWidthAttributes: true,
  });
}

interface Source {
  name: string;
  partial: boolean;
  text: boolean;
  email: boolean;
  source: string;
}

/** Loads every `*.hbs` in `dir` (recursively). */
export function loadTemplates(dir: string, hb: typeof Handlebars = createHandlebars()): TemplateSet {
  const sources: Source[] = [];
  const walk = (d: string, prefix: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full, `${prefix}${entry.name}/`);
      } else if (entry.name.endsWith('.hbs')) {
        const name = `${prefix}${entry.name.slice(0, -4)}`;
        sources.push({
          name,
          partial: name.includes('partials/'),
          text: name.endsWith('.text'),
          email: name.startsWith('email/'),
          source: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(dir, '');
  const cssFile = path.join(dir, 'email', 'email.css');
  const emailCss = existsSync(cssFile) ? readFileSync(cssFile, 'utf8') : '';

  const compile = (s: Source) => {
    const source = s.email && !s.text && emailCss ? inlineEmailCss(s.source, emailCss) : s.source;
    // knownHelpersOnly: `{{title}}` compiles to a plain property read instead of "helper or property?"
    // at every render (a large share of render time); every helper used must be registered here.
    // Email templates only: page templates may use helpers registered elsewhere.
    return hb.compile(source, { strict: false, noEscape: s.text, preventIndent: !s.text, ...(s.email ? { knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true } : {}) });
  };
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const s of sources) {
    if (s.partial) hb.registerPartial(path.basename(s.name).replace(/\./g, '-'), compile(s));
    else compiled.set(s.name, compile(s));
  }
  const runtime = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  return {
    has: (name) => compiled.has(name),
    render(name, context) {
      const t = compiled.get(name);
      if (!t) throw new Error(`template not found: ${name}`);
      return t(context, runtime);
    },
  };
}
