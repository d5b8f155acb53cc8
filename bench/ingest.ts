/**
 * npm run bench:ingest — parse and store the full one-day all-archives feed (1,504 items) and a
 * synthetic 20,000-entry feed built from it, then show that streaming ingestion keeps memory bounded
 * (1.5k vs 20k vs 100k entries generated on the fly, parsed and batched).
 * Prints medians over several runs with in-run baselines: bare XML tokenisation (saxes with no
 * handlers) for parsing, a plain multi-row INSERT of the same rows for storing.
 * Uses a throw-away database next to BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432).
 * BENCH_RUNS (default 5) sets the number of runs of the full day (the synthetic feed gets half).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { createPrisma } from '../src/db/prisma.js';
import { dropDatabase, ensureDatabase, migrate } from '../src/db/migrate.js';
import { createPaperRepository } from '../src/papers/paper-repository.js';
import type { PaperRecord } from '../src/papers/types.js';
import { ingestListing, slices } from '../src/sources/listing-batches.js';
import { parseArxivListing } from '../src/sources/parsers/arxiv-listing.js';

const FULL = path.resolve('../shared/fixtures/arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BATCH = 1000;
const base = (process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const url = `${base}/paperboy_bench_${process.pid}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (b: number) => (b / 2 ** 20).toFixed(1);

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The real feed cut into header, items and footer, to build synthetic feeds with fresh ids. */
function pieces(xml: string) {
  const start = xml.indexOf('<item>');
  const end = xml.lastIndexOf('</item>') + '</item>'.length;
  const items = xml.slice(start, end).split('</item>').filter((s) => s.includes('<item>')).map((s) => s + '</item>');
  return { head: xml.slice(0, start), items, tail: xml.slice(end) };
}

function* syntheticChunks(xml: string, n: number): Generator<string> {
  const { head, items, tail } = pieces(xml);
  yield head;
  let buf = '';
  for (let i = 0; i < n; i++) {
    const id = `${2499 - Math.floor(i / 90000)}.${10000 + (i % 90000)}`;
    buf += items[i % items.length].replace(/\d{4}\.\d{4,5}(?=v\d)/g, id).replace(/abs\/\d{4}\.\d{4,5}/, `abs/${id}`) + '\n';
    if (buf.length > 64 * 1024) {
      yield buf;
      buf = '';
    }
  }
  yield buf + tail;
}

const synthetic = (xml: string, n: number) => [...syntheticChunks(xml, n)].join('');

/** Bare tokenisation: the conforming XML parser with no handlers, the floor for any parser on top. */
function tokenise(xml: string): void {
  new SaxesParser({ xmlns: true }).write(xml).close();
}

