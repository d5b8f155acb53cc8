/**
 * `npm run bench:deliver`: 10,000 subscribers with realistic topics against one day of the full
 * arXiv feed (1,504 papers), delivered through the real path (compose in PostgreSQL → BullMQ batch
 * send jobs → claim → render → pooled SMTP → record) to Debian's postfix `smtp-sink` (installed with
 * apt-get when missing; the smtp-server package in a child process otherwise). The compose + send
 * process is a child of this harness, so its peak RSS is measured alone. In the same run: the raw
 * ceiling (one pre-rendered message of the same size through the same pooled transport) and
 * rendering alone. BENCH_RUNS (3) end-to-end runs; prints medians and ratios to the in-run baseline.
 *
 * BENCH_SUBSCRIBERS (10000), BENCH_CONCURRENCY (in-flight messages, 40), SMTP_POOL_CONNECTIONS (10),
 * SEND_BATCH_SIZE (50) override the sizes; BENCH_WORKERS (0) adds that many send-only worker
 * processes (as `paperboy worker` would) beside the compose + send process.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import nodemailer from 'nodemailer';
import { dropDatabase, ensureDatabase, migrate } from '../src/db/migrate.js';
import { createPrisma } from '../src/db/prisma.js';
import { loadDeliveryView } from '../src/digest/delivery-view.js';
import { renderDigest } from '../src/digest/render.js';
import { loadTemplates } from '../src/digest/templates.js';
import { createLinks } from '../src/links.js';
import { createTokens } from '../src/subscriptions/tokens.js';
import { buildDigestMessage } from '../src/mail/message.js';
import { createDeliveryStack } from '../test/support/delivery-stack.js';
import { dayToDate } from '../src/time.js';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const DAY = '2024-11-28';
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 40);
const POOL = Number(process.env.SMTP_POOL_CONNECTIONS ?? 10);
const BATCH = Number(process.env.SEND_BATCH_SIZE ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Extra send-only worker processes beside the compose + send process (0: one process does all). */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 0);
const FEED = path.join(root, '../shared/fixtures/arxiv-rss/rss2-2024-11-28_all-archives_1504-items_FULL.xml');
const PG = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const DB_URL = `${PG}/paperboy_bench_deliver`;

const TOPICS = [
  'language models', 'reinforcement learning', 'graph neural networks', 'diffusion models', 'quantum error correction',
  'dark matter', 'exoplanets', 'gravitational waves', 'superconductivity', 'topological insulators', 'federated learning',
  'adversarial robustness', 'protein structure', 'causal inference', 'bayesian optimization', 'time series forecasting',
  'speech recognition', 'image segmentation', 'object detection', 'machine translation', 'question answering',
  'knowledge graphs', 'recommender systems', 'anomaly detection', 'contrastive learning', 'vision transformers',
  'neural radiance fields', 'autonomous driving', 'robot manipulation', 'multi-agent systems', 'game theory',
  'differential privacy', 'blockchain', 'compilers', 'formal verification', 'combinatorics', 'number theory',
  'black holes', 'galaxy formation', 'cosmic microwave background', 'neutrino', 'lattice QCD', 'string theory',
  'fluid dynamics', 'turbulence', 'epidemiology', 'portfolio optimization', 'climate model', 'power systems',
  'wireless communication', 'semantic segmentation', 'code generation', 'hallucination', 'retrieval-augmented generation',
];

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function findSmtpSink(): string | undefined {
  const at = ['/usr/sbin/smtp-sink', '/usr/lib/postfix/sbin/smtp-sink'].find((f) => existsSync(f));
  if (at || process.env.BENCH_NO_APT) return at;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postfix'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    return undefined;
  }
  return ['/usr/sbin/smtp-sink', '/usr/lib/postfix/sbin/smtp-sink'].find((f) => existsSync(f));
}

