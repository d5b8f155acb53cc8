/**
 * The daily run matches each subscriber with their own "more / less like this" (docs/matching.md,
 * "The subscriber's feedback"): two readers of the same ambiguous topic get different digests.
 */
import { storeListedPaper as store } from '../../support/db.js';
import { digestDayPerTest } from '../../support/digest-day.js';
import { expressionSenses, syntheticDay } from '../../support/synthetic-day.js';
import { dayToDate } from '../../../src/time.js';
import type { PrismaClient } from '../../../src/db/prisma.js';

const DAY = '2024-11-28';
const day = digestDayPerTest();

// Judged in June: outside the 60 days of matching context, so the run places them by their words.
const senses = expressionSenses();


/**
 * A reader of "expression" who was sent the two June papers and said what they thought of each
 * (`movedTo`: the answers moved to that topic on the preferences page).
 */
async function reader(prisma: PrismaClient, email: string, judged?: { topic: string; face: number; gene: number; at: Date; movedTo?: string }): Promise<string> {
  const sub = await prisma.subscriber.create({
    data: { email, status: 'active', topics: ['expression'], deliveryHour: 0, confirmedAt: new Date('2024-01-01') },
  });
  if (judged) {
    const delivery = await prisma.delivery.create({
      data: { subscriberId: sub.id, digestDate: dayToDate('2024-06-03'), status: 'sent', messageId: `<${email}-june@test>`, sendAt: new Date('2024-06-03') },
    });
    for (const [rank, [paperId, feedback]] of ([['old-face', judged.face], ['old-gene', judged.gene]] as const).entries()) {
      await prisma.deliveryPaper.create({
        data: { deliveryId: delivery.id, subscriberId: sub.id, paperId, topic: judged.topic, rank, score: 0.8, why: 'matched', feedback, feedbackAt: judged.at, feedbackTopic: judged.movedTo },
      });
    }
  }
  return sub.id;
}

test('two readers of an ambiguous topic: the one who asked for genes gets genes (also after moving answers from an earlier wording), the others get the day\'s reading', async () => {
  for (const p of [...syntheticDay(), ...senses.faces, ...senses.genes]) await store(day.db.prisma, p, DAY);
  for (const p of [senses.judgedFace, senses.judgedGene]) await store(day.db.prisma, p, '2024-06-03');
  const plain = await reader(day.db.prisma, 'plain@example.org');
  const genes = await reader(day.db.prisma, 'genes@example.org', { topic: 'expression', face: -1, gene: 1, at: new Date('2024-06-04') });
  // Feedback given under another wording of the topic, or too long ago, does not apply.
  const reworded = await reader(day.db.prisma, 'reworded@example.org', { topic: 'gene expression', face: -1, gene: 1, at: new Date('2024-06-04') });
  const stale = await reader(day.db.prisma, 'stale@example.org', { topic: 'expression', face: -1, gene: 1, at: new Date('2023-06-04') });
  // …unless the reader moved it to their current wording.
  const moved = await reader(day.db.prisma, 'moved@example.org', { topic: 'gene expression', face: -1, gene: 1, at: new Date('2024-06-04'), movedTo: 'expression' });

  await day.run(DAY, 'fb');
  const digest = async (subscriberId: string) => (await day.db.prisma.deliveryPaper.findMany({
    where: { subscriberId, delivery: { digestDate: dayToDate(DAY) } }, orderBy: { rank: 'asc' },
  })).map((d) => d.paperId);
  const sense = (ids: string[], s: string) => ids.filter((id) => id.startsWith(`${s}-`));

  const forPlain = await digest(plain);
  expect(sense(forPlain, 'face')).toHaveLength(6);
  expect(sense(forPlain, 'gene')).toHaveLength(0);
  const forGenes = await digest(genes);
  expect(sense(forGenes, 'gene')).toHaveLength(6);
  expect(forGenes.slice(0, 6).every((id) => id.startsWith('gene-'))).toBe(true);
  expect(sense(forGenes, 'face').length).toBeLessThan(6);
  expect(await digest(reworded)).toEqual(forPlain);
  expect(await digest(stale)).toEqual(forPlain);
  expect(await digest(moved)).toEqual(forGenes);
});
