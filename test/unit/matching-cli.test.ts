import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { expressionSenses, smallDayAndEarlier } from '../support/synthetic-day.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, cb) { chunks.push(String(chunk)); cb(); } });
  return { stream, text: () => chunks.join('') };
}

async function run(args: string[]) {
  const out = capture();
  const err = capture();
  const code = await main(args, { stdout: out.stream, stderr: err.stream, env: {} });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('paperboy match', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'paperboy-match-'));
    await writeFile(path.join(dir, 'papers.json'), JSON.stringify([
      { id: 'a', title: 'Neural Symbolic Regression that Scales', abstract: 'Symbolic regression with transformers.' },
      { id: 'b', title: 'Facial Expression Recognition', abstract: 'Recognising facial expressions.', categories: ['cs.CV'] },
      { id: 'c', title: 'Gene Expression Prediction', abstract: 'Predicting gene expression from DNA.' },
    ]));
    await writeFile(path.join(dir, 'topics.json'), JSON.stringify([
      { id: 's1', topic: 'symbolic regression' },
      { id: 's2', topic: 'gene expression' },
      { id: 's3', topic: '"unclosed' },
    ]));
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify([{ id: 'x', title: 3, abstract: '' }]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints only one JSON object keyed by topic id with the ranked selections', async () => {
    const r = await run(['match', '--papers', path.join(dir, 'papers.json'), '--topics', path.join(dir, 'topics.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, Array<{ id: string; score: number; why: string }>>;
    expect(Object.keys(out)).toEqual(['s1', 's2', 's3']);
    expect(out.s1.map((h) => h.id)).toEqual(['a']);
    expect(out.s1[0]).toEqual({ id: 'a', score: expect.any(Number), why: expect.stringMatching(/^matched: "symbolic regression" in title/) });
    expect(out.s2.map((h) => h.id)).toEqual(['c']);
    expect(out.s3).toEqual([]);
    expect(r.stderr).toMatch(/topic "s3": this quote is never closed at position 1/);
  });

  it('names the file and entry of bad input', async () => {
    const r = await run(['match', '--papers', path.join(dir, 'bad.json'), '--topics', path.join(dir, 'topics.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bad\.json\[0\]: "title" must be a string/);
  });

  it('--context: earlier papers complete a small day for the matcher and are never printed', async () => {
    const { today, earlier } = smallDayAndEarlier();
    await writeFile(path.join(dir, 'today.json'), JSON.stringify(today));
    await writeFile(path.join(dir, 'earlier.json'), JSON.stringify(earlier));
    await writeFile(path.join(dir, 'th.json'), JSON.stringify([{ id: 'th', topic: 'talking head generation' }, { id: 'st', topic: 'study' }]));
    const base = ['match', '--papers', path.join(dir, 'today.json'), '--topics', path.join(dir, 'th.json'), '--max', '100'];
    const alone = JSON.parse((await run(base)).stdout) as Record<string, Array<{ id: string }>>;
    const r = await run([...base, '--context', path.join(dir, 'earlier.json')]);
    expect(r.code).toBe(0);
    const helped = JSON.parse(r.stdout) as Record<string, Array<{ id: string }>>;
    expect(alone.th.map((h) => h.id)).not.toContain('talking-9');
    expect(helped.th.map((h) => h.id)).toEqual(expect.arrayContaining(['face-gen', 'talking-9']));
    const todayIds = new Set(today.map((p) => p.id));
    for (const h of [...helped.th, ...helped.st]) expect(todayIds.has(h.id)).toBe(true);
    const bad = await run([...base, '--context', path.join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json\[0\]: "title" must be a string/);
  });

  it('a topic entry may carry the subscriber\'s feedback: ids of papers in --papers or --context they wanted more / less of', async () => {
    const { faces, genes, judgedFace, judgedGene } = expressionSenses();
    const { today, earlier } = smallDayAndEarlier();
    await writeFile(path.join(dir, 'senses.json'), JSON.stringify([...today, ...faces, ...genes]));
    await writeFile(path.join(dir, 'judged.json'), JSON.stringify([...earlier, judgedFace, judgedGene]));
    await writeFile(path.join(dir, 'readers.json'), JSON.stringify([
      { id: 'plain', topic: 'expression' },
      { id: 'genes', topic: 'expression', more: ['old-gene'], less: ['old-face'] },
    ]));
    const args = ['match', '--papers', path.join(dir, 'senses.json'), '--context', path.join(dir, 'judged.json'), '--topics', path.join(dir, 'readers.json')];
    const r = await run(args);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, Array<{ id: string; why: string }>>;
    expect(out.plain.slice(0, 6).every((h) => h.id.startsWith('face-'))).toBe(true);
    expect(out.genes.slice(0, 6).every((h) => h.id.startsWith('gene-'))).toBe(true);
    expect(out.genes[0].why).toContain('which you wanted more of');
    await writeFile(path.join(dir, 'unknown.json'), JSON.stringify([{ id: 'g', topic: 'expression', more: ['nowhere'] }]));
    const bad = await run([...args.slice(0, 5), '--topics', path.join(dir, 'unknown.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown\.json\[0\]\.more: paper "nowhere" is in neither --papers nor --context/);
  });

  it('reads the optional fields in the shapes the sources write them, and names a field it cannot read', async () => {
    await writeFile(path.join(dir, 'shapes.json'), JSON.stringify({ papers: [
      { id: 2401, title: 'Symbolic Regression with Transformers', abstract: null, authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }] },
      { id: 'b', title: 'Facial Expression Recognition', summary: 'Recognising facial expressions in the wild.', categories: 'cs.CV cs.LG', upvotes: 12 },
      { id: 'c', title: 'Gene Expression Prediction', abstract: 'Predicting gene expression from DNA.', ai_keywords: 'enhancer grammar, chromatin', authors: 'Rosalind Franklin and Francis Crick' },
      { id: 'c', title: 'A second paper under the same id', abstract: 'Quantum error correction.' },
      { id: 'd', title: '', abstract: '' },
    ] }));
    await writeFile(path.join(dir, 'shape-topics.json'), JSON.stringify({ topics: [
      { id: 1, topic: 'symbolic regression' },
      { id: 'au', topic: 'au:Turing' },
      { id: 'cat', topic: 'cat:cs.CV' },
      { id: 'kw', topic: 'chromatin gene expression' },
      { id: 'au2', topic: 'au:Franklin' },
      { id: 'qec', topic: 'quantum error correction' },
      { id: 'au', topic: 'au:Turing' },
    ] }));
    const r = await run(['match', '--papers', path.join(dir, 'shapes.json'), '--topics', path.join(dir, 'shape-topics.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, Array<{ id: string | number; why: string }>>;
    expect(Object.keys(out)).toEqual(['1', 'au', 'cat', 'kw', 'au2', 'qec']);
    expect(out['1'].map((h) => h.id)).toEqual([2401]);
    expect(out.au.map((h) => h.id)).toEqual([2401]);
    expect(out.cat.map((h) => h.id)).toEqual(['b']);
    expect(out.kw.map((h) => h.id)).toEqual(['c']);
    expect(out.kw[0].why).toMatch(/chromatin/);
    expect(out.au2.map((h) => h.id)).toEqual(['c']);
    expect(out.qec).toEqual([]);
    expect(r.stderr).toMatch(/shapes\.json\[3\]: id "c" is also that of entry \[2\]; read once, as the first/);
    expect(r.stderr).toMatch(/shapes\.json\[4\]: paper "d" has neither a title nor an abstract/);

    await writeFile(path.join(dir, 'clash.json'), JSON.stringify([{ id: 'x', topic: 'a' }, { id: 'x', topic: 'b' }]));
    const clash = await run(['match', '--papers', path.join(dir, 'papers.json'), '--topics', path.join(dir, 'clash.json')]);
    expect(clash.code).toBe(2);
    expect(clash.stdout).toBe('');
    expect(clash.stderr).toMatch(/clash\.json\[1\]: id "x" is also that of entry \[0\], with another topic/);
    await writeFile(path.join(dir, 'bad-authors.json'), JSON.stringify([{ id: 'x', title: 't', abstract: 'a', authors: [{ given: 'Ada' }] }]));
    const bad = await run(['match', '--papers', path.join(dir, 'bad-authors.json'), '--topics', path.join(dir, 'topics.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad-authors\.json\[0\]: "authors" must be an array of strings or of \{"name"\} objects/);
  });

  it('requires both files', async () => {
    const r = await run(['match', '--papers', path.join(dir, 'papers.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--topics/);
  });
});
