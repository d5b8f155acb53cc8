import { describe, expect, test } from '@jest/globals';
import { latexToText } from '../../src/digest/latex.js';

describe('LaTeX in titles, abstracts and author names reads as text', () => {
  test.each([
    ['plain text stays as it is', 'A survey of graph neural networks', 'A survey of graph neural networks'],
    ['inline math keeps its content, drops the dollars', 'Learning $k$-sparse codes', 'Learning k-sparse codes'],
    ['greek letters', '$\\alpha$-divergences and $\\Omega(n)$ bounds', 'α-divergences and Ω(n) bounds'],
    ['blackboard bold', 'Embeddings in $\\mathbb{R}^{d}$', 'Embeddings in ℝᵈ'],
    ['calligraphic O', 'An $\\mathcal{O}(n \\log n)$ algorithm', 'An 𝒪(n log n) algorithm'],
    ['superscripts', '$x^{2}$ and $2^{10}$ and $x^2$', 'x² and 2¹⁰ and x²'],
    ['subscripts', '$x_{i}$ and $\\theta_{t+1}$', 'xᵢ and θₜ₊₁'],
    ['subscript without a Unicode form', '$\\theta_{\\text{old}}$', 'θ_old'],
    ['complex superscript falls back to parentheses', '$e^{-\\lambda t}$', 'e^(−λ t)'],
    ['relations', '$a \\leq b \\geq c \\neq d \\approx e$', 'a ≤ b ≥ c ≠ d ≈ e'],
    ['arrows and sets', '$f: X \\to Y$, $x \\in A \\subseteq B$', 'f: X → Y, x ∈ A ⊆ B'],
    ['font commands', '\\textbf{Bold} and \\emph{emphasis} and \\texttt{code}', 'Bold and emphasis and code'],
    ['escapes', 'Q\\&A with 50\\% less \\$ and \\#1', 'Q&A with 50% less $ and #1'],
    ['acute accent', "Jos\\'e and \\'{E}cole", 'José and École'],
    ['umlaut in braces', '{\\"o}ffentlich and M\\"{u}ller', 'öffentlich and Müller'],
    ['grave, circumflex, tilde, cedilla, caron', '\\`a \\^o \\~n \\c{c} \\v{s}', 'à ô ñ ç š'],
    ['dotless i with accent', "Andr\\'{\\i}s", 'Andrís'],
    ['special letters', 'Erd\\H{o}s, \\o{}rsted, Stra\\ss e, \\L{}ukasz', 'Erdős, ørsted, Straße, Łukasz'],
    ['fractions and roots', '$\\frac{1}{2}$ and $\\frac{n+1}{2}$ and $\\sqrt{n}$', '1/2 and (n+1)/2 and √n'],
    ['dashes and quotes', 'state-of-the-art -- or not --- ``really\'\'', 'state-of-the-art – or not — “really”'],
    ['BibTeX capitalisation braces', 'Fine-tuning {BERT} for {NLP}', 'Fine-tuning BERT for NLP'],
    ['unknown commands keep their name', '\\LaTeX{} and \\foo', 'LaTeX and foo'],
    ['display math', 'we show $$\\sum_{i=1}^{n} x_i$$ holds', 'we show ∑ᵢ₌₁ⁿ xᵢ holds'],
    ['an unmatched dollar is dropped, text kept', 'costs $5 only', 'costs 5 only'],
    ['escaped dollar inside math', '$\\$10$ prize', '$10 prize'],
    ['left/right sizing dropped', '$\\left( x \\right)$', '( x )'],
    ['very deep nesting is cut, not a stack overflow', '{'.repeat(100000) + 'x', 'x'],
    ['mathbb lower-case and other letters', '$\\mathbb{E}[X]$ and $\\mathbb{N}$', '𝔼[X] and ℕ'],
    ['minus signs in math', '$-1$', '−1'],
    ['tilde kept outside math', '~10% of cases', '~10% of cases'],
    ['citations dropped', 'as shown \\cite{foo} earlier', 'as shown earlier'],
    ['unterminated group does not throw', '\\textbf{open', 'open'],
    ['trailing backslash does not throw', 'end\\', 'end'],
  ])('%s', (_name, input, expected) => {
    expect(latexToText(input)).toBe(expected);
  });

  test('hostile input stays text (templates escape it later) and the converter terminates', () => {
    expect(latexToText('<script>alert(1)</script> $\\alpha$')).toBe('<script>alert(1)</script> α');
  });

  it('reads commands named like Object properties as unknown words, not functions', () => {
    expect(latexToText('$\\constructor x$')).toBe('constructor x');
    expect(latexToText('$\\toString$ and $x^\\valueOf$')).toBe('toString and x^valueOf');
    expect(latexToText('$\\hasOwnProperty{a}$')).toBe('hasOwnPropertya');
    const deep = '{'.repeat(2000) + 'x' + '}'.repeat(2000);
    expect(latexToText(deep)).toBe('x');
  });
});
