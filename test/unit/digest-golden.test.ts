/**
 * Golden files of the rendered emails. Any difference fails; after an intended change, regenerate with
 *   UPDATE_GOLDEN=1 node --experimental-vm-modules node_modules/jest/bin/jest.js test/unit/digest-golden.test.ts
 * and review the diff of test/golden/ like code.
 */
import { describe, expect, test } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadTemplates } from '../../src/digest/templates.js';
import { composeDigest } from '../../src/digest/compose.js';
import { renderDigest, renderDigestWebPage } from '../../src/digest/render.js';
import { CONFIRM_CONTEXT, goldenDigest, goldenNothing, goldenWeekly } from '../support/digest-fixture.js';

const GOLDEN_DIR = new URL('../golden/', import.meta.url).pathname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const templates = loadTemplates(new URL('../../templates/', import.meta.url).pathname);

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`missing golden file ${file}: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('the rendered emails match their golden files', () => {
  test('the daily digest (every paper branch: full, bare, four authors, cap, grouping)', () => {
    const view = composeDigest(goldenDigest());
    const r = renderDigest(templates, view);
    golden('digest.subject.txt', `${r.subject}\n`);
    golden('digest.html', r.html);
    golden('digest.txt', r.text);
  });

  test('the weekly digest', () => {
    const r = renderDigest(templates, composeDigest(goldenWeekly()));
    golden('weekly.subject.txt', `${r.subject}\n`);
    golden('weekly.html', r.html);
    golden('weekly.txt', r.text);
  });

  test('the "nothing today" and "quiet week" notes', () => {
    const daily = renderDigest(templates, composeDigest(goldenNothing('daily')));
    golden('nothing.subject.txt', `${daily.subject}\n`);
    golden('nothing.html', daily.html);
    golden('nothing.txt', daily.text);
    const weekly = renderDigest(templates, composeDigest(goldenNothing('weekly')));
    golden('nothing-weekly.txt', `${weekly.subject}\n\n${weekly.text}`);
  });

  test('the web view shows the same content without preheader or self link', () => {
    const view = composeDigest(goldenDigest());
    const page = renderDigestWebPage(templates, view);
    golden('web-view.html', page);
    const email = renderDigest(templates, view).html;
    const papers = (html: string) => html.slice(html.indexOf('class="masthead"'), html.indexOf('class="footer"'));
    expect(papers(page)).toBe(papers(email));
    expect(page).not.toContain('View in browser');
    expect(page).not.toContain('class="preheader"');
  });

  test('the confirmation and "manage" messages', () => {
    golden('confirm.html', templates.render('email/confirm.html', CONFIRM_CONTEXT));
    golden('confirm.txt', templates.render('email/confirm.text', CONFIRM_CONTEXT));
    golden('manage.html', templates.render('email/manage.html', CONFIRM_CONTEXT));
    golden('manage.txt', templates.render('email/manage.text', CONFIRM_CONTEXT));
  });
});
