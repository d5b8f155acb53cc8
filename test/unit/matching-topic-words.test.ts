import { describe, expect, it } from '@jest/globals';
import { dayWords, unusedTopicWords } from '../../src/matching/topic-words.js';

describe('words of a topic that no paper of the day uses', () => {
  const words = dayWords([
    { id: 'a', title: 'Symbolic Regression with Transformers', abstract: 'We discover equations from data.' },
    { id: 'b', title: 'Reward Models', abstract: 'Preference data.', aiKeywords: ['RLHF'], aiSummary: 'A summary about alignment.' },
  ]);

  it('reads the fields the matcher reads, as its index terms', () => {
    expect(words.has('regress')).toBe(true);
    expect(words.has('rlhf')).toBe(true);
    expect(words.has('align')).toBe(true);
  });

  it('names a misspelt or absent word as typed, and nothing when every word is used', () => {
    expect(unusedTopicWords('symbolic regresion', words)).toEqual(['regresion']);
    expect(unusedTopicWords('Symbolic Regressions', words)).toEqual([]);
    expect(unusedTopicWords('"symbolic regresion" equations', words)).toEqual(['"symbolic regresion"']);
  });

  it('an OR list only when none of its choices is used; exclusions and filters are not words of the topic', () => {
    expect(unusedTopicWords('DPO OR RLHF', words)).toEqual([]);
    expect(unusedTopicWords('DPO OR KTO', words)).toEqual(['DPO', 'KTO']);
    expect(unusedTopicWords('reward models -regresion cat:cs.LG au:Nobody', words)).toEqual([]);
    expect(unusedTopicWords('"unclosed', words)).toEqual([]);
  });
});
