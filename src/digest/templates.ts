/**
 * One private Handlebars instance for the whole process: templates compiled once, partials by file
 * name, helpers in one place. Only `{{ }}` (escaped) is used for untrusted text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

export type Template = (context: unknown) => string;

export interface TemplateSet {
  render(name: string, context: unknown): string;
  has(name: string): boolean;
}

/** Keeps only http(s) URLs; anything else (javascript:, data:, protocol-relative) becomes ''. */
export function safeUrl(value: unknown): string {
  if (typeof value !== 'string') return '';
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : '';
  } catch {
    return '';
  }
}

export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('safeUrl', (v: unknown) => safeUrl(v));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('plural', (n: number, one: string, many: string) => (n === 1 ? one : many));
  hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
  return hb;
}

/** Loads every `*.hbs` in `dir` (recursively); `partials/` files become partials named by file name. */
export function loadTemplates(dir: string, hb: typeof Handlebars = createHandlebars()): TemplateSet {
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const walk = (d: string, prefix: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        walk(full, `${prefix}${entry.name}/`);
      } else if (entry.name.endsWith('.hbs')) {
        const name = `${prefix}${entry.name.slice(0, -4)}`;
        const source = readFileSync(full, 'utf8');
        if (name.includes('partials/')) hb.registerPartial(path.basename(name), source);
        else compiled.set(name, hb.compile(source, { strict: false, noEscape: false }));
      }
    }
  };
  walk(dir, '');
  return {
    has: (name) => compiled.has(name),
    render(name, context) {
      const t = compiled.get(name);
      if (!t) throw new Error(`template not found: ${name}`);
      return t(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    },
  };
}
