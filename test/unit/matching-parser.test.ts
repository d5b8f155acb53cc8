import { describe, expect, it } from '@jest/globals';
import { parseTopic } from '../../src/matching/query-parser.js';
import { TOPIC_HELP, TopicSyntaxError, validateTopic } from '../../src/matching/matcher.js';

function errorOf(topic: string): TopicSyntaxError {
  try {
    validateTopic(topic);
  } catch (err) {
    if (err instanceof TopicSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected "${topic}" to be refused`);
}

/** Each clause's alternatives: the terms of words and phrases, the surface of filters. */
const words = (topic: string) => parseTopic(topic).clauses.flatMap((c) => c.alternatives.map((a) => (a.kind === 'words' ? a.terms.join(' ') : a.surface)));

describe('topic parser', () => {
  it('turns plain words into one soft clause per word, stemmed, without stop words', () => {
    const p = parseTopic('reward models for RLHF');
    expect(p.clauses.map((c) => c.alternatives.map((a) => (a.kind === 'words' ? a.terms.join(' ') : '')))).toEqual([['reward'], ['model'], ['rlhf']]);
    expect(p.clauses.every((c) => !c.required && !c.negated)).toBe(true);
  });

  it('reads quoted phrases as required, exclusions as negated, OR as alternatives', () => {
    const p = parseTopic('"symbolic regression" -music transformer OR mamba');
    expect(p.clauses[0]).toMatchObject({ required: true, negated: false, alternatives: [{ kind: 'words', terms: ['symbol', 'regress'], exact: true }] });
    expect(p.clauses[1]).toMatchObject({ negated: true, alternatives: [{ terms: ['music'] }] });
    expect(p.clauses[2].alternatives).toHaveLength(2);
    expect(p.clauses[2].required).toBe(false);
  });

  it('reads field filters cat:, au: and ti:', () => {
    const p = parseTopic('cat:cs.LG cat:cs.* au:"Yann LeCun" ti:diffusion');
    expect(p.clauses.map((c) => c.alternatives[0])).toEqual([
      expect.objectContaining({ kind: 'category', value: 'cs.lg', prefix: false }),
      expect.objectContaining({ kind: 'category', value: 'cs', prefix: true }),
      expect.objectContaining({ kind: 'author', words: ['yann', 'lecun'] }),
      expect.objectContaining({ kind: 'words', terms: ['diffus'], titleOnly: true }),
    ]);
    expect(p.clauses.every((c) => c.required)).toBe(true);
    // Surname first, as bibliographies write it: the same name.
    expect(parseTopic('au:"LeCun, Yann"').clauses[0].alternatives[0]).toMatchObject({ kind: 'author', words: ['yann', 'lecun'] });
    expect(parseTopic('au:"Hernández-Lobato, J. M."').clauses[0].alternatives[0]).toMatchObject({ words: ['j', 'm', 'hernandez', 'lobato'] });
  });

  it('reads an upper-case NOT as an exclusion, like "-"; a lower-case not is a stop word', () => {
    const strip = (topic: string) => parseTopic(topic).clauses.map((c) => ({ negated: c.negated, required: c.required, alternatives: c.alternatives.map((a) => ({ ...a, surface: undefined })) }));
    expect(strip('robotics NOT vision')).toEqual(strip('robotics -vision'));
    expect(strip('robotics AND NOT "computer vision"')).toEqual(strip('robotics -"computer vision"'));
    expect(strip('graph theory NOT cat:math.*')).toEqual(strip('graph theory -cat:math.*'));
    expect(parseTopic('graph theory NOT cat:math.*').clauses[2].alternatives[0]).toMatchObject({ kind: 'category', surface: 'cat:math.*' });
    expect(strip('not robotics')).toEqual(strip('robotics'));
  });

  it('reads a category whatever its letter case, as arXiv lists it', () => {
    const p = parseTopic('cat:CS.lg cat:Math.*');
    expect(p.clauses.map((c) => c.alternatives[0])).toEqual([
      expect.objectContaining({ kind: 'category', value: 'cs.lg', prefix: false }),
      expect.objectContaining({ kind: 'category', value: 'math', prefix: true }),
    ]);
  });

  it('splits a comma list of short keyphrases into alternatives, but not a sentence', () => {
    expect(parseTopic('emotional speech synthesis, expressive TTS').facetCount).toBe(2);
    expect(parseTopic('methods that learn reward models from human preference data, for aligning chat assistants').facetCount).toBe(1);
  });

  it('reads a lower-case "or" list of single words at the end of a phrase as alternatives, otherwise as a stop word', () => {
    const shape = (topic: string) => parseTopic(topic).clauses.map((c) => `${c.facet}:${c.alternatives.map((a) => (a.kind === 'words' ? a.terms.join(' ') : '')).join('|')}`);
    expect(shape('generating text with control over attributes such as sentiment, topic or style'))
      .toEqual(['0:generat', '0:text', '0:control', '0:attribut', '0:sentiment|topic|style']);
    expect(shape('reward models for RLHF or DPO')).toEqual(['0:reward', '0:model', '0:rlhf|dpo']);
    // A gerund takes the list as its objects; a list ends its phrase before a stop word ("from").
    expect(shape('detecting depression, anxiety or stress from text or speech'))
      .toEqual(['0:detect', '0:depress|anxieti|stress', '0:text|speech']);
    // The list does not run back into a compound: "speech synthesis" stays a keyphrase of its own.
    expect(shape('speech synthesis, TTS or voice')).toEqual(['0:speech', '0:synthesi', '1:tts|voic']);
    // "or" inside a phrase is ambiguous ("speech or music generation"): left as a stop word.
    expect(shape('speech or music generation')).toEqual(['0:speech', '0:music', '0:generat']);
    expect(shape('expressive TTS or voice cloning')).toEqual(['0:express', '0:tts', '0:voic', '0:clone']);
    expect(parseTopic('reward models for RLHF or DPO').clauses.every((c) => !c.required)).toBe(true);
  });

  it('drops the words that open a request ("I am interested in papers about …") and words that never name a subject', () => {
    expect(words('I am interested in papers about symbolic regression')).toEqual(words('symbolic regression'));
    expect(words("I'm especially interested in recent papers on speech synthesis, especially expressive TTS")).toEqual(words('speech synthesis, expressive TTS'));
    expect(words('looking for anything related to dark matter')).toEqual(['dark', 'matter']);
    expect(words("We'd like to see work on RLHF")).toEqual(['rlhf']);
    expect(words('new papers on new physics')).toEqual(['new', 'physic']);
    // Where the same words are the field's own, they stay.
    expect(words('novel view synthesis')).toEqual(['novel', 'view', 'synthesi']);
    expect(words('topic modeling')).toEqual(['topic', 'model']);
    expect(words('internet of things')).toEqual(['internet', 'thing']);
    expect(words('research papers')).toEqual(['research', 'paper']);
    // Quoted, they are what the subscriber asked for.
    expect(words('"especially hard" cases')[0].split(' ')).toHaveLength(2);
    expect(words('especially hard cases')).toEqual(words('hard cases'));
  });

  it('reads "words (ACRONYM)" as the topic naming its own acronym, not as one more word', () => {
    const defined = (topic: string) => (parseTopic(topic).acronyms ?? []).map((d) => `${d.surface}: ${d.run.map((c) => (c.alternatives[0] as { surface: string }).surface).join(' ')}`);
    expect(words('controllable text generation (CTG)')).toEqual(words('controllable text generation'));
    expect(defined('controllable text generation (CTG)')).toEqual(['CTG: controllable text generation']);
    // Stop words may give no letter; a plural is written with a lower-case s; a letter may come from inside a word.
    expect(defined('reward models (RMs) for reinforcement learning from human feedback (RLHF)')).toEqual(['RMs: reward models', 'RLHF: reinforcement learning human feedback']);
    expect(defined('3D Gaussian splatting (3DGS)')).toEqual(['3DGS: 3D Gaussian splatting']);
    expect(defined('vision transformers (ViT)')).toEqual(['ViT: vision transformers']);
    // Not spelled by the words before it, or not an acronym: a word like any other.
    expect(words('symbolic regression (PySR)')).toEqual(['symbol', 'regress', 'pysr']);
    expect(defined('speech synthesis (TTS)')).toEqual([]);
    expect(words('speech (see above)')).toEqual(['speech', 'see']);
  });

  it('ignores stray punctuation and double dashes instead of failing', () => {
    expect(() => validateTopic('graph -- neural networks (GNNs)')).not.toThrow();
    expect(() => validateTopic('I am interested in papers about protein folding.')).not.toThrow();
  });

  it.each([
    ['', 0, /empty/],
    ['   ', 0, /empty/],
    ['"symbolic regression', 0, /quote is never closed/],
    ['graph "" networks', 6, /empty quotes/],
    ['cat: transformers', 4, /cat: needs a value/],
    ['cat:"machine learning"', 4, /not an arXiv category/],
    ['cat:cs.LG.x', 4, /not an arXiv category/],
    ['au:', 3, /needs a value/],
    ['OR diffusion', 0, /OR needs/],
    ['diffusion OR', 10, /OR needs/],
    ['-music', 0, /only excludes/],
    ['diffusion -the', 10, /nothing to exclude/],
    ['speech OR -music', 10, /cannot be part of an OR/],
    ['robotics NOT', 9, /nothing to exclude after NOT/],
    ['diffusion NOT the', 10, /nothing to exclude after NOT/],
    ['robotics NOT, vision', 9, /nothing to exclude after NOT/],
    ['NOT music', 0, /only excludes/],
    ['speech OR NOT music', 10, /cannot be part of an OR/],
    ['"the of"', 0, /only stop words/],
    ['?! …', 0, /no searchable words/],
  ])('refuses %j with a message and position', (topic, position, message) => {
    const err = errorOf(topic);
    expect(err.position).toBe(position);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`at position ${position + 1}`);
  });

  it('accepts a topic of stop words or single letters as typed (it just matches nothing)', () => {
    expect(() => validateTopic('a')).not.toThrow();
    expect(() => validateTopic('x')).not.toThrow();
  });

  it('refuses over-long topics at the limit', () => {
    expect(errorOf('a'.repeat(501)).position).toBe(500);
  });

  it('exports plain-text help lines for the form', () => {
    expect(TOPIC_HELP.length).toBeGreaterThan(5);
    for (const line of TOPIC_HELP) expect(line).not.toMatch(/[<>]/);
    expect(TOPIC_HELP.join('\n')).toMatch(/cat:cs\.LG/);
  });
});
