import { describe, expect, it } from '@jest/globals';
import { createMatcher, prepareDay } from '../../src/matching/matcher.js';
import { DEFAULT_PARAMS } from '../../src/matching/params.js';
import { tokenize } from '../../src/matching/tokenize.js';
import type { MatchPaper } from '../../src/matching/types.js';
import { syntheticDay } from '../support/synthetic-day.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });

/** A small day (scored lexically): papers whose hyphenated words are opened by function words, and their look-alikes. */
function day(): MatchPaper[] {
  return [
    P('off', 'Conservative Off-Policy Evaluation for Reinforcement Learning',
      'We study off-policy evaluation in reinforcement learning: estimating the value of a target policy from data logged by another policy.'),
    P('on', 'Stable On-Policy Reinforcement Learning with Trust Regions',
      'On-policy reinforcement learning methods such as PPO update the policy with fresh samples; we bound each policy update.'),
    P('ood', 'Energy Scores for Out-of-Distribution Detection',
      'Detecting out-of-distribution inputs is essential for deploying classifiers; energy scores separate them from in-distribution data.'),
    P('quench', 'Influence of Critical Current Distribution on Quench Detection in Superconducting Magnets',
      'The current distribution in the cable changes the voltage signals used for the detection of quenches in magnets.'),
    P('icl', 'Demonstration Selection for In-Context Learning',
      'Large language models learn new tasks from a few demonstrations given in-context; we select the demonstrations.'),
    P('ctx', 'Learning Long Context Representations for Retrieval',
      'We study learning representations of long context windows for retrieval over large document collections.'),
    P('few', 'Prototypical Networks for Few-Shot Learning',
      'Few-shot learning classifies new classes from a handful of labelled examples; we learn a metric space of prototypes.'),
    P('zero', 'Semantic Attributes for Zero-Shot Learning',
      'Zero-shot learning recognises unseen classes from their attributes without any labelled example of them.'),
    P('kmeans', 'Accelerating $k$-Means Clustering on GPUs',
      'The $k$-means algorithm is the most used clustering method; we make its assignment step faster.'),
    P('means', 'Hierarchical Clustering by Geometric Means',
      'We cluster points by the geometric means of their distances and compare it with spectral clustering.'),
    P('f1', 'Graph Neural Networks for Molecules', 'We predict molecular properties with message passing networks.'),
    P('f2', 'A Survey of Protein Structure Prediction', 'We review methods that predict protein structures from sequences.'),
    P('f3', 'Speech Synthesis with Diffusion', 'We synthesise speech with a diffusion model conditioned on text.'),
    P('f4', 'Dark Matter Halos in Dwarf Galaxies', 'We measure dark matter density profiles of dwarf galaxies.'),
  ];
}

const ids = (hits: Array<{ paperId: string }>) => hits.map((h) => h.paperId);

