/**
 * Pure: LaTeX as it appears in arXiv titles, abstracts and author names, turned into readable
 * Unicode text for an email. Not a TeX engine: it keeps `$…$` math legible (delimiters dropped,
 * common commands turned into symbols, simple super/subscripts into Unicode), strips font commands
 * (`\textbf{x}` → x), resolves accents (`\'e` → é) and escapes (`\&` → &). Anything it does not
 * know is kept as plain text without the backslash, so nothing is silently lost.
 * The output is text, not HTML: templates escape it like any other untrusted string.
 */

/**
 * A lookup table without a prototype: a command named like an Object property (\constructor,
 * \toString) in an untrusted title is an unknown command, not a function.
 */
function table<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

const GREEK: Record<string, string> = table({
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο',
  pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ',
  phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
});

const SYMBOLS: Record<string, string> = table({
  leq: '≤', le: '≤', leqslant: '≤', geq: '≥', ge: '≥', geqslant: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', simeq: '≃', cong: '≅', equiv: '≡', propto: '∝', infty: '∞', pm: '±', mp: '∓', times: '×',
  cdot: '·', cdots: '⋯', ldots: '…', dots: '…', vdots: '⋮', ddots: '⋱', to: '→', rightarrow: '→',
  leftarrow: '←', gets: '←', Rightarrow: '⇒', Leftarrow: '⇐', Leftrightarrow: '⇔', iff: '⇔',
  leftrightarrow: '↔', longrightarrow: '⟶', implies: '⟹', mapsto: '↦', uparrow: '↑', downarrow: '↓',
  in: '∈', notin: '∉', ni: '∋', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇', cup: '∪',
  cap: '∩', bigcup: '⋃', bigcap: '⋂', emptyset: '∅', varnothing: '∅', forall: '∀', exists: '∃',
  partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫', iint: '∬', oint: '∮', ll: '≪', gg: '≫',
  langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋', circ: '∘', star: '⋆',
  ast: '∗', dagger: '†', ddagger: '‡', ell: 'ℓ', hbar: 'ℏ', Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', wedge: '∧',
  land: '∧', vee: '∨', lor: '∨', neg: '¬', lnot: '¬', oplus: '⊕', otimes: '⊗', odot: '⊙', perp: '⊥',
  parallel: '∥', mid: '|', vert: '|', Vert: '‖', prime: '′', top: '⊤', bot: '⊥', vdash: '⊢', models: '⊨',
  div: '÷', setminus: '∖', triangle: '△', square: '□', checkmark: '✓', preceq: '⪯', succeq: '⪰',
  prec: '≺', succ: '≻', lesssim: '≲', gtrsim: '≳', coloneqq: '≔', triangleq: '≜', S: '§', P: '¶',
  copyright: '©', textregistered: '®', texttrademark: '™', textdegree: '°', degree: '°', deg: 'deg',
  textendash: '–', textemdash: '—', textbullet: '•', textasciitilde: '~', textbackslash: '\\',
  textless: '<', textgreater: '>', textbar: '|', textquoteright: '’', textquoteleft: '‘',
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ',
  LaTeX: 'LaTeX', TeX: 'TeX', quad: ' ', qquad: ' ', space: ' ', newline: ' ', par: ' ', noindent: '',
  log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sinh: 'sinh',
  cosh: 'cosh', arctan: 'arctan', max: 'max', min: 'min', arg: 'arg', argmax: 'argmax', argmin: 'argmin',
  lim: 'lim', limsup: 'lim sup', liminf: 'lim inf', sup: 'sup', inf: 'inf', det: 'det', ker: 'ker',
  dim: 'dim', rank: 'rank', tr: 'tr', Pr: 'Pr', sgn: 'sgn', poly: 'poly', polylog: 'polylog',
  // Sizing and spacing commands that carry no meaning in text.
  left: '', right: '', big: '', Big: '', bigg: '', Bigg: '', bigl: '', bigr: '', Bigl: '', Bigr: '',
  displaystyle: '', textstyle: '', scriptstyle: '', limits: '', nolimits: '', centering: '',
  small: '', footnotesize: '', large: '', Large: '', normalsize: '', tiny: '', huge: '', bf: '', it: '',
  rm: '', sf: '', tt: '', em: '', sc: '', protect: '', relax: '', xspace: '', allowbreak: '', nobreak: '',
});

