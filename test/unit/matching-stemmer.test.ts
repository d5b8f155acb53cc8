import { describe, expect, it } from '@jest/globals';
import { stem } from '../../src/matching/stemmer.js';
import { tokenize } from '../../src/matching/tokenize.js';

describe('Porter2 stemmer', () => {
  it.each([
    ['consigned', 'consign'], ['consistency', 'consist'], ['knackeries', 'knackeri'], ['caresses', 'caress'],
    ['ponies', 'poni'], ['ties', 'tie'], ['cries', 'cri'], ['gaps', 'gap'], ['gas', 'gas'], ['hopping', 'hop'],
    ['hoping', 'hope'], ['happy', 'happi'], ['relational', 'relat'], ['models', 'model'], ['modelling', 'model'],
    ['regression', 'regress'], ['symbolic', 'symbol'], ['controllable', 'control'], ['controlled', 'control'],
    ['reasoning', 'reason'], ['emotional', 'emot'], ['emotion', 'emot'], ['dying', 'die'], ['news', 'news'],
  ])('%s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('keeps "general" apart from "generation" (Porter2 exception), but joins generation and generative', () => {
    expect(stem('generalization')).toBe('general');
    expect(stem('generation')).toBe('generat');
    expect(stem('generative')).toBe('generat');
  });
});

describe('tokenizer', () => {
  it('splits hyphenated words, drops stop words, keeps word positions, singularises acronyms', () => {
    const t = tokenize('Text-to-Speech for LLMs');
    expect(t.map((x) => [x.term, x.pos])).toEqual([['text', 0], ['speech', 2], ['llm', 4]]);
  });

  it('folds accents', () => {
    expect(tokenize('Schrödinger équation').map((x) => x.term)).toEqual(['schroding', 'equat']);
  });
});
