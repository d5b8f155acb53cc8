import { describe, expect, it } from '@jest/globals';
import { buildCorpusIndex } from '../../src/matching/corpus-index.js';
import { createMatcher } from '../../src/matching/matcher.js';
import { shellTerms, titleHeadConflict } from '../../src/matching/title-subject.js';
import { stem } from '../../src/matching/stemmer.js';
import type { MatchPaper } from '../../src/matching/types.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });

describe('title subject: the topic\'s modifiers attached to another head in the title', () => {
  const papers = [
    P('gen', 'Facial Expression Generation with Diffusion', 'x'),
    P('rec', 'Dynamic Facial Expression Recognition', 'x'),
    P('wild', 'Facial Expressions in the Wild', 'x'),
    P('end', 'Emotional 3D Talking Heads', 'x'),
    P('avatar', 'Talking Head Avatars from Audio', 'x'),
    P('tts', 'Text-to-Speech Models for Audiobooks', 'x'),
    P('apart', 'Facial Landmarks and Expression Generation', 'x'),
    P('between', 'Facial Landmark Expression Generation', 'x'),
    P('framework', 'LOOP: A Plug-and-Play Neuro-Symbolic Framework for Planning', 'x'),
    P('dataset', 'A Facial Expression Dataset of Older Adults', 'x'),
    P('program', 'Neuro-Symbolic Program Synthesis', 'x'),
  ];
  const index = buildCorpusIndex(papers, 2);
  const t = (w: string) => index.termIds.get(w) ?? -1;
  const doc = (id: string) => index.docs[papers.findIndex((p) => p.id === id)];

  it('fires when the modifiers form one compound in the title followed by another word, and the head is not in the title', () => {
    expect(titleHeadConflict(doc('gen'), [t('facial'), t('express')], [t(stem('recognition'))])).toBe(true);
    expect(titleHeadConflict(doc('avatar'), [t('talk'), t('head')], [t('generat')])).toBe(true);
    // A stop word joined inside the compound (text-to-speech) keeps it one compound.
    expect(titleHeadConflict(doc('tts'), [t('text'), t('speech')], [t('synthesi')])).toBe(true);
  });

  it('does not fire when the head is in the title, the compound ends the title or a phrase, or the modifiers are apart', () => {
    expect(titleHeadConflict(doc('rec'), [t('facial'), t('express')], [t(stem('recognition'))])).toBe(false);
    expect(titleHeadConflict(doc('wild'), [t('facial'), t('express')], [t(stem('recognition'))])).toBe(false);
    expect(titleHeadConflict(doc('end'), [t('talk'), t('head')], [t('generat')])).toBe(false);
    expect(titleHeadConflict(doc('apart'), [t('facial'), t('express')], [t(stem('recognition'))])).toBe(false);
    // Only a stop word may sit between two modifiers, not another word.
    expect(titleHeadConflict(doc('between'), [t('facial'), t('express')], [t(stem('recognition'))])).toBe(false);
  });

  it('does not fire when the word after the compound names the kind of contribution (framework, dataset, …), not another subject', () => {
    const shell = shellTerms(index);
    expect(shell.has(t('framework'))).toBe(true);
    expect(titleHeadConflict(doc('framework'), [t('neuro'), t('symbol')], [t('reason')], shell)).toBe(false);
    expect(titleHeadConflict(doc('dataset'), [t('facial'), t('express')], [t(stem('recognition'))], shell)).toBe(false);
    // Without the list, or with a word that is a subject of its own, it fires.
    expect(titleHeadConflict(doc('framework'), [t('neuro'), t('symbol')], [t('reason')])).toBe(true);
    expect(titleHeadConflict(doc('program'), [t('neuro'), t('symbol')], [t('reason')], shell)).toBe(true);
    expect(titleHeadConflict(doc('gen'), [t('facial'), t('express')], [t(stem('recognition'))], shell)).toBe(true);
  });

  it('does not apply to a single modifier, whose compounds with other heads often still mean the topic (reward signal)', () => {
    expect(titleHeadConflict(doc('gen'), [t('express')], [t(stem('recognition'))])).toBe(false);
  });

  it('a facial expression generation paper that cites recognition in its abstract is ranked below and left out', () => {
    const day: MatchPaper[] = [
      P('fer', 'Facial Expression Recognition with Vision Transformers', 'We recognise facial expressions from face images; facial expression recognition accuracy improves.'),
      P('feg', 'Facial Expression Generation with Adversarial Networks', 'Most work addresses facial expression recognition; we instead generate facial expressions of many identities.'),
      P('gene', 'Gene Expression Prediction from DNA', 'Gene expression levels are predicted from regulatory sequences.'),
      P('asr', 'Speech Recognition for Low-Resource Languages', 'Automatic speech recognition with little labelled audio.'),
    ];
    const ids = (m: ReturnType<typeof createMatcher>) => m.match(['facial expression recognition']).map((h) => h.paperId);
    const off = ids(createMatcher(day, { params: { titleConflictFactor: 1 } }));
    expect(off).toEqual(['fer', 'feg']);
    expect(ids(createMatcher(day))).toEqual(['fer']);
  });
});