/** Letter commands: as in TeX, the space after them only ends the command (`Stra\ss e` is Straße). */
const LETTERS = new Set(['ss', 'o', 'O', 'ae', 'AE', 'oe', 'OE', 'aa', 'AA', 'l', 'L', 'i', 'j', 'dh', 'DH', 'th', 'TH', 'ng', 'NG']);

/** Commands whose argument is kept as plain text (font and style changes). */
const STYLE = new Set([
  'textbf', 'textit', 'emph', 'texttt', 'textrm', 'textsf', 'textsc', 'textnormal', 'textup', 'textsl',
  'textmd', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'mathnormal', 'text', 'textsuperscript',
  'mbox', 'hbox', 'operatorname', 'boldsymbol', 'bm', 'pmb', 'underline', 'uline', 'mathup', 'textmu',
  'url', 'ensuremath', 'mathbfit', 'textsubscript',
]);

/** Commands with an argument that is dropped (references, labels). */
const DROP_ARG = new Set(['label', 'cite', 'citep', 'citet', 'ref', 'eqref', 'footnote', 'vspace', 'hspace', 'thanks', 'color']);

/** Text accents: command (one character or letter) → combining mark. */
const ACCENTS: Record<string, string> = table({
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304', '.': '\u0307',
  u: '\u0306', v: '\u030C', H: '\u030B', c: '\u0327', k: '\u0328', r: '\u030A', d: '\u0323', b: '\u0331',
  // Math accents.
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303', widetilde: '\u0303',
  vec: '\u20D7', dot: '\u0307', ddot: '\u0308', acute: '\u0301', grave: '\u0300', breve: '\u0306', check: '\u030C',
});

const ESCAPES: Record<string, string> = table({
  '&': '&', '%': '%', $: '$', '#': '#', _: '_', '{': '{', '}': '}', ' ': ' ', ',': '\u2009', ';': ' ',
  ':': ' ', '!': '', '\\': ' ', '|': '‖', '-': '', '/': '', '@': '', '>': ' ', '<': '',
});

const SUP: Record<string, string> = table({
  0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹', '+': '⁺', '-': '⁻',
  '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ',
  i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ',
  w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ', T: 'ᵀ', '⊤': 'ᵀ', '′': '′', '*': '*', '∗': '*', '†': '†', ' ': '',
});

const SUB: Record<string, string> = table({
  0: '₀', 1: '₁', 2: '₂', 3: '₃', 4: '₄', 5: '₅', 6: '₆', 7: '₇', 8: '₈', 9: '₉', '+': '₊', '-': '₋',
  '−': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ',
  n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', ' ': '',
});

