/**
 * `npx tsx bench/pool-topics.ts --cs-day|--science-day|--relevance --topics topics.json --out dir [--depth 25]`:
 * the pool of papers to judge for new topics on a recorded day (or on the 240 papers of ../shared/relevance), for judges who must not see any ranking. Per
 * topic, the union of the top `depth` papers of three rankers — the matcher's defaults with no
 * threshold, its lexical score alone, and plain BM25 with no cut-off — written in id order (not in
 * any ranker's order) as `dir/<topic id>.md` with each paper's id, title and abstract, plus
 * `dir/pool.json` (topic id → pooled ids). Papers outside the pool count as not relevant.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher } from '../src/matching/matcher.js';
import { CS_DAY_JUDGMENTS, SCIENCE_DAY_JUDGMENTS, judgedListingDay } from './lib/regimes.js';
import { plainBm25 } from './lib/plain-bm25.js';
import { loadRelevance } from './lib/relevance.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const depth = Number(opt('--depth') ?? 25);
const out = opt('--out');
const topicsFile = opt('--topics');
if (!out || !topicsFile) throw new Error('pool-topics: --topics file.json and --out dir are required');
const day = args.includes('--relevance') ? loadRelevance(path.resolve(root, '../shared/relevance'))
  : judgedListingDay(path.resolve(root, '../shared/fixtures'), args.includes('--science-day') ? SCIENCE_DAY_JUDGMENTS : CS_DAY_JUDGMENTS);
const topics = JSON.parse(readFileSync(topicsFile, 'utf8')) as Array<{ id: string; topic: string }>;
const full = createMatcher(day.papers, { params: { threshold: 0 }, maxPerTopic: depth });
const lexical = createMatcher(day.papers, { params: { threshold: 0, semanticWeight: 0, rocchioWeight: 0, feedbackWeight: 0 }, maxPerTopic: depth });
const bm25 = plainBm25(day.papers, 0, depth);
const byId = new Map(day.papers.map((p) => [p.id, p]));
mkdirSync(out, { recursive: true });
const pool: Record<string, string[]> = {};
for (const t of topics) {
  const ids = new Set([
    ...full.matchTopic(t.topic, { maxResults: depth }).map((h) => h.paperId),
    ...lexical.matchTopic(t.topic, { maxResults: depth }).map((h) => h.paperId),
    ...bm25(t.topic),
  ]);
  pool[t.id] = [...ids].sort();
  writeFileSync(path.join(out, `${t.id}.md`), `# Topic ${t.id}: "${t.topic}"\n\n${pool[t.id].length} papers, in id order.\n\n`
    + pool[t.id].map((id) => { const p = byId.get(id)!; return `## ${id}\nTitle: ${p.title.replace(/\s+/g, ' ')}\nAbstract: ${p.abstract.replace(/\s+/g, ' ')}\n`; }).join('\n'));
}
writeFileSync(path.join(out, 'pool.json'), JSON.stringify(pool, null, 2));
console.log(Object.entries(pool).map(([k, v]) => `${k} ${v.length}`).join(', '));
