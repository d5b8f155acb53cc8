import { parseArxivApi } from '../../../src/sources/parsers/arxiv-api.js';
import { readFixture } from '../../support/fixtures.js';

const parse = (f: string) => parseArxivApi(readFixture(`arxiv-api/${f}`), f);

describe('arXiv export API, legacy serialization', () => {
  test('hard-wrapped title and summary, inline namespaces, DOI and journal ref', () => {
    const r = parse('api-2020-09-04_legacy-format_id_list-1601.00001_doi-journal_ref.xml');
    expect(r.totalResults).toBe(1);
    expect(r.records).toHaveLength(1);
    const [p] = r.records;
    expect(p).toMatchObject({
      id: '1601.00001', version: 1,
      title: 'Inelastic effects in molecular transport junctions: The probe technique at high bias',
      authors: ['Michael Kilgour', 'Dvira Segal'],
      categories: ['cond-mat.mes-hall'], primaryCategory: 'cond-mat.mes-hall',
      absUrl: 'https://arxiv.org/abs/1601.00001', pdfUrl: 'https://arxiv.org/pdf/1601.00001v1',
      doi: '10.1063/1.4944470', journalRef: 'J. Chem. Phys. 144, 124107 (2016)',
      submittedAt: new Date('2015-12-26T21:19:45Z'), versionDate: new Date('2015-12-26T21:19:45Z'),
      listing: { source: 'arxiv-api', day: '2015-12-29', announceType: 'new' },
    });
    expect(p.abstract.startsWith('We extend the Landauer-B\\"uttiker probe formalism for conductances to the high bias regime,')).toBe(true);
    expect(p.abstract.endsWith('on molecular electronic transport far-from-equilibrium.')).toBe(true);
    expect(p.abstract).not.toMatch(/\n|  /);
  });

  test('authors in order, a wrapped comment, six categories', () => {
    const r = parse('api-2025-10-17_legacy-format_cs.RO-neural_2-entries.xml');
    expect(r.totalResults).toBe(5619);
    expect(r.records[0]).toMatchObject({
      id: '2510.14968',
      title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks',
      authors: ['Mingxuan Yan', 'Yuping Wang', 'Zechun Liu', 'Jiachen Li'],
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG', 'cs.SY', 'eess.SY'],
      comment: '39th Conference on Neural Information Processing Systems (NeurIPS 2025); Project Website: rdd-neurips.github.io',
    });
    expect(r.records[1].authors).toEqual(['Yufei Zhu', 'Shih-Min Yang', 'Andrey Rudenko', 'Tomasz P. Kucner', 'Achim J. Lilienthal', 'Martin Magnusson']);
  });
});

