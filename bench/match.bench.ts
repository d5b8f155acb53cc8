/**
 * `npm run bench:match`: 100,000 subscriptions × 3 topics against ~3,000 papers (the full arXiv RSS
 * fixture, 1,504 items, twice: the second copy as the next day's ids). Prints index build time,
 * match time, subscriptions/s and peak memory at 10k / 30k / 100k subscriptions (medians of 3 runs;
 * one run at 100k),
 * plus an in-run baseline: the same subscriptions with the per-day topic result cache disabled,
 * i.e. every topic of every subscription scored from scratch, and the 100k run with 10 % of the
 * subscribers giving their own feedback on every topic (such topics are scored for them alone), and
 * the 10k and 100k runs on a match pool of one thread per core (src/matching/match-pool.ts), in
 * batches of 2,000 subscribers, each asked for before the one before it is answered, as the daily
 * run asks for its pages.
 * The day mixes arXiv's fields, so it is matched field by field (docs/matching.md, "A fifth kind of
 * day"); the 100k run is also measured with the day matched as one (splitFields: false).
 *
 * `npm run bench:match -- --pool-only` runs only the match pool's runs, in a process that has run
 * nothing else, so that their peak RSS is the pool's own: in the full bench the process's memory
 * still holds the high-water mark of the one-thread runs before them (V8 keeps freed heap pages).
 *
 * Topics are drawn with a Zipf-like popularity from a pool of 1–6-word phrases cut from the titles
 * and of sentences built around them, so popular topics repeat across subscribers as in real life.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { availableParallelism } from 'node:os';
import { createMatcher, TopicCache, validateTopic } from '../src/matching/matcher.js';
import { createMatchPool } from '../src/matching/match-pool.js';
import type { MatchPaper, TopicFeedback } from '../src/matching/types.js';
import { STOP_WORDS } from '../src/matching/stop-words.js';
import { seededRandom } from '../src/random.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.resolve(root, '../shared/fixtures/arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml');

function loadPapers(): MatchPaper[] {
  const xml = new XMLParser({ ignoreAttributes: true }).parse(readFileSync(FIXTURE, 'utf8'));
  const items = [xml.rss.channel.item].flat() as Array<{ title: string; link: string; description: string; category?: string | string[]; 'dc:creator'?: string }>;
  const day = items.map((it) => ({
    id: String(it.link).replace(/^.*\/abs\//, ''),
    title: String(it.title),
    abstract: String(it.description).replace(/^[\s\S]*?Abstract:\s*/, ''),
    categories: [it.category ?? []].flat().map(String),
    authors: String(it['dc:creator'] ?? '').split(/,\s*/).filter(Boolean),
  }));
  return [...day, ...day.map((p) => ({ ...p, id: `${p.id}-d2` }))];
}

const rng = seededRandom;

function topicPool(papers: MatchPaper[], size: number, rand: () => number): string[] {
  const templates = ['new methods for %s', 'I am interested in %s and its applications', '%s for scientific discovery',
    'theory and algorithms of %s', 'papers about %s in practice, especially benchmarks'];
  const pool = new Set<string>();
  while (pool.size < size) {
    const p = papers[Math.floor(rand() * papers.length)];
    const words = p.title.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}-]/gu, '')).filter((w) => w && !STOP_WORDS.has(w.toLowerCase()));
    if (!words.length) continue;
    const len = 1 + Math.floor(rand() * Math.min(6, words.length));
    const start = Math.floor(rand() * (words.length - len + 1));
    const phrase = words.slice(start, start + len).join(' ').toLowerCase();
    const topic = rand() < 0.2 ? templates[Math.floor(rand() * templates.length)].replace('%s', phrase) : phrase;
    try { validateTopic(topic); pool.add(topic); } catch { /* the signup form would refuse it */ }
  }
  return [...pool];
}