const DOUBLE_STRUCK: Record<string, string> = table({ C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' });
const SCRIPT: Record<string, string> = table({ B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ' });
const FRAKTUR: Record<string, string> = table({ C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' });

/** Letters in a Unicode mathematical alphabet: capitals from `upperBase`, exceptions from the Letterlike block. */
function mathAlphabet(text: string, upperBase: number, lowerBase: number | null, exceptions: Record<string, string>): string {
  let out = '';
  for (const ch of text) {
    if (exceptions[ch]) out += exceptions[ch];
    else if (ch >= 'A' && ch <= 'Z') out += String.fromCodePoint(upperBase + ch.charCodeAt(0) - 65);
    else if (lowerBase !== null && ch >= 'a' && ch <= 'z') out += String.fromCodePoint(lowerBase + ch.charCodeAt(0) - 97);
    else out += ch;
  }
  return out;
}

const FONTS: Record<string, (s: string) => string> = table({
  mathbb: (s) => mathAlphabet(s, 0x1d538, 0x1d552, DOUBLE_STRUCK),
  mathds: (s) => mathAlphabet(s, 0x1d538, 0x1d552, DOUBLE_STRUCK),
  mathcal: (s) => mathAlphabet(s, 0x1d49c, null, SCRIPT),
  mathscr: (s) => mathAlphabet(s, 0x1d49c, null, SCRIPT),
  mathfrak: (s) => mathAlphabet(s, 0x1d504, 0x1d51e, FRAKTUR),
});

function script(content: string, table: Record<string, string>, mark: string): string {
  const trimmed = content.trim();
  if (trimmed === '') return '';
  let out = '';
  for (const ch of trimmed) {
    const mapped = table[ch];
    if (mapped === undefined) {
      return /^[\p{L}\p{N}]+$/u.test(trimmed) && [...trimmed].length <= 12 ? `${mark}${trimmed}` : `${mark}(${trimmed})`;
    }
    out += mapped;
  }
  return out;
}

function accent(base: string, mark: string): string {
  if (base === '') return mark.trim();
  const chars = [...base];
  const first = chars[0] === 'ı' ? 'i' : chars[0] === 'ȷ' ? 'j' : chars[0];
  return `${first}${mark}${chars.slice(1).join('')}`.normalize('NFC');
}

function isSimple(s: string): boolean {
  return /^[\p{L}\p{N}.′]*$/u.test(s);
}

const MAX_DEPTH = 64;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
const PLAIN = /[^\\{}$^_`'-]+/y;

/** A small recursive-descent reader over one string. */
class Reader {
  i = 0;
  depth = 0;
  constructor(readonly s: string) {}

  /** Converts until the end, or until the closing `}` of the current group when `inGroup`. */
  run(math: boolean, inGroup: boolean): string {
    const s = this.s;
    let out = '';
    while (this.i < s.length) {
      // Copy a run of ordinary characters in one step (most of an abstract is plain prose).
      PLAIN.lastIndex = this.i;
      if (PLAIN.test(s)) {
        out += s.slice(this.i, PLAIN.lastIndex);
        this.i = PLAIN.lastIndex;
        if (this.i >= s.length) break;
      }
      const ch = s[this.i];
      if (ch === '}') {
        if (inGroup) { this.i++; return out; }
        this.i++;
        continue;
      }
      if (ch === '{') { this.i++; out += this.group(math); continue; }
      if (ch === '\\') { out += this.command(math); continue; }
      if (ch === '$') {
        const display = s[this.i + 1] === '$';
        const close = display ? s.indexOf('$$', this.i + 2) : this.findMathEnd(this.i + 1);
        if (!math && close > this.i) {
          const inner = new Reader(s.slice(this.i + (display ? 2 : 1), close)).run(true, false);
          out += inner;
          this.i = close + (display ? 2 : 1);
          continue;
        }
        this.i += display ? 2 : 1; // a lone or closing dollar: drop it
        continue;
      }
      if (ch === '^') { this.i++; out += script(this.arg(math), SUP, '^'); continue; }
      if (ch === '_' && math) { this.i++; out += script(this.arg(math), SUB, '_'); continue; }
      if (!math && ch === '-' && s[this.i + 1] === '-') {
        if (s[this.i + 2] === '-') { out += '—'; this.i += 3; } else { out += '–'; this.i += 2; }
        continue;
      }
      if (!math && ch === '`' && s[this.i + 1] === '`') { out += '“'; this.i += 2; continue; }
      if (!math && ch === "'" && s[this.i + 1] === "'") { out += '”'; this.i += 2; continue; }
      if (math && ch === '-') { out += '−'; this.i++; continue; }
      if (math && ch === "'") { out += '′'; this.i++; continue; }
      out += ch;
      this.i++;
    }
    return out;
  }

  /** A `{…}` group; past MAX_DEPTH nesting braces are dropped instead of recursed into. */
  group(math: boolean): string {
    if (this.depth >= MAX_DEPTH) return '';
    this.depth++;
    try {
      return this.run(math, true);
    } finally {
      this.depth--;
    }
  }

  /** The closing `$` of inline math starting at `from`, ignoring `\$`. -1 if none. */
  findMathEnd(from: number): number {
    for (let j = from; j < this.s.length; j++) {
      if (this.s[j] === '\\') { j++; continue; }
      if (this.s[j] === '$') return j;
    }
    return -1;
  }

  /** One argument: a `{group}`, a command, or a single character (after optional spaces). */
  arg(math: boolean): string {
    const s = this.s;
    while (s[this.i] === ' ') this.i++;
    if (this.i >= s.length) return '';
    const ch = s[this.i];
    if (ch === '{') { this.i++; return this.group(math); }
    if (ch === '\\') return this.command(math);
    const cp = s.codePointAt(this.i)!;
    const one = String.fromCodePoint(cp);
    this.i += one.length;
    return math && one === '-' ? '−' : one;
  }

  /** Skips an optional `[...]` argument and returns its raw text. */
  optional(): string | null {
    if (this.s[this.i] !== '[') return null;
    const end = this.s.indexOf(']', this.i);
    if (end < 0) return null;
    const raw = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return raw;
  }

  command(math: boolean): string {
    const s = this.s;
    this.i++; // backslash
    if (this.i >= s.length) return '';
    let name: string;
    if (isLetter(s.charCodeAt(this.i))) {
      const start = this.i;
      while (this.i < s.length && isLetter(s.charCodeAt(this.i))) this.i++;
      name = s.slice(start, this.i);
      // Spaces after a word command are kept (`\LaTeX is` reads "LaTeX is"); before an argument they go.
      if (ACCENTS[name] || STYLE.has(name) || FONTS[name] || LETTERS.has(name) || name === 'frac' || name === 'sqrt') {
        while (s[this.i] === ' ') this.i++;
      }
    } else {
      name = s[this.i];
      this.i++;
    }

    if (ACCENTS[name]) return accent(this.arg(math), ACCENTS[name]);
    if (name in ESCAPES) return ESCAPES[name];
    if (GREEK[name]) return GREEK[name];
    if (FONTS[name]) return FONTS[name](this.arg(math));
    if (STYLE.has(name)) return this.arg(math);
    if (DROP_ARG.has(name)) { this.optional(); this.arg(math); return ''; }
    if (name === 'frac' || name === 'tfrac' || name === 'dfrac' || name === 'cfrac') {
      const a = this.arg(true).trim();
      const b = this.arg(true).trim();
      return `${isSimple(a) ? a : `(${a})`}/${isSimple(b) ? b : `(${b})`}`;
    }
    if (name === 'sqrt') {
      const degree = this.optional();
      const root = degree === '3' ? '∛' : degree === '4' ? '∜' : '√';
      const a = this.arg(true).trim();
      return `${root}${isSimple(a) ? a : `(${a})`}`;
    }
    if (name === 'href') { this.arg(math); return this.arg(math); }
    if (name === 'not') { const a = this.arg(math); return a === '=' ? '≠' : a === '∈' ? '∉' : `${a}\u0338`.normalize('NFC'); }
    if (name in SYMBOLS) return SYMBOLS[name];
    return name; // unknown: keep the word, drop the backslash
  }
}

const SPECIAL = /[\\$^{}_`]|--|''/;

/**
 * LaTeX → readable Unicode text (single spaces, trimmed). Inputs without any TeX syntax are
 * returned unchanged apart from whitespace.
 */
export function latexToText(input: string): string {
  if (!SPECIAL.test(input)) return input.replace(/\s+/g, ' ').trim();
  const out = new Reader(input.replace(/\s+/g, ' ')).run(false, false);
  return out.replace(/\s+/g, ' ').replace(/ ([,.;:])/g, '$1').trim();
}