async function main() {
  const full = readFileSync(FULL, 'utf8');
  const big = synthetic(full, 20_000);
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrate(url, path.resolve('prisma/migrations'));
  const prisma = createPrisma(url, 5);
  const repo = createPaperRepository(prisma, { batchSize: BATCH });
  // Every item is stored (replacements included) so that the store handles every parsed entry.
  const all = (xml: string) => parseArxivListing(xml, 'bench').records.map((r) => ({ ...r, updateOnly: false }));
  console.log(`node ${process.version}, ${RUNS} runs (synthetic: ${Math.max(3, Math.ceil(RUNS / 2))}), batches of ${BATCH}`);
  try {
    for (const [name, xml, runs] of [['full day (1,504 items)', full, RUNS], ['synthetic (20,000 items)', big, Math.max(3, Math.ceil(RUNS / 2))]] as const) {
      const n = all(xml).length;
      console.log(`\n== ${name}: ${(xml.length / 1e6).toFixed(1)} MB, ${n} entries, median of ${runs} runs`);
      const tok: number[] = [];
      const parse: number[] = [];
      for (let i = 0; i < runs; i++) {
        tok.push(await time(() => tokenise(xml)));
        parse.push(await time(() => all(xml)));
      }
      console.log(`parse:    ${fmt(n / (median(parse) / 1000))} entries/s (${median(parse).toFixed(0)} ms)   baseline bare tokenisation ${median(tok).toFixed(0)} ms → parse/tokenise ${(median(parse) / median(tok)).toFixed(2)}x`);

      const records = all(xml);
      const first: number[] = [];
      const rerun: number[] = [];
      const plain: number[] = [];
      let counts;
      for (let i = 0; i < runs; i++) {
        await prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE');
        first.push(await time(() => repo.upsert(records)));
        rerun.push(await time(async () => { counts = await repo.upsert(records); }));
        // Baseline: the same number of rows in plain multi-row INSERTs (no merge, no hashes, no listing).
        await prisma.$executeRawUnsafe('DROP TABLE IF EXISTS bench_plain');
        await prisma.$executeRawUnsafe('CREATE TABLE bench_plain (id text primary key, title text, abstract text)');
        plain.push(await time(async () => {
          for (let j = 0; j < records.length; j += BATCH) {
            const rows = records.slice(j, j + BATCH).map((r) => ({ id: r.id, title: r.title, abstract: r.abstract }));
            await prisma.$executeRawUnsafe('INSERT INTO bench_plain SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, title text, abstract text)', JSON.stringify(rows));
          }
        }));
      }
      console.log(`store:    ${fmt(n / (median(first) / 1000))} entries/s (${median(first).toFixed(0)} ms)   baseline plain INSERT ${median(plain).toFixed(0)} ms → store/plain ${(median(first) / median(plain)).toFixed(1)}x`);
      console.log(`re-run:   ${median(rerun).toFixed(0)} ms → ${(median(first) / median(rerun)).toFixed(1)}x faster than the first store (runs: ${first.map((f, i) => (f / rerun[i]).toFixed(1)).join(', ')}x; counts ${JSON.stringify(counts)})`);
      console.log(`parse+store end to end: ${fmt(n / ((median(parse) + median(first)) / 1000))} entries/s`);
    }

    // Memory: the feed is generated and fed in 64 KiB chunks, never held whole; records go to the
    // sink in batches. The live heap is measured after a full GC at the start and at every batch (with
    // the batch still referenced): what the ingest retains, garbage excluded.
    console.log(`\n== memory: streaming ingest, feed generated on the fly in 64 KiB chunks, batches of ${BATCH}`);
    const memory = async (n: number, store: boolean) => {
      if (store) await prisma.$executeRawUnsafe('TRUNCATE "paper" CASCADE');
      global.gc?.();
      const start = process.memoryUsage().heapUsed;
      let peak = start;
      let peakRss = process.memoryUsage().rss;
      const t = performance.now();
      const res = await ingestListing(syntheticChunks(full, n), 'bench', {
        batchSize: BATCH,
        accept: (r: PaperRecord) => ({ ...r, updateOnly: false }),
        async store(batch) {
          global.gc?.();
          const m = process.memoryUsage();
          peak = Math.max(peak, m.heapUsed);
          peakRss = Math.max(peakRss, m.rss);
          if (store) await repo.upsert(batch);
        },
      });
      const ms = performance.now() - t;
      console.log(`${store ? 'parse+store' : 'parse only '} ${fmt(n).padStart(7)} entries (${(ms / 1000).toFixed(1)} s with a GC per batch):   live heap at start ${mib(start)} MiB, max at a batch +${mib(peak - start)} MiB   rss max ${mib(peakRss)} MiB`);
    };
    for (const n of [1_504, 20_000, 100_000]) await memory(n, false);
    for (const n of [1_504, 20_000]) await memory(n, true);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const whole = synthetic(full, 20_000);
    const kept = parseArxivListing(whole, 'bench');
    global.gc?.();
    console.log(`for contrast, the whole 20,000-entry document and its records held in memory: +${mib(process.memoryUsage().heapUsed - before)} MiB (${kept.records.length} records)`);
    console.log(`\ntargets: parse >= 10,000 entries/s; store >= 2,000 entries/s; re-run >= 5x faster; memory bounded`);
  } finally {
    await prisma.$disconnect();
    await dropDatabase(url);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
