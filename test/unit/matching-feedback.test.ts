import { describe, expect, it } from '@jest/globals';
import { createMatcher } from '../../src/matching/matcher.js';
import type { MatchPaper, TopicFeedback } from '../../src/matching/types.js';
import { expressionSenses, syntheticDay } from '../support/synthetic-day.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });

// Two senses of "expression" on one day: faces and genes, six papers each, among the synthetic fields;
// the judged papers are of an earlier day (not among today's: folded into today's space).
const { faces, genes, judgedFace: likedFace, judgedGene: unwantedGene } = expressionSenses();
const today = [...syntheticDay(), ...faces, ...genes];

const ids = (hits: Array<{ paperId: string }>) => hits.map((h) => h.paperId);
const sense = (id: string) => id.split('-')[0];

describe("the subscriber's feedback (more / less like this)", () => {
  const m = createMatcher(today);
  const feedback = new Map<string, TopicFeedback>([['expression', { more: [likedFace], less: [unwantedGene] }]]);

  it('moves an ambiguous topic towards the sense the subscriber wanted and away from the one they did not', () => {
    // Without feedback the day's reading of "expression" wins: the facial papers (document feedback
    // follows the confident hits), and the gene papers stay just below the threshold.
    const plain = ids(m.matchTopic('expression'));
    expect(plain.filter((id) => sense(id) === 'face')).toHaveLength(6);
    expect(plain.filter((id) => sense(id) === 'gene')).toHaveLength(0);
    // A subscriber who meant genes said so about yesterday's papers.
    const genesPlease = new Map<string, TopicFeedback>([['expression', { more: [unwantedGene], less: [likedFace] }]]);
    const steered = ids(m.matchTopic('expression', { feedback: genesPlease }));
    expect(steered.filter((id) => sense(id) === 'gene')).toHaveLength(6);
    expect(steered.slice(0, 6).every((id) => sense(id) === 'gene')).toBe(true);
    expect(steered.filter((id) => sense(id) === 'face').length).toBeLessThan(6);
    // The explanation names the wanted paper a selected one is like.
    const top = m.matchTopic('expression', { feedback: genesPlease })[0];
    expect(top.why).toMatch(/^matched: .*; like "Gene expression in single cells", which you wanted more of$/);
    expect(m.matchTopic('expression')[0].why).not.toContain('wanted more of');
  });

  it('feedback that agrees with the day\'s reading keeps it', () => {
    const steered = ids(m.matchTopic('expression', { feedback }));
    expect(steered.filter((id) => sense(id) === 'face')).toHaveLength(6);
    expect(steered.filter((id) => sense(id) === 'gene')).toHaveLength(0);
    expect(steered.slice(0, 6).every((id) => sense(id) === 'face')).toBe(true);
  });

  it('is per subscriber and per topic: the shared result of the topic is unchanged, other topics ignore it, and it admits no paper without a topic word', () => {
    const before = m.matchTopic('expression');
    m.matchTopic('expression', { feedback });
    expect(m.matchTopic('expression')).toEqual(before);
    expect(m.match(['speech synthesis'], { feedback })).toEqual(m.match(['speech synthesis']));
    const words = new Map(today.map((p) => [p.id, `${p.title} ${p.abstract}`.toLowerCase()]));
    for (const id of ids(m.matchTopic('expression', { feedback }))) expect(words.get(id)).toContain('expression');
    // In match() the topic's feedback applies to that topic only.
    const hits = m.match(['expression', 'speech synthesis'], { feedback });
    expect(hits.filter((h) => h.topicIndex === 0).map((h) => h.paperId)).toEqual(ids(m.matchTopic('expression', { feedback })).filter((id) => hits.some((h) => h.paperId === id)));
  });

  it('subscribers of one topic with different feedback each get what they would get alone (the topic\'s lexical stage is shared)', () => {
    // "talking head" has a head word: the talking-face papers keep 0.85 of their score, a factor the kept stage must carry.
    const face = P('old-face', 'Talking face video', 'We animate a portrait video with lip sync from audio.');
    const probe = P('old-probe', 'Attention heads of transformers', 'We probe the prediction head of language models.');
    const one = new Map<string, TopicFeedback>([...feedback, ['talking head', { more: [face], less: [probe] }]]);
    const other = new Map<string, TopicFeedback>([['expression', { more: [unwantedGene], less: [likedFace] }], ['talking head', { more: [probe], less: [face] }]]);
    const shared = createMatcher(today);
    // Interleaved in one matcher: the second and later evaluations reuse the kept lexical stage.
    const inOne = [one, other, one, other].map((fb) => shared.match(['expression', 'talking head'], { feedback: fb }));
    const alone = [one, other].map((fb) => createMatcher(today).match(['expression', 'talking head'], { feedback: fb }));
    expect(inOne).toEqual([...alone, ...alone]);
    expect(alone[0]).not.toEqual(alone[1]);
    expect(shared.matchTopic('expression')).toEqual(m.matchTopic('expression'));
  });

  it('feedback the day cannot place (papers in words the day never uses) changes nothing', () => {
    const alien = P('alien', 'Zzyzx qwerty', 'Blorf glimmer snark.');
    const none = new Map<string, TopicFeedback>([['expression', { more: [alien], less: [alien] }]]);
    expect(m.matchTopic('expression', { feedback: none })).toEqual(m.matchTopic('expression'));
    expect(m.matchTopic('expression', { feedback: new Map([['expression', { more: [], less: [] }]]) })).toEqual(m.matchTopic('expression'));
  });

  it('a judged paper that is among today\'s context is placed by its own vector, and never selected', () => {
    const fields = syntheticDay();
    const senses = today.filter((p) => sense(p.id) === 'face' || sense(p.id) === 'gene');
    const withContext = createMatcher([...senses, ...fields.slice(0, 30)], { context: [likedFace, unwantedGene, ...fields.slice(30)] });
    const genesPlease = new Map<string, TopicFeedback>([['expression', { more: [unwantedGene], less: [likedFace] }]]);
    const steered = ids(withContext.matchTopic('expression', { feedback: genesPlease }));
    expect(steered.slice(0, 6).every((id) => sense(id) === 'gene')).toBe(true);
    expect(steered).not.toContain('old-face');
    expect(steered).not.toContain('old-gene');
  });
});