async function startSink(): Promise<{ url: string; kind: string; stop(): void }> {
  const sinkBin = findSmtpSink();
  if (sinkBin) {
    // postfix's smtp-sink: accepts everything, parses nothing, event-driven C.
    const port = await freePort();
    const args = [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), '-c', `127.0.0.1:${port}`, '256'];
    const child = spawn(sinkBin, args, { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    return { url: `smtp://127.0.0.1:${port}`, kind: 'postfix smtp-sink', stop: () => child.kill() };
  }
  const code = `
    const { SMTPServer } = require('smtp-server');
    const s = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, size: 0,
      onData(stream, _s, cb) { stream.on('data', () => {}); stream.on('end', () => cb()); } });
    s.listen(0, '127.0.0.1', () => process.stdout.write('port ' + s.server.address().port + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout.on('data', (b: Buffer) => {
    const m = /port (\d+)/.exec(b.toString());
    if (m) resolve(Number(m[1]));
  }));
  return { url: `smtp://127.0.0.1:${port}`, kind: 'smtp-server child process', stop: () => child.kill() };
}

async function seed(prisma: ReturnType<typeof createPrisma>): Promise<number> {
  const xml = readFileSync(FEED, 'utf8');
  const items = new XMLParser({ ignoreAttributes: true }).parse(xml).rss.channel.item as Record<string, unknown>[];
  const papers = items.map((it) => {
    const id = String(it.link).replace(/^.*\/abs\//, '');
    const desc = String(it.description);
    return {
      id, title: String(it.title), abstract: desc.replace(/^[\s\S]*?Abstract:\s*/, ''),
      authors: String(it['dc:creator'] ?? '').split(/,\s*/).filter(Boolean), categories: ([] as string[]).concat((it.category as string[]) ?? []).map(String),
      absUrl: String(it.link), pdfUrl: String(it.link).replace('/abs/', '/pdf/'), aiKeywords: [], sources: ['arxiv-rss'], contentHash: id,
    };
  });
  const unique = [...new Map(papers.map((p) => [p.id, p])).values()];
  await prisma.paper.createMany({ data: unique });
  await prisma.paperListing.createMany({ data: unique.map((p) => ({ paperId: p.id, source: 'arxiv-rss', day: dayToDate(DAY), announceType: 'new' })) });
  const rand = rng(42);
  for (let i = 0; i < N; i += 1000) {
    await prisma.subscriber.createMany({
      data: Array.from({ length: Math.min(1000, N - i) }, (_, k) => {
        const n = 1 + Math.floor(rand() * 3);
        const topics = [...new Set(Array.from({ length: n }, () => TOPICS[Math.floor(rand() * TOPICS.length)]))];
        return { email: `bench-${i + k}@example.org`, status: 'active' as const, topics, maxPapers: 10, deliveryHour: 0, confirmedAt: new Date('2024-01-01') };
      }),
    });
  }
  return unique.length;
}

/** The delivery settings of every bench process (compose + send, and the extra workers). */
const STACK_ENV = { WORKER_CONCURRENCY: String(CONCURRENCY), SMTP_POOL_CONNECTIONS: String(POOL), SEND_BATCH_SIZE: String(BATCH), SEND_ERROR_BREAKER: '0', LOG_LEVEL: 'silent' };

/** A send-only worker process (BENCH_WORKERS): the same stack, until the harness stops it. */
async function runWorker(sinkUrl: string, prefix: string): Promise<void> {
  const prisma = createPrisma(DB_URL, 10);
  const stack = createDeliveryStack({
    databaseUrl: DB_URL, smtpUrl: sinkUrl, prefix, prisma,
    env: STACK_ENV,
  });
  const workers = stack.startWorkers({ only: ['send'], settleDelayMs: 1000 });
  process.stdout.write('READY\n');
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  clearInterval(sampler);
  await workers.close();
  await stack.close();
  await prisma.$disconnect();
  process.stdout.write(`RESULT ${JSON.stringify({ peakRss: Math.max(peakRss, process.memoryUsage().rss) })}\n`);
}

/** The compose + send process (a child of the harness): one end-to-end run; prints its numbers as JSON. */
async function runChild(sinkUrl: string): Promise<void> {
  const prisma = createPrisma(DB_URL, 10);
  const prefix = `bench-deliver-${process.pid}`;
  const helpers = await Promise.all(Array.from({ length: WORKERS }, () => new Promise<ReturnType<typeof spawn>>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/deliver.ts'), '--worker', sinkUrl, prefix], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('READY')) resolve(child); });
  })));
  const stack = createDeliveryStack({
    databaseUrl: DB_URL, smtpUrl: sinkUrl, prefix, prisma,
    env: STACK_ENV,
  });
  const workers = stack.startWorkers({ only: ['send'], settleDelayMs: 1000 });
  const t0 = performance.now();
  const run = await stack.runs.run(DAY, { fetch: false });
  const composeS = (performance.now() - t0) / 1000;
  for (;;) {
    const open = await prisma.delivery.count({ where: { status: { in: ['queued', 'sending'] } } });
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const totalS = (performance.now() - t0) / 1000;
  const helperRss = await Promise.all(helpers.map((child) => new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('exit', () => resolve(Number(/"peakRss":(\d+)/.exec(out)?.[1] ?? 0)));
    child.kill('SIGTERM');
  })));
  await workers.close();
  const settled = await stack.ledger.settle(DAY);
  clearInterval(sampler);
  const rss = Math.max(peakRss, process.memoryUsage().rss);
  await stack.queues.send.obliterate({ force: true }).catch(() => undefined);
  await stack.close();
  await prisma.$disconnect();
  process.stdout.write(`RESULT ${JSON.stringify({ composeS, totalS, created: run.deliveriesCreated, considered: run.subscribersConsidered, sent: settled?.deliveries.sent ?? 0, status: settled?.status, deliveries: settled?.deliveries, peakRss: rss, helperRss })}\n`);
}

