import { describe, expect, it } from '@jest/globals';
import { createMatcher, dayDims, prepareDay } from '../../src/matching/matcher.js';
import { DEFAULT_PARAMS } from '../../src/matching/params.js';
import { buildCorpusIndex } from '../../src/matching/corpus-index.js';
import { buildSemanticSpace, parseSemanticModel, serializeSemanticModel, spaceFromModel, trainSemanticModel } from '../../src/matching/semantic-space.js';
import { headClause, objectClauses } from '../../src/matching/compile-topic.js';
import { isTextual, parseTopic } from '../../src/matching/query-parser.js';
import type { MatchPaper } from '../../src/matching/types.js';
import { smallDayAndEarlier, syntheticDay as day } from '../support/synthetic-day.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });


const ids = (hits: Array<{ paperId: string }>) => hits.map((h) => h.paperId);

describe('semantic space and concept rules', () => {
  it('selects the same papers with the same scores whatever the order the papers come in (the space is built on them in id order)', () => {
    const papers = day();
    const shuffled = [...papers].sort((a, b) => (a.id.split('').reverse().join('') < b.id.split('').reverse().join('') ? -1 : 1));
    const reversed = [...papers].reverse();
    const topics = ['talking head generation', 'speech synthesis', 'dark matter', 'protein structure prediction', 'graph attention'];
    const run = (ps: MatchPaper[]) => { const m = createMatcher(ps); return topics.map((t) => m.matchTopic(t)); };
    const want = run(papers);
    expect(want.flat().length).toBeGreaterThan(20);
    expect(run(shuffled)).toEqual(want);
    expect(run(reversed)).toEqual(want);
  });

  it('finds the head word of short noun-phrase topics (English compounds are right-headed)', () => {
    const head = (t: string) => {
      const p = parseTopic(t);
      const src = p.clauses.filter((c) => isTextual(c) && c.facet === 0);
      const h = headClause(p, src, 4);
      return h < 0 ? null : (src[h].alternatives[0] as { surface: string }).surface;
    };
    expect(head('facial expression recognition')).toBe('recognition');
    expect(head('reward models for RLHF')).toBe('models');
    expect(head('activation steering')).toBe('steering');
    expect(head('diffusion')).toBeNull();
    // Hyphenated compounds are one run of adjacent words, even across a joined stop word.
    expect(head('self-supervised learning')).toBe('learning');
    expect(head('text-to-speech synthesis')).toBe('synthesis');
    expect(head('LLM-based code generation')).toBe('generation');
    expect(head('LLM-as-a-judge')).toBe('judge');
    expect(head('LLM as a judge')).toBeNull();
    expect(head('I am interested in new methods for graph neural networks and their uses')).toBeNull();
  });

  it('finds the object of a short topic\'s preposition (the words that say which kind is meant)', () => {
    const object = (t: string) => {
      const p = parseTopic(t);
      const src = p.clauses.filter((c) => isTextual(c) && c.facet === 0);
      return objectClauses(p, src, 4).map((k) => (src[k].alternatives[0] as { surface: string }).surface).join(' ');
    };
    expect(object('emotion recognition in conversations')).toBe('conversations');
    expect(object('reinforcement learning for LLM agents')).toBe('LLM agents');
    expect(object('AI for clinical decision support')).toBe('clinical decision support');
    expect(object('reward models for RLHF')).toBe('RLHF');
    // No preposition, a conjunction instead, a sentence, or a quoted object: no object.
    expect(object('facial expression recognition')).toBe('');
    expect(object('self-training and self-improvement of LLMs')).toBe('');
    expect(object('memory management for LLMs with long contexts')).toBe('');
    expect(object('LLM-as-a-judge')).toBe('');
    expect(object('models for "software engineering"')).toBe('');
  });

  it('a paper without any word of the object keeps objectMissingFactor of its score', () => {
    const papers = [
      P('conv', 'Emotion Recognition in Conversations with Graph Networks', 'We recognise the emotion of each utterance in multi-party conversations.'),
      P('av', 'Audio-Visual Emotion Recognition in the Wild', 'Emotion recognition from faces and voices in video clips.'),
      ...Array.from({ length: 6 }, (_, i) => P(`f${i}`, `Protein Folding ${i}`, 'Structure prediction of proteins from sequences.')),
    ];
    const lexical = { semanticWeight: 0, rocchioWeight: 0, feedbackWeight: 0, threshold: 0 };
    const score = (objectMissingFactor: number, id: string) => createMatcher(papers, { params: { ...lexical, objectMissingFactor } })
      .matchTopic('emotion recognition in conversations').find((h) => h.paperId === id)!.score;
    expect(score(0.85, 'av') / score(1, 'av')).toBeCloseTo(0.85, 2);
    expect(score(0.85, 'conv')).toBe(score(1, 'conv'));
  });

  it("a paper without the topic's distinctive word keeps rareMissingFactor of its score; a topic without one is untouched", () => {
    const papers = [
      P('hand', '3D Hand Reconstruction from a Single Image', 'We reconstruct the 3D shape of a hand from one image.'),
      P('human', '3D Human Reconstruction from a Single Image', 'We reconstruct the 3D shape of a person from one image.'),
      ...Array.from({ length: 5 }, (_, i) => P(`r${i}`, `Multi-view 3D Reconstruction ${i}`, 'Scene reconstruction in 3D from single or several images.')),
      ...Array.from({ length: 6 }, (_, i) => P(`f${i}`, `Protein Folding ${i}`, 'Structure prediction of proteins from sequences.')),
    ];
    const lexical = { semanticWeight: 0, rocchioWeight: 0, feedbackWeight: 0, threshold: 0, rareWordRatio: 1.5 };
    const score = (topic: string, rareMissingFactor: number, id: string) => createMatcher(papers, { params: { ...lexical, rareMissingFactor } })
      .matchTopic(topic).find((h) => h.paperId === id)!.score;
    // "hand" is in one paper, every other word of the topic in seven: it is what sets the topic apart.
    expect(score('3D hand reconstruction from a single image', 0.85, 'human') / score('3D hand reconstruction from a single image', 1, 'human')).toBeCloseTo(0.85, 2);
    expect(score('3D hand reconstruction from a single image', 0.85, 'hand')).toBe(score('3D hand reconstruction from a single image', 1, 'hand'));
    // No word of "3D reconstruction from images" stands out (the same seven papers hold each): no paper pays.
    expect(score('3D reconstruction from a single image', 0.85, 'r0')).toBe(score('3D reconstruction from a single image', 1, 'r0'));
    // Two words make no distinctive word either (the head and object rules cover short topics).
    expect(score('hand reconstruction', 0.85, 'human')).toBe(score('hand reconstruction', 1, 'human'));
    // A distinctive word no paper of the day uses still sets the topic apart: with no "hand" at all,
    // a human-reconstruction paper is not about 3D hand reconstruction (before, such a day's papers kept
    // their whole score, and "quantum error correction" selected an LLM paper on correcting errors).
    const noHands = papers.filter((p) => p.id !== 'hand');
    const scoreNoHands = (f: number) => createMatcher(noHands, { params: { ...lexical, rareMissingFactor: f } })
      .matchTopic('3D hand reconstruction from a single image').find((h) => h.paperId === 'human')!.score;
    expect(scoreNoHands(0.85) / scoreNoHands(1)).toBeCloseTo(0.85, 2);
  });

  it('a paper naming only the head of a topic ("attacks" of backdoor attacks) keeps headOnlyFactor of its score', () => {
    const papers = [
      P('bd', 'Backdoor Attacks on Text-to-Image Models', 'A trigger planted in training data hijacks the model.'),
      P('jb', 'Jailbreak Attacks on Language Models', 'Prompts that make a model ignore its safety training.'),
      P('def', 'Backdoor Removal for Language Models', 'We neutralise planted triggers without retraining.'),
      P('knot', 'A Theory of Quandles', 'We study algebraic structures of colorings.'),
      ...Array.from({ length: 6 }, (_, i) => P(`f${i}`, `Protein Folding ${i}`, 'Structure prediction of proteins from sequences.')),
    ];
    const lexical = { semanticWeight: 0, rocchioWeight: 0, feedbackWeight: 0, threshold: 0 };
    const score = (topic: string, headOnlyFactor: number, id: string) => createMatcher(papers, { params: { ...lexical, headOnlyFactor } })
      .matchTopic(topic).find((h) => h.paperId === id)!.score;
    expect(score('backdoor attacks', 0.7, 'jb') / score('backdoor attacks', 1, 'jb')).toBeCloseTo(0.7, 2);
    // The head with a modifier, or a modifier alone (the head rule's case), is not this rule's.
    expect(score('backdoor attacks', 0.7, 'bd')).toBe(score('backdoor attacks', 1, 'bd'));
    expect(score('backdoor attacks', 0.7, 'def')).toBe(score('backdoor attacks', 1, 'def'));
    // A generic head is no head: "theory" alone is not judged by it.
    expect(score('knot theory', 0.7, 'knot')).toBe(score('knot theory', 1, 'knot'));
    expect(DEFAULT_PARAMS.headOnlyFactor).toBe(0.7);
  });

  it('a generic head ("knot theory", "EEG signal analysis") leaves the topic to its modifiers: no head rule, no title conflict', () => {
    const papers = [
      P('knot', 'Quandle Colorings of Knots and Links', 'We study knot invariants from quandle colorings.'),
      P('eeg', 'EEG Signal Denoising with Wavelets', 'Removing artifacts from EEG recordings.'),
      P('fer', 'Facial Expression Generation', 'We generate facial expressions; expression recognition is mentioned.'),
      ...Array.from({ length: 6 }, (_, i) => P(`t${i}`, `A Theory of Analysis ${i}`, 'Protein structure prediction from sequences.')),
    ];
    const lexical = { semanticWeight: 0, rocchioWeight: 0, feedbackWeight: 0, threshold: 0 };
    const score = (topic: string, id: string, rules: boolean) => createMatcher(papers, {
      params: { ...lexical, headMissingFactor: rules ? 0.5 : 1, titleConflictFactor: rules ? 0.3 : 1 },
    }).matchTopic(topic).find((h) => h.paperId === id)!.score;
    expect(score('knot theory', 'knot', true)).toBe(score('knot theory', 'knot', false));
    expect(score('EEG signal analysis', 'eeg', true)).toBe(score('EEG signal analysis', 'eeg', false));
    // A head that names the subject still counts: generation is not recognition.
    expect(score('facial expression recognition', 'fer', true)).toBeLessThan(score('facial expression recognition', 'fer', false));
  });

  it('learns from the corpus that words used in the same papers are related', () => {
    const index = buildCorpusIndex(day(), 2);
    const space = buildSemanticSpace(index, { dims: 16, minDf: 2 });
    expect(space.dims).toBe(16);
    const related = space.neighbors(index.termIds.get('face')!, 10, 0.3).map((n) => index.terms[n.termId]);
    expect(related).toContain('head');
    expect(related).not.toContain('galaxi');
  });

  it('a facial expression recognition topic ranks the facial expression paper first and never selects facial expression generation', () => {
    const hits = createMatcher(day()).match(['facial expression recognition']);
    expect(ids(hits)[0]).toBe('fer');
    expect(ids(hits)).not.toContain('feg'); // head rule: another head ("generation")
    // Speech emotion recognition shares only the head word. Lexically it stays out; the semantic blend
    // can lift such a paper over the threshold in a day where
    // the two fields share vocabulary — a documented trade-off (docs/matching.md) — but well below
    // the paper that is about the topic.
    const lexical = createMatcher(day(), { params: { semanticWeight: 0, rocchioWeight: 0 } }).match(['facial expression recognition']);
    expect(ids(lexical)).not.toContain('ser');
    const ser = hits.find((h) => h.paperId === 'ser');
    if (ser) expect(ser.score).toBeLessThan(hits[0].score - 0.2);
  });

  it('finds a synonym paper ("talking face") for "talking head generation" but not an unrelated "head"', () => {
    const got = ids(createMatcher(day()).match(['talking head generation']));
    expect(got).toContain('face-gen');
    expect(got).not.toContain('head-nlp');
  });

  it('document feedback (Rocchio): the confident hits decide which sense of an ambiguous topic word counts', () => {
    // "expression" is used by facial-expression papers (in their titles: the confident hits) and by gene-expression papers.
    const papers = day();
    for (let i = 0; i < 6; i++) {
      papers.push(P(`facial-${i}`, `Facial Expression Analysis ${i}`, `Expression of emotion in face images: action units, landmarks and affective computing ${i}.`));
      papers.push(P(`gene-${i}`, `Transcriptome Atlas ${i}`, `We measure gene expression with rna sequencing across cell types and regulatory networks ${i}.`));
    }
    papers.push(P('x-face', 'Landmarks for Affective Computing', 'Action units and landmarks in face images; we study their expression.'));
    papers.push(P('x-gene', 'Regulatory Networks of Cell Types', 'Rna sequencing of cell types and regulatory networks; we study their expression.'));
    const gap = (rocchioWeight: number) => {
      const hits = createMatcher(papers, { params: { rocchioWeight, threshold: 0 } }).matchTopic('expression', { maxResults: 200 });
      const score = (id: string) => hits.find((h) => h.paperId === id)!.score;
      expect(hits[0].paperId).toMatch(/^facial-/);
      return score('x-face') - score('x-gene');
    };
    // The two mentions are lexically alike; feedback moves the topic further towards the facial-expression papers.
    expect(gap(1)).toBeGreaterThan(gap(0) + 0.02);
    expect(gap(2)).toBeGreaterThan(gap(1));
  });

  it('the space speaks only for the topic words it knows: a rare word missing from it weakens the semantic blend', () => {
    // "federated" is in one paper: too few for the space, so the topic vector holds only its other word,
    // and every vocoder or prosody paper would be close to it.
    const papers = day();
    papers.push(P('fed', 'Federated Speech Synthesis', 'Clients train a vocoder and speaker embedding without sharing voices: federated averaging of speech synthesis models.'));
    // The head-only rule (headOnlyFactor) would also hold back the papers with only "vocoder": off, to see this rule alone.
    const select = (topic: string, spaceCoverageExponent?: number) =>
      ids(createMatcher(papers, { params: { headOnlyFactor: 1, ...(spaceCoverageExponent === undefined ? {} : { spaceCoverageExponent }) } }).matchTopic(topic));
    expect(DEFAULT_PARAMS.spaceCoverageExponent).toBe(1);
    expect(select('federated vocoder')).toEqual(['fed']);
    expect(select('federated prosody')).toEqual([]); // no paper is about both
    // Without the rule the blend lifts the papers that share only the generic word.
    expect(select('federated vocoder', 0).length).toBeGreaterThan(2);
    expect(select('federated prosody', 0).length).toBeGreaterThan(2);
    // A topic whose words the space all knows is blended as before.
    expect(select('speech synthesis')).toEqual(select('speech synthesis', 0));
  });

  it('a prepared day (index + space) gives the same results as building them, and is not reused for other settings', () => {
    const papers = day();
    const topics = ['talking head generation', 'facial expression recognition', 'speech synthesis'];
    const prepared = prepareDay(papers);
    for (const params of [{}, { threshold: 0.3, rocchioWeight: 0 }, { titleWeight: 3 }]) {
      expect(createMatcher(papers, { params, prepared }).match(topics)).toEqual(createMatcher(papers, { params }).match(topics));
    }
    expect(createMatcher(papers, { params: { titleWeight: 3 } }).match(topics)).not.toEqual(createMatcher(papers).match(topics));
  });

  it('needs enough papers for a semantic space: a tiny day gets none (lexical scoring only)', () => {
    const index = buildCorpusIndex(day().slice(0, 20), 2);
    expect(buildSemanticSpace(index, { dims: 40, minDf: 2 }).dims).toBe(0);
    expect(buildSemanticSpace(index, { dims: 40, minDf: 2, docsPerDim: 2 }).dims).toBe(10);
  });

  it('the day\'s space grows with the day: 40 dimensions up to 240 papers, one per 6 papers beyond, at most 120; a small day keeps 3 papers per dimension', () => {
    expect([100, 240, 600, 900, 3000].map((n) => dayDims(n, DEFAULT_PARAMS))).toEqual([40, 40, 100, 120, 120]);
    expect(prepareDay(day()).space!.dims).toBe(Math.floor(day().length / 3));
    expect(prepareDay(day(), { semanticDocsPerDim: 5 }).space!.dims).toBe(Math.floor(day().length / 5));
    const papers = day();
    const prepared = prepareDay(papers);
    const topics = ['talking head generation', 'speech synthesis'];
    const other = { semanticDocsPerDim: 5 };
    expect(createMatcher(papers, { params: other, prepared }).match(topics)).toEqual(createMatcher(papers, { params: other }).match(topics));
  });

  it('context: a small day completed with earlier papers learns a space from them but never selects them', () => {
    const { today, earlier } = smallDayAndEarlier();
    expect(today.length).toBe(18);
    // 18 papers are too few for a space of their own; with the 67 earlier ones the index has 85 papers and a space.
    expect(prepareDay(today).space!.dims).toBe(0);
    const prepared = prepareDay(today, {}, earlier);
    expect(prepared.index.docs.length).toBe(85);
    expect(prepared.space!.dims).toBeGreaterThanOrEqual(10);
    // Papers of the day given again as context are not counted twice; the day is completed to contextPapers at most.
    expect(prepareDay(today, {}, [...today, ...earlier]).index.docs.length).toBe(85);
    expect(prepareDay(today, { contextPapers: 30 }, earlier).index.docs.length).toBe(30);
    expect(prepareDay(today, { contextPapers: 0 }, earlier).index.docs.length).toBe(18);
    const todayIds = new Set(today.map((p) => p.id));
    const topics = ['talking head generation', 'lip sync', 'speech synthesis', 'galaxy clusters', 'study'];
    const withContext = createMatcher(today, { context: earlier });
    for (const t of topics) {
      for (const h of withContext.matchTopic(t, { maxResults: 100 })) expect(todayIds.has(h.paperId)).toBe(true);
    }
    expect(withContext.size).toBe(18);
    // The earlier papers teach that "talking head" and "talking face" papers are one field: the talking-head
    // paper whose abstract names the topic only at its end now passes the threshold, with the face paper.
    const alone = ids(createMatcher(today).match(['talking head generation']));
    const helped = ids(withContext.match(['talking head generation']));
    expect(alone).not.toContain('talking-9');
    expect(helped).toEqual(expect.arrayContaining(['face-gen', 'talking-9']));
    expect(helped).not.toContain('head-nlp');
    // A prepared day with context serves like building it; it is not reused for other context.
    expect(createMatcher(today, { context: earlier, prepared }).match(topics)).toEqual(withContext.match(topics));
    expect(createMatcher(today, { prepared }).match(['talking head generation'])).toEqual(createMatcher(today).match(['talking head generation']));
  });

  it('a background model trained on stored papers survives its compact JSON form and serves another day', () => {
    const model = trainSemanticModel(buildCorpusIndex(day(), 2), { dims: 16, minDf: 2 })!;
    expect(model.dims).toBe(16);
    const json = serializeSemanticModel(model);
    expect(serializeSemanticModel(trainSemanticModel(buildCorpusIndex(day(), 2), { dims: 16, minDf: 2 })!)).toBe(json);
    const loaded = parseSemanticModel(json);
    expect(loaded.terms).toEqual(model.terms);
    // A small new day (too small for its own space) folded into the background space.
    const today = [
      P('t1', 'Talking Face Video Synthesis', 'Lip sync for a talking face from audio driven portrait video.'),
      P('t2', 'Galaxy Cluster Masses', 'Weak lensing and cosmic shear constrain halo mass of galaxy clusters.'),
      P('t3', 'Qubit Error Correction', 'Quantum circuits with better gate fidelity and error correction.'),
    ];
    const index = buildCorpusIndex(today, 2);
    const space = spaceFromModel(loaded, index);
    const q = [{ termId: index.termIds.get('talk')!, weight: 1 }, { termId: index.termIds.get('face')!, weight: 1 }];
    expect(space.similarity(q, 0)).toBeGreaterThan(0.5);
    expect(space.similarity(q, 0)).toBeGreaterThan(space.similarity(q, 1) + 0.3);
    const related = space.neighbors(index.termIds.get('face')!, 5, 0.3).map((n) => index.terms[n.termId]);
    expect(related).toContain('talk');
    expect(related).not.toContain('galaxi');
    const withBackground = ids(createMatcher(today, { background: loaded }).match(['talking head generation']));
    expect(withBackground).not.toContain('t2');
  });

  it('rejects a file that is not a semantic model', () => {
    expect(() => parseSemanticModel('{"format":"x"}', 'm.json')).toThrow(/m\.json: not a paperboy semantic model/);
  });
});
