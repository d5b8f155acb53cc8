/**
 * `paperboy demo`, the README's first command, as a newcomer runs it (the compiled command in a child
 * process): it recreates its own database, runs the recorded full arXiv listing and then a recorded
 * Hugging Face list as a Hugging Face-only instance, and writes every email into the outbox. The
 * emails are parsed and checked for what each day is meant to show. Real PostgreSQL and Redis.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { simpleParser, type ParsedMail } from 'mailparser';
import { FIXTURES_DIR, uniquePrefix } from '../support/env.js';
import { runPaperboy } from '../support/processes.js';

const base = process.env.PAPERBOY_TEST_PG_BASE!;
const name = `paperboy_demotest_${randomBytes(4).toString('hex')}`;
let outbox: string;
let out = '';
let code: number | null;
const mails: { file: string; raw: string; mail: ParsedMail }[] = [];

beforeAll(async () => {
  outbox = await mkdtemp(path.join(os.tmpdir(), 'paperboy-demo-'));
  const child = runPaperboy(['demo'], { DATABASE_URL: `${base}/${name}`, OUTBOX_DIR: outbox, FEEDS_DIR: FIXTURES_DIR, QUEUE_PREFIX: uniquePrefix('demo') });
  code = await new Promise<number | null>((resolve) => child.proc.once('exit', resolve));
  out = child.output();
  for (const file of (await readdir(outbox)).sort()) {
    const raw = await readFile(path.join(outbox, file), 'utf8');
    mails.push({ file, raw, mail: await simpleParser(raw) });
  }
}, 120_000);

afterAll(async () => {
  await rm(outbox, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}_demo" WITH (FORCE)`);
  await client.end();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)!.value[0].address;
const ofDay = (day: string) => mails.filter(({ file }) => file.includes(`digest.${day}.`)).map(({ mail }) => mail);

test('the demo runs both recorded days and lists every email it wrote', () => {
  expect(code).toBe(0);
  expect(out).toMatch(/digest of 2024-11-28, the recorded full arXiv listing:\n {2}arxiv-rss: 1504 papers read, 935 new\n/);
  expect(out).toMatch(/ {2}papers of the day: 935, digests sent: 3\n/);
  expect(out).toMatch(/digest of 2026-06-15, the recorded Hugging Face list of Friday 2026-06-12, as a Hugging Face-only instance:\n {2}hf: 30 papers read, 30 new\n {2}papers of the day: 30, digests sent: (\d+)\n/);
  const sentOnHfDay = Number(/papers of the day: 30, digests sent: (\d+)/.exec(out)![1]);
  expect(ofDay('2024-11-28')).toHaveLength(3);
  expect(ofDay('2026-06-15')).toHaveLength(sentOnHfDay);
  expect(mails).toHaveLength(3 + sentOnHfDay);
  for (const { file } of mails) expect(out).toContain(path.join(outbox, file));
});

test('the arXiv day: every reader gets a digest in which each of their topics has papers of its own', () => {
  const topics: Record<string, string[]> = {
    'ada@example.org': ['large language models', 'reinforcement learning'],
    'vera@example.org': ['dark matter', 'galaxy clusters'],
    'alan@example.org': ['quantum error correction', 'topological insulators'],
  };
  for (const { raw } of mails) {
    expect(raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/unsubscribe\/[\w.-]+>\r?$/m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
  }
  for (const mail of ofDay('2024-11-28')) {
    const text = mail.text!;
    expect(mail.subject).toMatch(/^\d+ new papers? for you — Thursday 28 Nov/);
    for (const t of topics[to(mail)!]) expect(text).toMatch(new RegExp(`== ${t} \\(\\d+\\) ==`));
    expect(text).toMatch(/Abstract: https:\/\/arxiv\.org\/abs\/2411\.\d{5}/);
  }
});

test('the Hugging Face day: the reader of language models gets its papers with upvotes, AI summaries and links', () => {
  const ada = ofDay('2026-06-15').find((m) => to(m) === 'ada@example.org');
  expect(ada).toBeDefined();
  const text = ada!.text!;
  expect(ada!.subject).toMatch(/^\d+ new papers? for you — Monday 15 Jun/);
  expect(text).toContain('== large language models (');
  expect(text).toMatch(/▲ \d+ upvotes?/);
  expect(text).toContain('[AI summary (Hugging Face)]');
  expect(text).toMatch(/Hugging Face: https:\/\/huggingface\.co\/papers\/2606\.\d{5}/);
  // Only papers of the Hugging Face list: none of the arXiv day's papers comes back.
  expect(text).not.toMatch(/arxiv\.org\/abs\/2411\./);
});

test('the Hugging Face day: the readers of physics topics get nothing from a list of AI papers', () => {
  // Before, "quantum error correction" selected an LLM paper about correcting errors: no paper of the
  // list says "quantum", and a topic's distinctive word absent from the whole day now counts as missing.
  const readers = ofDay('2026-06-15').map((m) => to(m));
  expect(readers).toContain('ada@example.org');
  expect(readers).not.toContain('alan@example.org');
  expect(readers).not.toContain('vera@example.org');
});
