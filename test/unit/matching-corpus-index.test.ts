import { describe, expect, it } from '@jest/globals';
import { buildCorpusIndex, Field } from '../../src/matching/corpus-index.js';
import type { MatchPaper } from '../../src/matching/types.js';

const P = (id: string, title: string, abstract: string): MatchPaper => ({ id, title, abstract });

describe('corpus index: term positions per paper and field', () => {
  const papers = [
    P('a', 'Reward Models for Reward Hacking', 'A reward model is trained. Models of reward overfit; we study reward hacking in models.'),
    P('b', 'Gene Expression', 'Expression of genes.'),
  ];
  const index = buildCorpusIndex(papers, 2);
  const t = (w: string) => index.termIds.get(w) ?? -1;

  it('gives each term\'s positions in ascending order, and nothing for a term the field lacks', () => {
    const [title, body] = index.docs[0].positions;
    expect([...title.get(t('reward'))!]).toEqual([0, 3]);
    expect([...title.get(t('model'))!]).toEqual([1]);
    expect(title.count(t('reward'))).toBe(2);
    // In the body of this paper but not in its title: absent from the title, not an empty list.
    expect(body.has(t('train'))).toBe(true);
    expect(title.has(t('train'))).toBe(false);
    expect(title.get(t('train'))).toBeUndefined();
    expect(title.count(t('train'))).toBe(0);
    // A term of another paper only, and one of no paper.
    expect(title.get(t('gene'))).toBeUndefined();
    expect(body.has(-1)).toBe(false);
    expect(body.get(t('reward'))!.length).toBe(3);
    const rewards = [...body.get(t('reward'))!];
    expect(rewards).toEqual([...rewards].sort((x, y) => x - y));
    for (const p of rewards) expect(body.at(t('reward'), p)).toBe(true);
    expect(body.at(t('reward'), rewards[0] + 1)).toBe(false);
    expect(title.at(t('train'), 0)).toBe(false);
  });

  it('agrees with the postings\' term-major positions for every term of every paper', () => {
    index.postings.forEach((posting, term) => {
      posting.docs.forEach((d, i) => {
        const doc = index.docs[d];
        expect([...(doc.positions[Field.Title].get(term) ?? [])]).toEqual([...posting.titlePos.subarray(posting.titleOff[i], posting.titleOff[i + 1])]);
        expect([...(doc.positions[Field.Body].get(term) ?? [])]).toEqual([...posting.bodyPos.subarray(posting.bodyOff[i], posting.bodyOff[i + 1])]);
      });
    });
    const all = [...index.docs[0].positions[Field.Title].allPositions()].sort((x, y) => x - y);
    expect(all).toEqual([0, 1, 3, 4]);
  });
});