describe('arXiv export API, new serialization', () => {
  test('20 entries: LaTeX kept, non-ASCII decoded as UTF-8, optional fields', () => {
    const r = parse('api-2026-04-30_new-format_cat-cs.LG-OR-cs.AI_20-entries.xml');
    expect(r).toMatchObject({ totalResults: 364218, startIndex: 0, itemsPerPage: 20 });
    expect(r.records).toHaveLength(20);
    expect(r.records.filter((p) => p.comment)).toHaveLength(12);
    expect(r.records.filter((p) => p.doi)).toHaveLength(2);
    const latex = r.records.find((p) => p.id === '2604.26926')!;
    expect(latex.title).toBe('A Note on How to Remove the $\\ln\\ln T$ Term from the Squint Bound');
    expect(latex.abstract.startsWith('In Orabona and Pál [2016], we introduced the shifted KT potentials')).toBe(true);
    expect(r.records.find((p) => p.id === '2604.26888')).toMatchObject({
      authors: ['Janis Mohr', 'Jörg Frochte'],
      doi: '10.1007/978-3-031-85252-7_10',
      journalRef: 'In: Bäck, T. et al. (eds.), Computational Intelligence, IJCCI 2023, Studies in Computational Intelligence, vol. 1196, Springer, Cham, pp. 165-186 (2025)',
      submittedAt: new Date('2026-04-29T16:57:40Z'),
      listing: { day: '2026-04-30' },
    });
  });

  test('versions 1 to 3 and 4- and 5-digit ids', () => {
    const r = parse('api-2026-04-12_new-format_all-testing_10-entries_doi-journal_ref.body.xml');
    expect(r.records.map((p) => `${p.id}v${p.version}`)).toEqual([
      '2202.12139v1', '2405.13786v1', '2005.14124v2', '2204.08348v3', '2302.03287v3',
      '1202.4527v1', '2503.05378v2', '1205.1866v1', '2502.07719v2', '1812.11470v1',
    ]);
    expect(r.records.filter((p) => p.doi)).toHaveLength(6);
    expect(r.records.filter((p) => p.journalRef)).toHaveLength(6);
    expect(r.records.every((p) => p.comment)).toBe(true);
    expect(r.records[2].pdfUrl).toBe('https://arxiv.org/pdf/2005.14124v2');
  });

  test('an old-style id with affiliations', () => {
    const [p] = parse('api-2026-05-11_new-format_old-style-id-astro-ph-0601001_affiliations.body.xml').records;
    expect(p).toMatchObject({
      id: 'astro-ph/0601001', version: 1,
      authors: ['Andrew Gould', 'Susan Dorsher', 'B. Scott Gaudi', 'Andrzej Udalski'],
      categories: ['astro-ph'], journalRef: 'ActaAstron.56:1-50,2006',
      absUrl: 'https://arxiv.org/abs/astro-ph/0601001',
      meta: { affiliations: [['Ohio State'], ['Ohio State'], ['CfA'], ['Warsaw University Observatory']] },
    });
    expect(p.abstract.startsWith('We derive the frequencies')).toBe(true);
  });

  test('the five-entry answer with &lt; in summaries', () => {
    const r = parse('api-2026-06-14_new-format_transformer-AND-cs.LG_5-entries.xml');
    expect(r.records).toHaveLength(5);
    expect(r.records[0]).toMatchObject({ id: '2606.13677', title: 'Mana: Dexterous Manipulation of Articulated Tools' });
    expect(r.records[0].abstract).toContain('(<1 minute per tool)');
  });

  test('an empty result is empty; an error answer is an error, not a paper', () => {
    expect(parse('api-2026-04-12_new-format_EMPTY_id_list-0000.0000.body.xml')).toMatchObject({ totalResults: 0, records: [], skipped: [] });
    const e = parse('api-2026-04-12_new-format_ERROR-http400_id_list-abc.body.xml');
    expect(e.apiError).toBe('incorrect id format for abc');
    expect(e.records).toEqual([]);
  });

  test('the recorder wrappers (arxiv.py golden files) hold the same bodies', () => {
    for (const f of ['id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.json', 'id_2104.12255v1_s0_m100_6ae69987ffe1.json', 'q_testing_s0_m10_bc5a6c384fe9.json']) {
      const wrapper = JSON.parse(readFixture(`arxiv-api/arxiv.py-golden/${f}`)) as { body: string; status_code: number };
      const r = parseArxivApi(wrapper.body, f);
      expect(wrapper.status_code).toBe(200);
      expect(r.records.length).toBeGreaterThan(0);
    }
    const two = JSON.parse(readFixture('arxiv-api/arxiv.py-golden/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.json')) as { body: string };
    expect(parseArxivApi(two.body, 'x').records.map((p) => p.id)).toEqual(['1707.08567']); // the unknown id is dropped
    const v = JSON.parse(readFixture('arxiv-api/arxiv.py-golden/id_2104.12255v1_s0_m100_6ae69987ffe1.json')) as { body: string };
    expect(parseArxivApi(v.body, 'x').records[0]).toMatchObject({ id: '2104.12255', version: 1 });
  });
});
