/**
 * The rendered digest in a real browser engine (headless Chromium): readable on a phone (no
 * horizontal scrolling), sufficient contrast in light and dark mode (axe), and still styled when a
 * client drops the <style> block (everything needed is inlined).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { loadTemplates } from '../../src/digest/templates.js';
import { composeDigest } from '../../src/digest/compose.js';
import { renderDigest } from '../../src/digest/render.js';
import { goldenDigest } from '../support/digest-fixture.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const html = renderDigest(loadTemplates(new URL('../../templates/', import.meta.url).pathname), composeDigest(goldenDigest())).html;

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => { await browser?.close(); });

async function open(width: number, colorScheme: 'light' | 'dark', content = html) {
  const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
  await page.setContent(content);
  return page;
}

describe('the digest in a browser', () => {
  test.each([
    ['phone, light', 375, 'light'],
    ['desktop, dark', 900, 'dark'],
  ] as const)('%s: no contrast or link-name violations', async (_name, width, scheme) => {
    const page = await open(width, scheme);
    try {
      await page.addScriptTag({ path: AXE });
      // Browser-side code as a string: the test program is type-checked without the DOM library.
      const violations = await page.evaluate(`axe.run(document, { runOnly: ['color-contrast', 'link-name', 'document-title', 'html-has-lang'] })
        .then((r) => r.violations.map((v) => v.id + ' × ' + v.nodes.length))`);
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });

  test('a 375 px phone never scrolls sideways', async () => {
    const page = await open(375, 'light');
    try {
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    } finally {
      await page.close();
    }
  });

  test('dark mode switches the card to a dark background', async () => {
    const page = await open(900, 'dark');
    try {
      expect(await page.evaluate(`getComputedStyle(document.querySelector('.card')).backgroundColor`)).toBe('rgb(28, 28, 31)');
    } finally {
      await page.close();
    }
  });

  test('without the <style> block (clients that strip it) the inlined design remains', async () => {
    const page = await open(900, 'light', html.replace(/<style>[\s\S]*?<\/style>/, ''));
    try {
      const styles = await page.evaluate(`({
        link: getComputedStyle(document.querySelector('.paper-link')).color,
        card: getComputedStyle(document.querySelector('.card')).maxWidth,
      })`);
      expect(styles).toEqual({ link: 'rgb(29, 78, 216)', card: '640px' });
    } finally {
      await page.close();
    }
  });
});
