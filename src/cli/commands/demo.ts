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
"<DATABASE_URL's name>_demo", subscribes three demo readers, ingests the recorded arXiv and Hugging
Face feeds from FEEDS_DIR (default: ../shared/fixtures next to this checkout), runs the digest for
${DEMO_DATE} (the day of the recorded full arXiv feed) and writes every email as an .eml file into
OUTBOX_DIR (default ./outbox). It prints where the emails went.`,
  async run(args, io) {
    const { flags } = parseFlags(args, { date: 'string' });
    const date = (flags.date as string | undefined) ?? DEMO_DATE;
    const feedsDir = io.env.FEEDS_DIR ?? path.resolve(projectRoot, '../shared/fixtures');
    if (!existsSync(feedsDir)) throw new UsageError(`no recorded feeds at ${feedsDir}: set FEEDS_DIR to a folder of recorded feeds`);
    const base = loadConfig(io.env);
    const dbUrl = new URL(base.databaseUrl);
    dbUrl.pathname = `${dbUrl.pathname.replace(/\/$/, '')}_demo`;
    const outbox = path.resolve(io.env.OUTBOX_DIR ?? path.join(projectRoot, 'outbox'));
    const config = loadConfig({ ...io.env, DATABASE_URL: dbUrl.toString(), FEEDS_DIR: feedsDir, OUTBOX_DIR: outbox, SMTP_URL: '', QUEUE_PREFIX: `${base.queuePrefix}-demo`, LOG_LEVEL: io.env.LOG_LEVEL ?? 'warn' });
    await dropDatabase(config.databaseUrl);
    await prepareDatabase(config);
    const c = createContainer(config);
    try {
      for (const s of DEMO_SUBSCRIBERS) {
        await c.prisma.subscriber.create({ data: { ...s, status: 'active', confirmedAt: new Date(), deliveryHour: 0 } });
      }
      const before = new Set(existsSync(outbox) ? await readdir(outbox) : []);
      const report = await c.digestRuns.run(date);
      const tally = await sendQueuedNow(c.prisma, c.deliveries, date, { ledger: c.ledger });
      const written = (existsSync(outbox) ? await readdir(outbox) : []).filter((f) => !before.has(f)).sort();
      const out = [
        `Paperboy demo — digest of ${date} from the recorded feeds in ${feedsDir}`,
        ...(report.ingest?.sources ?? []).map((s) => `  ${s.source}: ${s.fetched} papers read, ${s.new} new${s.empty ? ' (empty)' : ''}`),
        `  papers of the day: ${report.papers}`,
        `  demo subscribers: ${DEMO_SUBSCRIBERS.length}, digests sent: ${tally.sent}`,
        '',
        `The emails are in ${outbox}:`,
        ...written.map((f) => `  ${path.join(outbox, f)}`),
        '',
        'Open an .eml file with any mail client to see the digest.',
      ];
      io.stdout.write(out.join('\n') + '\n');
      return 0;
    } finally {
      await c.close();
    }
  },
};
