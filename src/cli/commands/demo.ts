import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from '../command.js';
import { parseFlags, UsageError } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { dropDatabase } from '../../db/migrate.js';
import { prepareDatabase } from '../../runtime.js';
import { sendQueuedNow } from '../../digest/send-now.js';
import { projectRoot } from '../../paths.js';

export const DEMO_DATE = '2024-11-28';
/**
 * The digest day of the recorded Hugging Face list of Friday 2026-06-12 (a list is sent with the next
 * announcement), whose papers carry AI summaries, keywords and upvotes.
 */
export const DEMO_HF_DATE = '2026-06-15';
/** The days the demo runs when no --date is given, each with the sources of the instance it shows. */
export const DEMO_DAYS = [
  { date: DEMO_DATE, sources: 'arxiv-rss,hf', what: 'the recorded full arXiv listing' },
  { date: DEMO_HF_DATE, sources: 'hf', what: 'the recorded Hugging Face list of Friday 2026-06-12, as a Hugging Face-only instance' },
];
export const DEMO_SUBSCRIBERS = [
  { email: 'ada@example.org', topics: ['large language models', 'reinforcement learning'] },
  { email: 'vera@example.org', topics: ['dark matter', 'galaxy clusters'] },
  { email: 'alan@example.org', topics: ['quantum error correction', 'topological insulators'] },
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole pipeline on the recorded feeds; mail goes to a local outbox',
  help: `Usage: paperboy demo [--date YYYY-MM-DD]

A tour of the whole pipeline without network or SMTP relay: (re)creates the database
"<DATABASE_URL's name>_demo", subscribes three demo readers, and runs two days from the recorded
feeds in FEEDS_DIR (default: ../shared/fixtures next to this checkout):
  ${DEMO_DATE}  the day of the recorded full arXiv listing (SOURCES=arxiv-rss,hf);
  ${DEMO_HF_DATE}  the recorded Hugging Face list of the Friday before (AI summaries, keywords,
              upvotes) as an instance with SOURCES=hf sends it (30 papers; the first day is
              too long before it to serve as context, so it is matched alone).
Each day is fetched, matched and sent; every email is written as an .eml file into OUTBOX_DIR
(default ./outbox). It prints what each day read and sent and where the emails went.
--date runs that one day instead (with SOURCES, default arxiv-rss,hf).`,
  async run(args, io) {
    const { flags } = parseFlags(args, { date: 'string' });
    const feedsDir = io.env.FEEDS_DIR ?? path.resolve(projectRoot, '../shared/fixtures');
    if (!existsSync(feedsDir)) throw new UsageError(`no recorded feeds at ${feedsDir}: set FEEDS_DIR to a folder of recorded feeds`);
    const base = loadConfig(io.env);
    const dbUrl = new URL(base.databaseUrl);
    dbUrl.pathname = `${dbUrl.pathname.replace(/\/$/, '')}_demo`;
    const outbox = path.resolve(io.env.OUTBOX_DIR ?? path.join(projectRoot, 'outbox'));
    const demoEnv = (sources?: string) => loadConfig({
      ...io.env, ...(sources ? { SOURCES: sources } : {}), DATABASE_URL: dbUrl.toString(), FEEDS_DIR: feedsDir, OUTBOX_DIR: outbox,
      SMTP_URL: '', QUEUE_PREFIX: `${base.queuePrefix}-demo`, LOG_LEVEL: io.env.LOG_LEVEL ?? 'warn',
    });
    const days = flags.date ? [{ date: flags.date as string, sources: undefined, what: 'the day asked for' }] : DEMO_DAYS;
    const first = demoEnv(days[0].sources);
    await dropDatabase(first.databaseUrl);
    await prepareDatabase(first);
    const before = new Set(existsSync(outbox) ? await readdir(outbox) : []);
    const out = [`Paperboy demo — the recorded feeds in ${feedsDir}, ${DEMO_SUBSCRIBERS.length} demo subscribers`];
    for (const [i, day] of days.entries()) {
      // Each day runs as the instance it shows (its own SOURCES), on the same database.
      const c = createContainer(i === 0 ? first : demoEnv(day.sources));
      try {
        if (i === 0) {
          for (const s of DEMO_SUBSCRIBERS) {
            await c.prisma.subscriber.create({ data: { ...s, status: 'active', confirmedAt: new Date(`${day.date}T00:00:00Z`), deliveryHour: 0 } });
          }
        }
        const report = await c.digestRuns.run(day.date);
        const tally = await sendQueuedNow(c.prisma, c.deliveries, day.date, { ledger: c.ledger });
        out.push(
          `digest of ${day.date}, ${day.what}:`,
          ...(report.ingest?.sources ?? []).map((s) => `  ${s.source}: ${s.fetched} papers read, ${s.new} new${s.empty ? ' (nothing recorded for this day)' : ''}`),
          `  papers of the day: ${report.papers}, digests sent: ${tally.sent}`,
        );
      } finally {
        await c.close();
      }
    }
    const written = (existsSync(outbox) ? await readdir(outbox) : []).filter((f) => !before.has(f)).sort();
    out.push(
      '',
      `The emails are in ${outbox}:`,
      ...written.map((f) => `  ${path.join(outbox, f)}`),
      '',
      'Open an .eml file with any mail client to see the digest.',
    );
    io.stdout.write(out.join('\n') + '\n');
    return 0;
  },
};
