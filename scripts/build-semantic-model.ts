/**
 * `npm run build:semantic-model [-- --dir ../shared/fixtures] [--out models/semantic-model.json] [--dims 100]`:
 * trains the background semantic model (LSA word vectors, see src/matching/semantic-space.ts) on
 * stored papers — by default the recorded feeds in ../shared/fixtures (arXiv RSS/Atom listings,
 * arXiv API answers, Hugging Face daily lists), deduplicated by arXiv id — and writes it as compact
 * JSON. Deterministic: the same papers give the same file.
 */
import { readFileSync, readdirSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArxivListing } from '../src/sources/parsers/arxiv-listing.js';
import { parseArxivApi } from '../src/sources/parsers/arxiv-api.js';
import { parseHfDaily } from '../src/sources/parsers/hf-daily.js';
import type { PaperRecord } from '../src/papers/types.js';
import { buildCorpusIndex } from '../src/matching/corpus-index.js';
import { serializeSemanticModel, trainSemanticModel } from '../src/matching/semantic-space.js';
import { DEFAULT_PARAMS } from '../src/matching/params.js';
import type { MatchPaper } from '../src/matching/types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string, def: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const dir = path.resolve(root, arg('--dir', '../shared/fixtures'));
const out = path.resolve(root, arg('--out', 'models/semantic-model.json'));
const dims = Number(arg('--dims', String(DEFAULT_PARAMS.backgroundDims)));

const parsers: Array<[string, string, (text: string, where: string) => PaperRecord[]]> = [
  ['arxiv-rss', '.xml', (t, w) => parseArxivListing(t, w).records],
  ['arxiv-api', '.xml', (t, w) => parseArxivApi(t, w).records],
  ['hf-daily-papers', '.json', (t, w) => parseHfDaily(t, w).records],
];
const byId = new Map<string, MatchPaper>();
for (const [folder, ext, parse] of parsers) {
  const base = path.join(dir, folder);
  if (!existsSync(base)) continue;
  for (const f of readdirSync(base).filter((x) => x.endsWith(ext)).sort()) {
    let records: PaperRecord[];
    try { records = parse(readFileSync(path.join(base, f), 'utf8'), f); } catch { continue; } // recorded error answers
    for (const r of records) if (r.abstract && !byId.has(r.id)) byId.set(r.id, { id: r.id, title: r.title, abstract: r.abstract });
  }
}
const papers = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
const index = buildCorpusIndex(papers, DEFAULT_PARAMS.titleWeight);
const model = trainSemanticModel(index, { dims, minDf: 2 });
if (!model) throw new Error(`too few papers (${papers.length}) for a ${dims}-dimension model`);
const json = serializeSemanticModel(model);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, json + '\n');
console.log(`${papers.length} papers → ${model.terms.length} terms × ${model.dims} dims; ${path.relative(root, out)} ${(json.length / 1024).toFixed(0)} KB`);
