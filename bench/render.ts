/**
 * Rendering throughput: compose + render (HTML and text) of realistic digests, digests/s as the
 * median over runs, with an in-run baseline (the same loop rendering a trivial template) because
 * this machine is shared and noisy. Target: >= 2,000 digests/s.
 *   npm run bench:render [-- --digests 2000 --papers 20 --runs 9]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg, cpus } from 'node:os';
import { loadTemplates } from '../src/digest/templates.js';
import { median, renderRun, syntheticDigests, syntheticPapers } from '../src/digest/render-bench.js';
import { projectRoot } from '../src/paths.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const digests = arg('digests', 2000);
const perDigest = arg('papers', 20);
const runs = arg('runs', 9);

const t0 = performance.now();
const templates = loadTemplates(path.join(projectRoot, 'templates'));
const compileMs = performance.now() - t0;
const inputs = syntheticDigests(syntheticPapers(400), digests, perDigest);

renderRun(templates, inputs, () => performance.now()); // warm-up: one full pass (JIT, caches)
const rates: number[] = [];
const uncached: number[] = [];
const baselines: number[] = [];
let bytes = 0;
for (let r = 0; r < runs; r++) {
  const run = renderRun(templates, inputs, () => performance.now());
  rates.push(run.perSecond);
  bytes = run.bytes;
  uncached.push(renderRun(templates, inputs.slice(0, Math.ceil(inputs.length / 4)), () => performance.now(), { paperCache: false }).perSecond);
  // Baseline: the cheapest possible "render" of the same number of digests (JSON of the input).
  const b0 = performance.now();
  let n = 0;
  for (const input of inputs) n += JSON.stringify(input).length;
  baselines.push((inputs.length / (performance.now() - b0)) * 1000 + (n > 0 ? 0 : 1));
}
const rate = median(rates);
const baseline = median(baselines);
console.log(`templates compiled (CSS inlined) once in ${compileMs.toFixed(0)} ms`);
console.log(`digests: ${digests} × ${perDigest} papers, runs: ${runs}, average size ${(bytes / 1024).toFixed(1)} KiB (html+text)`);
console.log(`compose+render: median ${rate.toFixed(0)} digests/s (runs: ${rates.map((x) => x.toFixed(0)).join(', ')})`);
console.log(`without the paper view cache (every paper composed and rendered each time): median ${median(uncached).toFixed(0)} digests/s`);
console.log(`baseline JSON.stringify of the same inputs: median ${baseline.toFixed(0)} digests/s; ratio ${(rate / baseline).toFixed(3)}`);
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (a shared machine: compare the ratio, not only the absolute)`);
console.log(`target >= 2000 digests/s: ${rate >= 2000 ? 'met' : 'NOT met'}`);
