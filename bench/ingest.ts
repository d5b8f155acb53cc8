/**
 * npm run bench:ingest — parse and store the full one-day all-archives feed (1,504 items) and a
 * synthetic 20,000-entry feed built from it. Prints medians over several runs, an in-run baseline
 * (bare XML validation for parsing, a plain multi-row INSERT for storing) and peak heap.
 * Uses a throw-away database next to DATABASE_URL (default postgresql://postgres@127.0.0.1:5432).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { createPrisma } from '../src/db/prisma.js';
import { dropDatabase, ensureDatabase, migrate } from '../src/db/migrate.js';
import { createPaperRepository } from '../src/papers/paper-repository.js';
import { parseArxivListing } from '../src/sources/parsers/arxiv-listing.js';

const FULL = path.resolve('../shared/fixtures/arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const base = (process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const url = `${base}/paperboy_bench_${process.pid}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
let peakHeap = 0;
const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 5);
const resetPeak = () => { global.gc?.(); peakHeap = process.memoryUsage().heapUsed; return peakHeap; };

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** 20,000 items: the real items repeated with fresh ids, in one RSS document. */
function synthetic(xml: string, n: number): string {
  const start = xml.indexOf('<item>');
  const end = xml.lastIndexOf('</item>') + '</item>'.length;
  const items = xml.slice(start, end).split('</item>').filter((s) => s.includes('<item>')).map((s) => s + '</item>');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `2499.${String(10000 + i).padStart(5, '0')}`;
    out.push(items[i % items.length].replace(/\d{4}\.\d{4,5}(?=v\d)/g, id).replace(/abs\/\d{4}\.\d{4,5}/, `abs/${id}`));
  }
  return xml.slice(0, start) + out.join('\n') + xml.slice(end);
}

async function main() {
  const full = readFileSync(FULL, 'utf8');
  const big = synthetic(full, 20_000);
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrate(url, path.resolve('prisma/migrations'));
  const prisma = createPrisma(url, 5);
  const repo = createPaperRepository(prisma);
  const all = (xml: string) => parseArxivListing(xml, 'bench').records.map((r) => ({ ...r, updateOnly: false }));
  const lines: string[] = [];
  const say = (s: string) => { lines.push(s); console.log(s); };
  try {
    for (const [name, xml, runs] of [['full day (1,504 items)', full, RUNS], ['synthetic (20,000 items)', big, Math.max(3, Math.ceil(RUNS / 2))]] as const) {
      const n = all(xml).length;
      say(`\n== ${name}: ${(xml.length / 1e6).toFixed(1)} MB, ${n} entries, median of ${runs} runs`);
      const validate: number[] = [];
      const parse: number[] = [];
      const heapBefore = resetPeak();
      for (let i = 0; i < runs; i++) {
        validate.push(await time(() => XMLValidator.validate(xml)));
        parse.push(await time(() => all(xml)));
      }
      // Parsing is synchronous (the sampler cannot run): heap right after one more parse, result alive.
      resetPeak();
      const kept = all(xml);
      const parsePeak = process.memoryUsage().heapUsed - heapBefore;
      if (kept.length !== n) throw new Error('unstable parse');
      say(`parse:    ${fmt(n / (median(parse) / 1000))} entries/s (${median(parse).toFixed(0)} ms)   baseline bare XML validation ${median(validate).toFixed(0)} ms → parse/validate ${(median(parse) / median(validate)).toFixed(1)}x   heap after parse +${fmt(parsePeak / 2 ** 20)} MiB`);

      const records = all(xml);
      const first: number[] = [];
      const rerun: number[] = [];
      const plain: number[] = [];
      let storePeak = 0;
      for (let i = 0; i < runs; i++) {
        await prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE');
        const h = resetPeak();
        first.push(await time(() => repo.upsert(records)));
        storePeak = Math.max(storePeak, peakHeap - h);
        rerun.push(await time(() => repo.upsert(records)));
        // Baseline: the same number of rows in plain multi-row INSERTs of 500 (no merge, no hashes).
        await prisma.$executeRawUnsafe("DROP TABLE IF EXISTS bench_plain");
        await prisma.$executeRawUnsafe('CREATE TABLE bench_plain (id text primary key, title text, abstract text)');
        plain.push(await time(async () => {
          for (let j = 0; j < records.length; j += 500) {
            const rows = records.slice(j, j + 500).map((r) => ({ id: r.id, title: r.title, abstract: r.abstract }));
            await prisma.$executeRawUnsafe('INSERT INTO bench_plain SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, title text, abstract text)', JSON.stringify(rows));
          }
        }));
      }
      const counts = await repo.upsert(records);
      say(`store:    ${fmt(n / (median(first) / 1000))} entries/s (${median(first).toFixed(0)} ms)   baseline plain INSERT ${median(plain).toFixed(0)} ms → store/plain ${(median(first) / median(plain)).toFixed(1)}x   peak heap +${fmt(storePeak / 2 ** 20)} MiB`);
      say(`re-run:   ${median(rerun).toFixed(0)} ms → ${(median(first) / median(rerun)).toFixed(1)}x faster than the first store (counts ${JSON.stringify(counts)})`);
      say(`parse+store end to end: ${fmt(n / ((median(parse) + median(first)) / 1000))} entries/s`);
    }
    say(`\ntargets: parse >= 10,000 entries/s; store >= 2,000 entries/s; re-run >= 5x faster; memory bounded`);
  } finally {
    clearInterval(sampler);
    await prisma.$disconnect();
    await dropDatabase(url);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