function subscriptions(pool: string[], count: number, rand: () => number): string[][] {
  // Zipf-like popularity: index = floor(pool.length * u^2.5) makes the head popular and the tail long.
  const pick = () => pool[Math.floor(pool.length * Math.pow(rand(), 2.5))];
  return Array.from({ length: count }, () => [pick(), pick(), pick()]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

const papers = loadPapers();
const rand = rng(42);
const pool = topicPool(papers, 30_000, rand);
const allSubs = subscriptions(pool, 100_000, rand);
const topicCache = new TopicCache();

const poolOnly = process.argv.includes('--pool-only');
const builds: number[] = [];
for (let i = 0; i < (poolOnly ? 0 : 3); i++) {
  const t0 = performance.now();
  createMatcher(papers, { topicCache });
  builds.push(performance.now() - t0);
}
const parts = poolOnly ? undefined : createMatcher(papers, { topicCache }).fields;
if (!poolOnly) console.log(`papers: ${papers.length}; topic pool: ${pool.length} distinct topics; index build median ${median(builds).toFixed(0)} ms`
  + (parts ? `; a day of mixed fields, matched in ${parts.length} parts (${parts.map((p) => `${p.field ?? 'the rest'} ${p.papers}`).join(', ')} papers)` : ''));

const gc = (globalThis as { gc?: () => void }).gc;
let peak = process.memoryUsage().rss;
// Subscribers who gave feedback ("more / less like this") on every topic: 5 + 3 papers of an earlier
// day each (the day's papers under other ids, so they are folded in by their words, as on a large day).
const earlier = papers.slice(0, 1504).map((p) => ({ ...p, id: `${p.id}-earlier` }));
function withFeedback(topics: string[], r: () => number): Map<string, TopicFeedback> {
  const some = (n: number) => Array.from({ length: n }, () => earlier[Math.floor(r() * earlier.length)]);
  return new Map(topics.map((t) => [t, { more: some(5), less: some(3) }]));
}

function run(count: number, resultCacheSize?: number, feedbackShare = 0, splitFields = true): { ms: number; distinct: number; selected: number; rss: number } {
  gc?.();
  let runPeak = process.memoryUsage().rss;
  const r = rng(7);
  const feedback = allSubs.slice(0, count).map((topics) => (r() < feedbackShare ? withFeedback(topics, r) : undefined));
  const t0 = performance.now();
  const m = createMatcher(papers, { topicCache, resultCacheSize, splitFields });
  let selected = 0;
  const subs = allSubs.slice(0, count);
  for (let i = 0; i < subs.length; i++) {
    selected += m.match(subs[i], { maxResults: 20, feedback: feedback[i] }).length;
    if ((i & 4095) === 0) runPeak = Math.max(runPeak, process.memoryUsage().rss);
  }
  runPeak = Math.max(runPeak, process.memoryUsage().rss);
  peak = Math.max(peak, runPeak);
  return { ms: performance.now() - t0, distinct: new Set(subs.flat()).size, selected, rss: runPeak };
}

if (!poolOnly) console.log('\nsubs      distinct topics  total (build+match)  subs/s     µs/sub   avg selected  peak RSS');
for (const count of poolOnly ? [] : [10_000, 30_000, 100_000]) {
  const runs = Array.from({ length: count === 100_000 ? 1 : 3 }, () => run(count));
  const ms = median(runs.map((r) => r.ms));
  console.log(`${String(count).padEnd(9)} ${String(runs[0].distinct).padEnd(16)} ${(ms / 1000).toFixed(2).padStart(8)} s            ${Math.round(count / (ms / 1000)).toString().padEnd(10)} ${(1000 * ms / count).toFixed(1).padEnd(8)} ${(runs[0].selected / count).toFixed(1).padEnd(13)} ${mb(Math.max(...runs.map((r) => r.rss)))}`);
}
// The same 100,000 subscriptions on a match pool (one thread per core; the day's topics divided
// among the threads), against the in-process run just above as the baseline.
// Each batch is asked for before the one before it is answered, as the daily run asks for its pages
// (digest-run-service.ts), so the threads need not wait while the caller merges a batch.
async function pooled(count: number, threads: number, splitFields = true): Promise<{ ms: number; selected: number; rss: number }> {
  gc?.();
  let runPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => { runPeak = Math.max(runPeak, process.memoryUsage().rss); }, 200);
  const pool = createMatchPool(threads);
  const t0 = performance.now();
  const day = pool.day(papers, { splitFields });
  let selected = 0;
  const subs = allSubs.slice(0, count);
  // A batch asked ahead that fails is reported where it is awaited, not as an unhandled rejection first.
  const batch = (i: number) => {
    const p = day.matchMany(subs.slice(i, i + 2_000).map((topics) => ({ topics, options: { maxResults: 20 } })));
    p.catch(() => undefined);
    return p;
  };
  let next = batch(0);
  for (let i = 0; i < subs.length; i += 2_000) {
    const current = next;
    if (i + 2_000 < subs.length) next = batch(i + 2_000);
    for (const h of await current) selected += h.length;
  }
  const ms = performance.now() - t0;
  clearInterval(sampler);
  runPeak = Math.max(runPeak, process.memoryUsage().rss);
  peak = Math.max(peak, runPeak);
  await pool.close();
  return { ms, selected, rss: runPeak };
}
const threads = Math.max(2, availableParallelism());
const before = process.memoryUsage().rss;
for (const count of poolOnly ? [100_000] : [10_000, 100_000]) {
  const p = await pooled(count, threads);
  console.log(`${count.toLocaleString('en')} subs on a match pool of ${threads} threads (each thread its own field; batches of 2,000, one asked ahead): ${(p.ms / 1000).toFixed(2)} s (build+match), ${Math.round(count / (p.ms / 1000))} subs/s, avg selected ${(p.selected / count).toFixed(1)}, peak RSS ${mb(p.rss)}`);
}
if (poolOnly) {
  console.log(`(--pool-only: the pool's run alone, in a process that ran nothing before it; ${papers.length} papers, RSS before the pool ${mb(before)})`);
  process.exit(0);
}
if (parts) {
  // A day of one part (here: the same day matched as one): its topics divided among the threads, each holding the whole day.
  const p = await pooled(100_000, threads, false);
  console.log(`100,000 subs on a match pool of ${threads} threads, the day matched as one (topics divided among the threads): ${(p.ms / 1000).toFixed(2)} s, ${Math.round(100_000 / (p.ms / 1000))} subs/s, avg selected ${(p.selected / 100_000).toFixed(1)}, peak RSS ${mb(p.rss)}`);
}

// Baseline in the same run: no per-day result cache, every topic scored from scratch.
const nocache = [run(10_000, 0)];
const ncMs = median(nocache.map((r) => r.ms));
console.log(`\nbaseline without result cache, 10,000 subs (30,000 topic evaluations): ${(ncMs / 1000).toFixed(2)} s, ` +
  `${Math.round(10_000 / (ncMs / 1000))} subs/s, ${(1000 * ncMs / 30_000).toFixed(0)} µs per topic evaluation`);
if (parts) {
  // The same day matched as one day, not field by field (splitFields: false), as before the cut.
  const one = run(100_000, undefined, 0, false);
  console.log(`100,000 subs, the day matched as one (splitFields: false): ${(one.ms / 1000).toFixed(2)} s, ${Math.round(100_000 / (one.ms / 1000))} subs/s, avg selected ${(one.selected / 100_000).toFixed(1)}, peak RSS ${mb(one.rss)}`);
}
// Feedback makes a subscriber's topics their own (not shared through the result cache).
const withFb = run(100_000, undefined, 0.1);
console.log(`100,000 subs, 10 % of them with feedback on every topic (5 more + 3 less papers each): ${(withFb.ms / 1000).toFixed(2)} s, ${Math.round(100_000 / (withFb.ms / 1000))} subs/s, peak RSS ${mb(withFb.rss)}`);
console.log(`peak RSS (sampled during the runs, GC between runs): ${mb(peak)}; process max RSS: ${mb(process.resourceUsage().maxRSS * 1024)}`);
