/**
 * A small day is matched with the earlier stored papers as context (docs/matching.md, "Context"):
 * they help the matcher understand the day's papers, and none of them is ever delivered.
 */
import { storeListedPaper as store } from '../../support/db.js';
import { digestDayPerTest } from '../../support/digest-day.js';
import { smallDayAndEarlier, syntheticDay } from '../../support/synthetic-day.js';

const DAY = '2024-11-28';
const day = digestDayPerTest();


test('a small day learns from the papers listed before it, and only its own papers are delivered', async () => {
  const { today, earlier } = smallDayAndEarlier();
  // The earlier papers were listed over October (before the digest's week, within the 60-day look-back).
  for (const [i, p] of earlier.entries()) await store(day.db.prisma, p, `2024-10-${String(1 + (i % 28)).padStart(2, '0')}`);
  for (const p of today) await store(day.db.prisma, p, DAY);
  await day.db.prisma.subscriber.create({
    data: { email: 'reader@example.org', status: 'active', topics: ['talking head generation'], deliveryHour: 0, confirmedAt: new Date('2024-01-01') },
  });
  const { report, stack } = await day.run(DAY, 'ctx');
  expect(report.papers).toBe(18);
  expect(report.contextPapers).toBe(67);
  // 18 + 67 papers are fewer than the 240 the matcher is tuned for: the operator is told how to store more.
  const warning = day.logLines().find((l) => l.msg.startsWith('digest.run.little-history'));
  expect(warning).toMatchObject({ candidatePapers: 18, contextPapers: 67, msg: expect.stringContaining('paperboy fetch --back') });
  expect(day.logLines().some((l) => l.msg.startsWith('digest.run.mixed-fields'))).toBe(false); // one field (cs.CV)
  expect((await stack.ledger.report(DAY))?.contextPapers).toBe(67);
  const delivered = (await day.db.prisma.deliveryPaper.findMany({ orderBy: { rank: 'asc' } })).map((d) => d.paperId);
  // 18 papers alone are too few for a semantic space: "talking-9" (the topic named only at the end of
  // its abstract) stays below the threshold. With the October papers as context it is selected.
  expect(delivered).toEqual(expect.arrayContaining(['face-gen', 'talking-9']));
  expect(delivered).not.toContain('head-nlp');
  const todayIds = new Set(today.map((p) => p.id));
  for (const id of delivered) expect(todayIds.has(id)).toBe(true);
});

test('a day that mixes arXiv groups is matched field by field and reported to the operator', async () => {
  // The synthetic day's eight fields listed under the arXiv groups they belong to: no group holds half.
  const category: Record<string, string> = {
    talking: 'cs.CV', graph: 'cs.LG', speech: 'eess.AS', robot: 'cs.RO', galaxy: 'astro-ph.CO', protein: 'q-bio.BM', market: 'q-fin.PR', quantum: 'quant-ph',
  };
  for (const p of syntheticDay()) await store(day.db.prisma, p, DAY, category[p.id.split('-')[0]] ?? 'cs.CL');
  const { report, stack } = await day.run(DAY, 'mix');
  // cs: talking, graph, robot and the five single papers (35); eess 10; physics 20 (galaxy, quantum); q-bio 10; q-fin 10.
  const expected = [{ field: 'cs', papers: 35 }, { field: 'physics', papers: 20 }, { field: 'eess', papers: 10 }, { field: 'q-bio', papers: 10 }, { field: 'q-fin', papers: 10 }];
  expect(report.mixedFields).toEqual(expected);
  const line = day.logLines().find((l) => l.msg.startsWith('digest.run.mixed-fields'));
  expect(line).toMatchObject({ level: 30, fields: expected }); // info: the day is handled, nothing to fix
  // Matched as single-field instances would see it: cs (35 of 85, under half) first, then physics (20
  // of the 50 left), then eess (10 of 30: the last three groups tie); q-bio and q-fin (20) are the rest.
  const parts = [{ field: 'cs', papers: 35 }, { field: 'physics', papers: 20 }, { field: 'eess', papers: 10 }, { field: null, papers: 20 }];
  expect(report.fieldParts).toEqual(parts);
  expect(line?.parts).toEqual(parts);
  const stored = await stack.ledger.report(DAY);
  expect(stored?.mixedFields).toEqual(expected);
  expect(stored?.fieldParts).toEqual(parts);
});