interface ChildResult { composeS: number; totalS: number; created: number; considered: number; sent: number; status: string; deliveries: object; peakRss: number; helperRss: number[] }

function spawnRun(sinkUrl: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', path.join(root, 'bench/deliver.ts'), '--child', sinkUrl], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('exit', (code) => {
      const m = /RESULT (.*)/.exec(out);
      if (code === 0 && m) resolve(JSON.parse(m[1]) as ChildResult);
      else reject(new Error(`bench child exited ${code}: ${out.slice(-500)}`));
    });
  });
}

async function main() {
  if (process.argv[2] === '--child') return runChild(process.argv[3]);
  if (process.argv[2] === '--worker') return runWorker(process.argv[3], process.argv[4]);
  await dropDatabase(DB_URL);
  await ensureDatabase(DB_URL);
  await migrate(DB_URL, path.join(root, 'prisma/migrations'));
  const prisma = createPrisma(DB_URL, 10);
  const papers = await seed(prisma);
  const sink = await startSink();
  console.log(`bench:deliver — ${N} subscribers, ${papers} papers of ${DAY}; sink: ${sink.kind}; pool ${POOL} connections, ${CONCURRENCY} messages in flight, batches of ${BATCH}; ${RUNS} runs; ${1 + WORKERS} sending process${WORKERS ? 'es' : ''}`);

  if (process.env.BENCH_PROBE) {
    const stack = createDeliveryStack({ databaseUrl: DB_URL, smtpUrl: sink.url, prefix: `bench-probe-${process.pid}`, prisma, env: { LOG_LEVEL: 'silent' } });
    await stack.runs.run(DAY, { fetch: false });
    await stack.close();
    // Diagnostic: per-message split between SMTP and the rest, sequential and concurrent.
    spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/probe.ts'), DB_URL, sink.url], { stdio: 'inherit', cwd: root });
    sink.stop();
    process.exit(0);
  }
  // 1. End to end, each run in a fresh child process: compose (match + record) → BullMQ batch send
  //    jobs → claim, render, SMTP, record. The deliveries are deleted between runs.
  const runs: ChildResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    await prisma.$executeRaw`DELETE FROM delivery`;
    await prisma.$executeRaw`DELETE FROM digest_run`;
    const r = await spawnRun(sink.url);
    runs.push(r);
    console.log(`  run ${i + 1}: composed ${r.created} digests for ${r.considered} subscribers in ${r.composeS.toFixed(1)} s; sent ${r.sent} in ${r.totalS.toFixed(1)} s end to end (${(r.sent / r.totalS).toFixed(0)} msg/s); run ${r.status}; peak RSS ${mb(r.peakRss)}${r.helperRss.length ? ` (+ workers ${r.helperRss.map(mb).join(', ')})` : ''}`);
  }

  // 2. Rendering alone, over the same deliveries' views (loaded first, not timed).
  const templates = loadTemplates(path.join(root, 'templates'));
  const links = createLinks('http://paperboy.test', createTokens('x'.repeat(32)));
  const ids = (await prisma.delivery.findMany({ select: { id: true }, take: 1000, orderBy: { id: 'asc' } })).map((d) => d.id);
  const views = [];
  for (const id of ids) views.push((await loadDeliveryView(prisma, id, links, 'Paperboy'))!);
  const renderRates: number[] = [];
  let bytes = 0;
  const rendered: ReturnType<typeof renderDigest>[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const s = performance.now();
    for (const v of views) {
      const r = renderDigest(templates, v.view);
      bytes += r.html.length + r.text.length;
      if (rep === 0) rendered.push(r);
    }
    renderRates.push(views.length / ((performance.now() - s) / 1000));
  }
  const avgBytes = bytes / (views.length * 3);
  // The pre-rendered message: the digest whose size is closest to the average.
  const sample = rendered.reduce((best, r) => (Math.abs(r.html.length + r.text.length - avgBytes) < Math.abs(best.html.length + best.text.length - avgBytes) ? r : best));
  const headers = { listId: 'bench.paperboy.localhost', unsubscribeUrl: 'http://paperboy.test/u/x'.padEnd(160, 'x') };
  const prebuilt = buildDigestMessage({ from: 'Paperboy <paperboy@localhost>', to: 'raw@example.org', subject: sample.subject, html: sample.html, text: sample.text, messageId: '<raw@localhost>', ...headers });
  const composed = {
    from: 'Paperboy <paperboy@localhost>', to: 'raw@example.org', subject: sample.subject, html: sample.html, text: sample.text, messageId: '<raw@localhost>',
    headers: { 'List-Unsubscribe': `<${headers.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'List-Id': `Paperboy digest <${headers.listId}>` },
  };

  // 3. Raw ceilings, the same pooled transport (same connections, same maxMessages), as many in flight
  //    as the end-to-end runs: (a) nodemailer composing the pre-rendered HTML + text each time (its own
  //    MIME composer); (b) the pre-built MIME bytes of that message (transport alone: the upper bound
  //    of any send path through this transport).
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: POOL, maxMessages: 1000 } as never);
  async function loop(message: object): Promise<number> {
    const total = 5000;
    let next = 0;
    const s = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) await transport.sendMail(message);
    }));
    return total / ((performance.now() - s) / 1000);
  }
  const rawRates: number[] = [];
  const prebuiltRates: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    rawRates.push(await loop(composed));
    prebuiltRates.push(await loop(prebuilt));
  }
  transport.close();

  const rawRate = median(rawRates);
  const prebuiltRate = median(prebuiltRates);
  const e2eRates = runs.map((r) => r.sent / r.totalS);
  const e2eRate = median(e2eRates);
  const sendRates = runs.map((r) => r.sent / (r.totalS - r.composeS));
  console.log(`  end to end (compose + render + send + record), median of ${RUNS}: ${e2eRate.toFixed(0)} msg/s  [${e2eRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  compose alone (match + record ${median(runs.map((r) => r.created))} digests), median: ${median(runs.map((r) => r.composeS)).toFixed(1)} s; after compose, sending drained at ${median(sendRates).toFixed(0)} msg/s (sends overlap compose)`);
  console.log(`  raw ceiling (a): nodemailer composing one pre-rendered ${(prebuilt.raw as Buffer).length >> 10} KB digest (HTML + text), same pooled transport, median of 3: ${rawRate.toFixed(0)} msg/s  [${rawRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  raw ceiling (b): the same message pre-built as MIME bytes (transport alone), median of 3: ${prebuiltRate.toFixed(0)} msg/s  [${prebuiltRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  ratio end to end / raw (a): ${((100 * e2eRate) / rawRate).toFixed(0)} %; end to end / transport alone (b): ${((100 * e2eRate) / prebuiltRate).toFixed(0)} %`);
  console.log(`  rendering alone, median of 3 over ${views.length} digests: ${median(renderRates).toFixed(0)} digests/s  [${renderRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  peak RSS of the compose + send process, median: ${mb(median(runs.map((r) => r.peakRss)))}; this harness (seed, render, raw loop): ${mb(peakRss)}`);
  console.log(`  targets: end to end >= 50 % of raw and >= 500 msg/s; rendering >= 2000 digests/s`);

  clearInterval(sampler);
  await prisma.$disconnect();
  sink.stop();
  await dropDatabase(DB_URL);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
