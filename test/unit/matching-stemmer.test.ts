import { describe, expect, it } from '@jest/globals';
import { porter2, stem } from '../../src/matching/stemmer.js';
import { tokenize } from '../../src/matching/tokenize.js';
import { leadText } from '../../src/matching/corpus-index.js';

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

  it('marks the source side of "X-to-Y" compounds (the input, not the subject)', () => {
    const t = tokenize('Zero-shot Text-to-Image and speech-to-text; text to speech');
    expect(t.filter((x) => x.source).map((x) => x.surface)).toEqual(['Text', 'speech']);
  });

  it('folds accents', () => {
    expect(tokenize('Schrödinger équation').map((x) => x.term)).toEqual(['schroding', 'equat']);
  });
});

describe('abstract lead', () => {
  it('is the first two sentences (decimal points and lower-case continuations do not end one)', () => {
    expect(leadText('We study 2.5 things. They matter, e.g. for ranking. A third one.')).toBe('We study 2.5 things. They matter, e.g. for ranking.');
    expect(leadText('Only one sentence here.')).toBe('Only one sentence here.');
  });
});

describe('word forms Porter2 leaves apart', () => {
  it.each([
    // British spellings meet the American ones.
    ['behaviour', 'behavior'], ['behavioural', 'behavioral'], ['colours', 'colors'], ['neighbourhood', 'neighborhood'],
    ['optimisation', 'optimization'], ['optimise', 'optimize'], ['recognised', 'recognized'], ['tokenisation', 'tokenization'],
    ['generalisation', 'generalization'], ['analyse', 'analyze'], ['centre', 'center'], ['fibres', 'fibers'],
    ['dialogue', 'dialog'], ['catalogues', 'catalogs'], ['defence', 'defense'], ['programme', 'program'],
    ['sceptical', 'skeptical'], ['haemoglobin', 'hemoglobin'], ['paediatric', 'pediatric'],
    // -ition / -itive and the verb.
    ['recognition', 'recognizing'], ['composition', 'compose'], ['decomposition', 'decomposed'], ['competitive', 'compete'],
    ['definitions', 'define'],
    // Every form of an -ise / -ision word goes the same way.
    ['supervised', 'supervision'], ['precise', 'precision'],
  ])('%s ~ %s', (a, b) => {
    expect(stem(a)).toBe(stem(b));
  });

  it.each([
    // Short stems are not joined: different words would meet.
    ['position', 'pose'], ['partition', 'part'], ['condition', 'cond'], ['sensitive', 'sense'],
    // -ise words that are not the British form of an -ize word.
    ['improvise', 'improve'], ['treatise', 'treat'],
    // -our and -re only for the known British words.
    ['hour', 'hor'], ['four', 'for'],
    // Porter2's own distinctions stay.
    ['generalization', 'generation'], ['implicit', 'implication'],
    // A transformer is neither a transform nor a transformation.
    ['transformers', 'transform'], ['transformer', 'transformation'],
  ])('%s ≁ %s', (a, b) => {
    expect(stem(a)).not.toBe(stem(b));
  });

  it('words that name object properties are words like any other', () => {
    for (const w of ['constructor', 'tostring', '__proto__', 'hasownproperty', 'valueof']) {
      expect(typeof stem(w)).toBe('string');
    }
    expect(stem('constructor')).toBe(stem('constructors'));
  });

  it('porter2() is the algorithm alone', () => {
    expect(porter2('behaviour')).toBe('behaviour');
    expect(porter2('recognition')).toBe('recognit');
  });
});
