/**
 * English stemmer: the Porter2 ("Snowball English") algorithm by Martin Porter.
 * Chosen over the original Porter algorithm because it keeps "general"/"generalization" apart from
 * "generation"/"generative", which matters in machine-learning text. Pure; results are memoised.
 */
import { americanSpelling, joinWordForms } from './word-forms.js';

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const DOUBLES = new Set(['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
const LI_ENDINGS = new Set(['c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't']);

const EXCEPTIONS: Record<string, string> = {
  skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie', idly: 'idl', gently: 'gentl',
  ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl', sky: 'sky', news: 'news', howe: 'howe',
  atlas: 'atlas', cosmos: 'cosmos', bias: 'bias', andes: 'andes',
};
const AFTER_1A = new Set(['inning', 'outing', 'canning', 'herring', 'earring', 'proceed', 'exceed', 'succeed']);

const isVowel = (ch: string | undefined): boolean => ch !== undefined && VOWELS.has(ch);

/** Start of the region after the first non-vowel that follows a vowel, from `from`. */
function regionAfter(w: string, from: number): number {
  for (let i = from + 1; i < w.length; i++) {
    if (!isVowel(w[i]) && isVowel(w[i - 1])) return i + 1;
  }
  return w.length;
}

function endsShortSyllable(w: string): boolean {
  const n = w.length;
  if (n === 2) return isVowel(w[0]) && !isVowel(w[1]);
  if (n < 2) return false;
  const c = w[n - 1];
  return !isVowel(c) && c !== 'w' && c !== 'x' && c !== 'Y' && isVowel(w[n - 2]) && !isVowel(w[n - 3]);
}

function stem2(input: string): string {
  if (input.length <= 2) return input;
  if (Object.hasOwn(EXCEPTIONS, input)) return EXCEPTIONS[input];
  let w = input.startsWith("'") ? input.slice(1) : input;
  // Mark consonant y as Y.
  let marked = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    marked += ch === 'y' && (i === 0 || isVowel(w[i - 1])) ? 'Y' : ch;
  }
  w = marked;
  let r1: number;
  const special = /^(gener|commun|arsen)/.exec(w);
  r1 = special ? special[0].length : regionAfter(w, 0);
  const r2 = () => regionAfter(w, r1);
  // Step 0
  for (const suf of ["'s'", "'s", "'"]) if (w.endsWith(suf)) { w = w.slice(0, -suf.length); break; }
  // Step 1a
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ied') || w.endsWith('ies')) w = w.length > 4 ? w.slice(0, -2) : w.slice(0, -1);
  else if (w.endsWith('us') || w.endsWith('ss')) { /* unchanged */ }
  else if (w.endsWith('s')) {
    const before = w.slice(0, -2);
    if ([...before].some((ch) => isVowel(ch))) w = w.slice(0, -1);
  }
  if (AFTER_1A.has(w)) return w;
  // Step 1b
  const s1b = ['eedly', 'ingly', 'edly', 'eed', 'ing', 'ed'].find((s) => w.endsWith(s));
  if (s1b === 'eed' || s1b === 'eedly') {
    if (w.length - s1b.length >= r1) w = w.slice(0, -s1b.length) + 'ee';
  } else if (s1b) {
    const base = w.slice(0, -s1b.length);
    if ([...base].some((ch) => isVowel(ch))) {
      w = base;
      if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
      else if (DOUBLES.has(w.slice(-2))) w = w.slice(0, -1);
      else if (r1 >= w.length && endsShortSyllable(w)) w += 'e';
    }
  }
  // Step 1c
  if ((w.endsWith('y') || w.endsWith('Y')) && w.length > 2 && !isVowel(w[w.length - 2])) w = w.slice(0, -1) + 'i';
  // Step 2
  const step2: Array<[string, string]> = [
    ['ization', 'ize'], ['ational', 'ate'], ['fulness', 'ful'], ['ousness', 'ous'], ['iveness', 'ive'],
    ['tional', 'tion'], ['biliti', 'ble'], ['lessli', 'less'], ['entli', 'ent'], ['ation', 'ate'],
    ['alism', 'al'], ['aliti', 'al'], ['ousli', 'ous'], ['iviti', 'ive'], ['fulli', 'ful'], ['enci', 'ence'],
    ['anci', 'ance'], ['abli', 'able'], ['izer', 'ize'], ['ator', 'ate'], ['alli', 'al'], ['bli', 'ble'],
    ['ogi', 'og'], ['li', ''],
  ];
  for (const [suf, rep] of step2) {
    if (!w.endsWith(suf)) continue;
    if (w.length - suf.length >= r1) {
      if (suf === 'ogi') { if (w[w.length - 4] === 'l') w = w.slice(0, -3) + rep; }
      else if (suf === 'li') { if (LI_ENDINGS.has(w[w.length - 3])) w = w.slice(0, -2); }
      else w = w.slice(0, -suf.length) + rep;
    }
    break;
  }
  // Step 3
  const step3: Array<[string, string]> = [
    ['ational', 'ate'], ['tional', 'tion'], ['alize', 'al'], ['icate', 'ic'], ['iciti', 'ic'], ['ative', ''],
    ['ical', 'ic'], ['ness', ''], ['ful', ''],
  ];
  for (const [suf, rep] of step3) {
    if (!w.endsWith(suf)) continue;
    const at = w.length - suf.length;
    if (at >= r1 && (suf !== 'ative' || at >= r2())) w = w.slice(0, at) + rep;
    break;
  }
  // Step 4
  const step4 = ['ement', 'ance', 'ence', 'able', 'ible', 'ment', 'ant', 'ent', 'ism', 'ate', 'iti', 'ous',
    'ive', 'ize', 'ion', 'al', 'er', 'ic'];
  for (const suf of step4) {
    if (!w.endsWith(suf)) continue;
    const at = w.length - suf.length;
    if (at >= r2()) {
      if (suf === 'ion') { if (w[at - 1] === 's' || w[at - 1] === 't') w = w.slice(0, at); }
      else w = w.slice(0, at);
    }
    break;
  }
  // Step 5
  if (w.endsWith('e')) {
    const at = w.length - 1;
    if (at >= r2() || (at >= r1 && !endsShortSyllable(w.slice(0, -1)))) w = w.slice(0, -1);
  } else if (w.endsWith('ll') && w.length - 1 >= r2()) {
    w = w.slice(0, -1);
  }
  return w.replace(/Y/g, 'y');
}

const cache = new Map<string, string>();

/** Porter2 alone, without the word-form joins of `stem` (for tests and comparisons). */
export function porter2(word: string): string {
  return /^[a-z']+$/.test(word) ? stem2(word) : word;
}

/**
 * Stem one lower-case English word: British spellings written the American way, Porter2, then the
 * derivational joins Porter2 misses (word-forms.ts).
 */
export function stem(word: string): string {
  let s = cache.get(word);
  if (s === undefined) {
    if (/^[a-z']+$/.test(word)) {
      const american = americanSpelling(word);
      s = joinWordForms(stem2(american), american);
    } else {
      s = word;
    }
    if (cache.size < 200_000) cache.set(word, s);
  }
  return s;
}
