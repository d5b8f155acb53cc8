/**
 * `npm run bench:deliver`: 10,000 subscribers with realistic topics against one day of the full
 * arXiv feed (1,504 papers), delivered through the real path (compose in PostgreSQL → BullMQ send
 * jobs → claim → render → pooled SMTP → record) to an SMTP sink in a child process. In the same run:
 * the raw ceiling (one pre-rendered message of the same size through the same pooled transport) and
 * rendering alone. Prints medians where repeated, ratios to the in-run baseline, and peak RSS.
 *
 * BENCH_SUBSCRIBERS (10000), BENCH_CONCURRENCY (20), SMTP_POOL_CONNECTIONS (5) override the sizes.
 */
import { spawn, spawnSync } from 'node:child_process';
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
import { sendQueuedNow } from '../src/digest/send-now.js';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const DAY = '2024-11-28';
const N = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const POOL = Number(process.env.SMTP_POOL_CONNECTIONS ?? 5);
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

async function startSink(): Promise<{ url: string; stop(): void }> {
  // An SMTP sink in its own process (accepts everything, parses nothing), like postfix's smtp-sink.
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
  return { url: `smtp://127.0.0.1:${port}`, stop: () => child.kill() };
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

async function main() {
  await dropDatabase(DB_URL);
  await ensureDatabase(DB_URL);
  await migrate(DB_URL, path.join(root, 'prisma/migrations'));
  const prisma = createPrisma(DB_URL, 20);
  const papers = await seed(prisma);
  const sink = await startSink();
  const prefix = `bench-deliver-${process.pid}`;
  const stack = createDeliveryStack({
    databaseUrl: DB_URL, smtpUrl: sink.url, prefix, prisma,
    env: { WORKER_CONCURRENCY: String(CONCURRENCY), SMTP_POOL_CONNECTIONS: String(POOL), SEND_ERROR_BREAKER: '0', LOG_LEVEL: 'silent' },
  });
  console.log(`bench:deliver — ${N} subscribers, ${papers} papers of ${DAY}, pool ${POOL} connections, worker concurrency ${CONCURRENCY}`);

  if (process.env.BENCH_PROBE) {
    await stack.runs.run(DAY, { fetch: false });
    // Diagnostic: per-message split between SMTP and the rest, sequential and concurrent.
    spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/probe.ts'), DB_URL, sink.url], { stdio: 'inherit', cwd: root });
    sink.stop();
    process.exit(0);
  }
  // 1. End to end: compose (match + record) → BullMQ send jobs → claim, render, SMTP, record.
  const t0 = performance.now();
  const run = await stack.runs.run(DAY, { fetch: false });
  const composeS = (performance.now() - t0) / 1000;
  const direct = process.env.BENCH_PATH === 'direct';
  const workers = direct ? undefined : stack.startWorkers({ only: ['send'], settleDelayMs: 1000 });
  const t1 = performance.now();
  if (direct) await sendQueuedNow(prisma, stack.deliveries, DAY, { concurrency: CONCURRENCY });
  for (;;) {
    const open = await prisma.delivery.count({ where: { status: { in: ['queued', 'sending'] } } });
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sendS = (performance.now() - t1) / 1000;
  await workers?.close();
  const settled = await stack.ledger.settle(DAY);
  const sent = settled?.deliveries.sent ?? 0;

  // 2. Rendering alone, over the same deliveries' views (loaded first, not timed).
  const templates = loadTemplates(path.join(root, 'templates'));
  const links = createLinks('http://paperboy.test', createTokens('x'.repeat(32)));
  const ids = (await prisma.delivery.findMany({ select: { id: true }, take: 1000, orderBy: { id: 'asc' } })).map((d) => d.id);
  const views = [];
  for (const id of ids) views.push((await loadDeliveryView(prisma, id, links, 'Paperboy'))!);
  const renderRates: number[] = [];
  let sampleMessage: ReturnType<typeof buildDigestMessage> | undefined;
  let bytes = 0;
  for (let rep = 0; rep < 3; rep++) {
    const s = performance.now();
    for (const v of views) {
      const r = renderDigest(templates, v.view);
      bytes += r.html.length + r.text.length;
      sampleMessage ??= buildDigestMessage({ from: 'Paperboy <paperboy@localhost>', to: 'raw@example.org', subject: r.subject, html: r.html, text: r.text, messageId: '<raw@localhost>', listId: 'x', unsubscribeUrl: 'http://x/u' });
    }
    renderRates.push(views.length / ((performance.now() - s) / 1000));
  }
  const avgBytes = bytes / (views.length * 3);

  // 3. Raw ceiling: one pre-rendered message of the average size through the same pooled transport.
  const rawRates: number[] = [];
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: POOL } as never);
  const raw = { ...sampleMessage!, html: sampleMessage!.html as string, text: (sampleMessage!.text as string) };
  for (let rep = 0; rep < 3; rep++) {
    const total = 3000;
    let next = 0;
    const s = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < total) await transport.sendMail(raw);
    }));
    rawRates.push(total / ((performance.now() - s) / 1000));
  }
  transport.close();

  const rawRate = median(rawRates);
  const e2eRate = sent / (composeS + sendS);
  const sendRate = sent / sendS;
  console.log(`  composed: ${run.deliveriesCreated} digests for ${run.subscribersConsidered} subscribers in ${composeS.toFixed(1)} s (match + record)`);
  console.log(`  sent: ${sent} in ${sendS.toFixed(1)} s; status ${settled?.status}; ${JSON.stringify(settled?.deliveries)}`);
  console.log(`  end to end (compose + render + send + record): ${e2eRate.toFixed(0)} msg/s; send phase alone (claim + render + SMTP + record): ${sendRate.toFixed(0)} msg/s`);
  console.log(`  raw ceiling (pre-rendered ${(avgBytes / 1024).toFixed(0)} KB message, same pooled transport), median of 3: ${rawRate.toFixed(0)} msg/s  [${rawRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  ratio end to end / raw: ${((100 * e2eRate) / rawRate).toFixed(0)} %; send phase / raw: ${((100 * sendRate) / rawRate).toFixed(0)} %`);
  console.log(`  rendering alone, median of 3 over ${views.length} digests: ${median(renderRates).toFixed(0)} digests/s  [${renderRates.map((r) => r.toFixed(0)).join(', ')}]`);
  console.log(`  peak RSS of this process (compose + workers + render + raw loop): ${mb(peakRss)}`);
  console.log(`  targets: end to end >= 50 % of raw and >= 500 msg/s; rendering >= 2000 digests/s`);

  clearInterval(sampler);
  await stack.queues.send.obliterate({ force: true }).catch(() => undefined);
  await stack.queues.daily.obliterate({ force: true }).catch(() => undefined);
  await stack.close();
  await prisma.$disconnect();
  sink.stop();
  await dropDatabase(DB_URL);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
