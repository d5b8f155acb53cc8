/**
 * Template rules that review alone would miss: no unescaped output except in vetted places, and
 * every link in an email passes through safeUrl.
 */
import { describe, expect, test } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = new URL('../../templates/', import.meta.url).pathname;

/** Places allowed to output raw HTML, with the exact expression and why. */
const RAW_ALLOWED: Record<string, string[]> = {
  // The page layout wraps an already-rendered page template (whose own output is escaped).
  'pages/layout.hbs': ['{{{body}}}'],
};

function templates(dir = ROOT, prefix = ''): { name: string; source: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
    ? templates(path.join(dir, e.name), `${prefix}${e.name}/`)
    : e.name.endsWith('.hbs') ? [{ name: `${prefix}${e.name}`, source: readFileSync(path.join(dir, e.name), 'utf8') }] : []);
}

describe('template lint', () => {
  const all = templates();

  test('finds the templates', () => {
    expect(all.map((t) => t.name)).toEqual(expect.arrayContaining(['email/digest.html.hbs', 'email/digest.text.hbs', 'email/partials/paper.hbs', 'pages/layout.hbs']));
  });

  test('no {{{ }}} or {{& }} outside the allow-list', () => {
    const found = all.flatMap((t) => [...t.source.matchAll(/\{\{\{[^}]*\}\}\}|\{\{&[^}]*\}\}/g)].map((m) => `${t.name}: ${m[0]}`));
    const allowed = Object.entries(RAW_ALLOWED).flatMap(([name, exprs]) => exprs.map((e) => `${name}: ${e}`));
    expect(found.filter((f) => !allowed.includes(f))).toEqual([]);
  });

  test('every href / src in an email HTML template goes through safeUrl', () => {
    const html = all.filter((t) => t.name.startsWith('email/') && !t.name.endsWith('.text.hbs'));
    const bad = html.flatMap((t) => [...t.source.matchAll(/\b(href|src)="([^"]*)"/g)]
      .filter((m) => !/^\{\{safeUrl [\w.]+\}\}$/.test(m[2]))
      .map((m) => `${t.name}: ${m[0]}`));
    expect(bad).toEqual([]);
  });

  test('email HTML never builds tags or attributes from data: {{ }} inside a tag only as a whole quoted value of a vetted attribute', () => {
    const html = all.filter((t) => t.name.startsWith('email/') && !t.name.endsWith('.text.hbs'));
    const bad = html.flatMap((t) => [...t.source.matchAll(/<[a-zA-Z][^>]*\{\{[^>]*>/g)].flatMap((m) => {
      // Remove the allowed forms; any {{ left in the tag is a violation.
      const rest = m[0]
        .replace(/ (href|src)="\{\{safeUrl [\w.]+\}\}"/g, '')
        .replace(/ (aria-label|title|alt)="\{\{[\w.]+\}\}"/g, '');
      return rest.includes('{{') ? [`${t.name}: ${m[0]}`] : [];
    }));
    expect(bad).toEqual([]);
  });
});
