import type { Command } from '../command.js';
import { parseFlags, UsageError } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { prepareDatabase } from '../../runtime.js';
import { sendQueuedNow } from '../../digest/send-now.js';
import { dayInZone, isDay } from '../../time.js';

export const digestCommand: Command = {
  name: 'digest',
  summary: 'Run the digest pipeline for one date now (fetch, match, send)',
  help: `Usage: paperboy digest [--date YYYY-MM-DD] [--dry-run] [--no-fetch]

Runs the daily pipeline once for a digest date (default: today in DIGEST_TZ): fetch the day's papers,
store them, match every active subscriber, compose one delivery per subscriber with new papers, and
send them now from this process (delivery hours are not waited for). Running it again for the same
date sends nothing twice: deliveries are recorded in PostgreSQL before they are sent.

Options:
  --date YYYY-MM-DD  the digest date
  --dry-run          fetch and match, print what would be sent, record and send nothing
  --no-fetch         use the papers already stored instead of fetching`,
  async run(args, io) {
    const { flags } = parseFlags(args, { date: 'string', 'dry-run': 'boolean', 'no-fetch': 'boolean' });
    const config = loadConfig(io.env);
    const date = (flags.date as string | undefined) ?? dayInZone(new Date(), config.digestTimeZone);
    if (!isDay(date)) throw new UsageError(`--date must be a calendar date YYYY-MM-DD, got "${date}"`);
    await prepareDatabase(config);
    const c = createContainer(config);
    try {
      const report = await c.digestRuns.run(date, { fetch: !flags['no-fetch'], dryRun: Boolean(flags['dry-run']) });
      const tally = flags['dry-run'] ? undefined : await sendQueuedNow(c.prisma, c.deliveries, date);
      const lines = [`digest ${date}${flags['dry-run'] ? ' (dry run)' : ''}`];
      for (const s of report.ingest?.sources ?? []) {
        lines.push(`  source ${s.source}: fetched ${s.fetched}, new ${s.new}, updated ${s.updated}, skipped ${s.skipped}, errors ${s.errors.length}${s.empty ? ' (empty feed)' : ''}`);
      }
      lines.push(`  papers of the day: ${report.papers}${report.nothingToday ? ' (nothing today: no digest)' : ''}`);
      lines.push(`  subscribers considered: ${report.subscribersConsidered}, with new papers: ${report.deliveriesCreated}`);
      if (tally) lines.push(`  emails sent: ${tally.sent}, skipped: ${tally.skipped}, failed: ${tally.failed}, bounced: ${tally.bounced}`);
      lines.push(`  mail: ${c.mailer.description}`);
      io.stdout.write(lines.join('\n') + '\n');
      return tally && tally.failed > 0 ? 1 : 0;
    } finally {
      await c.close();
    }
  },
};