describe('hyphenated words opened by function words (in-context, off-policy, few-shot, out-of-distribution)', () => {
  it('indexes a paper\'s opened compound also as its closed form, beside its part; topics and other words are unchanged', () => {
    const terms = (text: string, fused = true) => tokenize(text, { fused }).map((t) => `${t.term}@${t.pos}${t.fused ? '+' : ''}`);
    expect(terms('in-context learning')).toEqual(['incontext@1+', 'context@1', 'learn@2']);
    expect(terms('out-of-distribution detection')).toEqual(['outofdistribut@2+', 'distribut@2', 'detect@3']);
    expect(terms('the $k$-means algorithm')).toEqual(['kmean@2+', 'mean@2', 'algorithm@3']);
    expect(terms('a to-do list')).toEqual(['todo@2+', 'list@3']);
    // Function words inside a longer word close up with the part after them too ("near-out-of-distribution").
    expect(terms('near-out-of-distribution')).toEqual(['near@0', 'outofdistribut@3+', 'distribut@3']);
    expect(terms('state-of-the-art text-to-speech')).toEqual(['state@0', 'oftheart@3+', 'art@3', 'text@4', 'tospeech@6+', 'speech@6']);
    // No part after the function word: nothing to close up with.
    expect(terms('a trade-off')).toEqual(['trade@1']);
    // Without closed forms (the default): as before.
    expect(terms('state-of-the-art text-to-speech', false)).toEqual(['state@0', 'art@3', 'text@4', 'speech@6']);
    // Topics are tokenized without closed forms (compile-topic binds them).
    expect(terms('in-context learning', false)).toEqual(['context@1', 'learn@2']);
  });

  it('tells off-policy from on-policy reinforcement learning', () => {
    const m = createMatcher(day());
    const off = m.matchTopic('off-policy reinforcement learning');
    const on = m.matchTopic('on-policy reinforcement learning');
    expect(ids(off)[0]).toBe('off');
    expect(ids(on)[0]).toBe('on');
    const score = (hits: typeof off, id: string) => hits.find((h) => h.paperId === id)?.score ?? 0;
    expect(score(off, 'off')).toBeGreaterThan(score(off, 'on') + 0.03);
    expect(score(on, 'on')).toBeGreaterThan(score(on, 'off') + 0.03);
    expect(off[0].why).toBe('matched: "off-policy", "reinforcement learning" in title');
  });

  it('does not send superconducting quench detection to a reader of out-of-distribution detection', () => {
    const m = createMatcher(day());
    const hits = m.matchTopic('out-of-distribution detection');
    expect(ids(hits)).toEqual(['ood']);
    expect(hits[0].why).toBe('matched: "out-of-distribution detection" in title');
  });

  it('selects in-context learning, few-shot learning and k-means papers, not papers on long context, zero-shot learning or geometric means', () => {
    const m = createMatcher(day());
    const icl = m.matchTopic('in-context learning');
    expect(ids(icl)).toContain('icl');
    expect(ids(icl)).not.toContain('ctx');
    expect(icl.find((h) => h.paperId === 'icl')!.why).toContain('"in-context learning" in title');
    const few = ids(m.matchTopic('few-shot learning'));
    expect(few[0]).toBe('few');
    expect(few).not.toContain('zero');
    const kmeans = ids(m.matchTopic('k-means clustering'));
    expect(kmeans[0]).toBe('kmeans');
    expect(kmeans).not.toContain('means');
  });

  it('reads a quoted phrase, ti:, an OR alternative and an exclusion with the compound as its closed form', () => {
    const m = createMatcher(day());
    expect(ids(m.matchTopic('"in-context learning"'))).toEqual(['icl']);
    expect(ids(m.matchTopic('ti:few-shot'))).toEqual(['few']);
    const either = ids(m.matchTopic('in-context OR few-shot'));
    expect([...either].sort()).toEqual(['few', 'icl']);
    // Excluding off-policy papers leaves the on-policy one (before, "-off-policy" excluded every paper saying "policy").
    expect(ids(m.matchTopic('reinforcement learning -off-policy'))).toEqual(['on']);
  });

  it('folds a closed form two papers use into the day\'s space (one paper is not enough, as for any word)', () => {
    const ood = [
      P('ood-1', 'Energy Scores for Out-of-Distribution Detection', 'Detecting out-of-distribution inputs keeps classifiers safe; energy scores flag them.'),
      P('ood-2', 'Open-World Object Detection', 'Detectors misclassify near-out-of-distribution objects; we flag unknown objects as out-of-distribution.'),
      P('ood-3', 'Outlier Exposure for Classifiers', 'Training with outliers teaches classifiers to flag out-of-distribution inputs at test time.'),
      P('shift', 'Label Distribution Shift Detection in Streams', 'An in-depth study: we detect when the label distribution of a stream drifts, with a sequential test on the class distribution.'),
    ];
    const papers = [...syntheticDay(), ...ood];
    const { index, space } = prepareDay(papers, DEFAULT_PARAMS);
    expect(space?.dims).toBeGreaterThan(0);
    const closed = index.termIds.get('outofdistribut')!;
    expect(index.closedOnly?.[closed]).toBe(1);
    expect(space!.knows(closed)).toBe(true);
    // Like any word, a closed form needs two papers to have a vector: "in-depth" is in one.
    const once = index.termIds.get('indepth')!;
    expect(index.closedOnly?.[once]).toBe(1);
    expect(space!.knows(once)).toBe(false);
    const hits = ids(createMatcher(papers).matchTopic('out-of-distribution detection'));
    expect(hits.slice(0, 2).sort()).toEqual(['ood-1', 'ood-2']);
  });

  it('keeps the part in full for a topic that does not write the compound', () => {
    const m = createMatcher(day());
    // "policy evaluation" is about off-policy evaluation too; "context" still finds the long-context paper.
    expect(ids(m.matchTopic('policy evaluation'))[0]).toBe('off');
    expect(ids(m.matchTopic('long context retrieval'))[0]).toBe('ctx');
    expect(ids(m.matchTopic('zero-shot learning'))[0]).toBe('zero');
  });
});
