/**
 * Word forms Porter2 leaves apart although they are one word to a reader. Pure, deterministic,
 * applied to every word of topics and papers alike (so a join never depends on who wrote what):
 *
 * - **British spellings** are written the American way before stemming: behaviour → behavior,
 *   centre → center, dialogue → dialog, defence → defense, and after stemming the -ise family
 *   joins the -ize family (optimisation / optimise / optimize → one term), analyse joins analyze.
 * - **Clippings** common in papers are written out: math → mathematics, eval → evaluation,
 *   params → parameters, demos → demonstrations (a fixed list of English clippings, as the stop
 *   words are a fixed list).
 * - **Derivations** Porter2 stems differently: a noun or adjective in -ition / -itive and its verb
 *   (recognition ~ recognize, composition ~ compose, competitive ~ compete). Joining a noun in -sis
 *   with its verb (synthesis ~ synthesize) was measured and not kept: on the dev set it made
 *   "speech synthesis" select papers that synthesize talking faces (docs/matching.md).
 *
 * - **Kept apart**: a transformer (the neural architecture, or the electrical device) is neither a
 *   transform nor a transformation, which Porter2 gives the same stem; "transformers" would select
 *   Fourier transforms and cluster transformations.
 *
 * Each join needs the remaining stem to be long enough (≥ 4 / ≥ 5 letters) that two different
 * short words cannot collide (position ≠ pose, partition ≠ part, condition ≠ cond-).
 */

/** British spellings → American, first match wins (the rest of the word is kept). */
const SPELLING_RULES: ReadonlyArray<[RegExp, string]> = [
  // -our words by their root: colour, behaviour, neighbour, …
  [/^(behavi|col|fav|flav|harb|hon|hum|lab|neighb|rum|vap|vig|endeav|arm|od|tum|rig|clam|val|sav|splend|ard|cand|ferv|parl)our/, '$1or'],
  [/^(cent|met|fib|lit|theat|spect|calib|lust|sab|meag|sombr)re(s|d)?$/, '$1er$2'], // centre, metre, fibre
  [/^(def|off|lic|pret)ence(s)?$/, '$1ense$2'], // defence, licence
  [/^(.*(?:alog|olog))ue(s)?$/, '$1$2'], // dialogue, catalogue, analogue
  [/^programme(s)?$/, 'program$1'],
  [/^scept/, 'skept'],
  // Latin/Greek digraphs in British medical spelling (haemoglobin, paediatric, oestrogen).
  [/^(an|leuk)aem/, '$1em'], [/^haem/, 'hem'], [/^(ortho|encyclo)?paed/, '$1ped'], [/^oe(str|soph)/, 'e$1'], [/^foet/, 'fet'],
];

/** Clipped words and their full forms (the plural keeps its plural). */
const CLIPPINGS: ReadonlyMap<string, string> = new Map(Object.entries({
  math: 'mathematics', maths: 'mathematics', stats: 'statistics', eval: 'evaluation', evals: 'evaluations',
  param: 'parameter', params: 'parameters', vocab: 'vocabulary', config: 'configuration', configs: 'configurations',
  repo: 'repository', repos: 'repositories', info: 'information', demo: 'demonstration', demos: 'demonstrations',
  doc: 'document', docs: 'documents', photo: 'photograph', photos: 'photographs',
}));

/**
 * A lower-case word in its standard American form: clippings written out, British spellings
 * written the American way (the word itself when neither applies).
 */
export function americanSpelling(word: string): string {
  const full = CLIPPINGS.get(word);
  if (full !== undefined) return full;
  if (word.length < 4) return word;
  for (const [re, to] of SPELLING_RULES) if (re.test(word)) return word.replace(re, to);
  return word;
}

/** -ise words that are not the British form of an -ize word and would meet another word without "is". */
const KEEP_IS = new Set(['improvis', 'treatis', 'paradis', 'premis', 'promis', 'expertis']);

/** Noun or adjective forms in -ition / -itive (recognition, competitive), any inflection. */
const ITION = /it(?:ion|ions|ional|ionally|ive|ively|iveness)$/;

/**
 * Joins a Porter2 stem with the stems of its other forms. `word` is the (American-spelled) word the
 * stem came from.
 */
export function joinWordForms(stemmed: string, word: string): string {
  if (word === 'transformer' || word === 'transformers') return 'transformer';
  let s = stemmed;
  // -ise family → -ize family (Porter2 strips -ize but not -ise): optimis → optim, recognis → recogn.
  // Every form of the word goes the same way (supervised, supervision → superv).
  if (s.endsWith('is') && s.length - 2 >= 4 && !KEEP_IS.has(s)) s = s.slice(0, -2);
  // analyz(e) / analys(e) → analys (British -yse).
  if (s.endsWith('yz')) s = s.slice(0, -2) + 'ys';
  // -ition / -itive: recognit → recogn, competit → compet, decomposit → decompos.
  if (s.endsWith('it') && s.length - 2 >= 5 && ITION.test(word)) s = s.slice(0, -2);
  return s;
}
