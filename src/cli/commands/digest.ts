import type { Command } from '../command.js';
import { parseFlags, UsageError } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { prepareDatabase } from '../../runtime.js';
import { sendQueuedNow } from '../../digest/send-now.js';
import type { RunReport } from '../../digest/run-ledger.js';
import { littleHistory, type RunResult } from '../../digest/digest-run-service.js';
import { DEFAULT_PARAMS } from '../../matching/params.js';
import { describeFields } from '../../matching/fields.js';
import { dayInZone, isDay } from '../../time.js';

/** The per-run report as printed by `paperboy digest` (also stored on the DigestRun row). */
export function formatRunReport(run: RunResult, stored: RunReport | null, dryRun: boolean): string[] {
  const lines = [`digest ${run.date}${dryRun ? ' (dry run: nothing recorded or sent)' : ''}`];
  for (const s of run.ingest?.sources ?? []) {
    lines.push(`  source ${s.source}: fetched ${s.fetched}, new ${s.new}, updated ${s.updated}, skipped ${s.skipped}, errors ${s.errors.length}${s.empty ? ' (empty feed)' : ''}`);
  }
  if (run.papersFetched !== undefined) lines.push(`  papers fetched: ${run.papersFetched}`);
  lines.push(`  papers of the day: ${run.papers}, in the week's window: ${run.candidatePapers}${run.nothingToday ? ' (nothing to send)' : ''}`
    + (run.contextPapers ? `; ${run.contextPapers} earlier papers as matching context` : ''));
  if (run.history) {
    const h = run.history;
    lines.push(`  history: none yet, so the ${h.days.length} days before were fetched first (HISTORY_DAYS: ${h.days[0]} to ${h.days[h.days.length - 1]}), `
      + `${h.papers} new papers${h.errors.length ? `; errors: ${h.errors.join('; ')}` : ''}`);
  }
  if (littleHistory(run)) {
    lines.push(`  little history: a small day is matched best with ${DEFAULT_PARAMS.contextPapers} papers in all, earlier ones included; `
      + '`paperboy fetch --back 5` stores the days before it (docs/matching.md, "Context")');
  }
  if (run.mixedFields) {
    const parts = run.fieldParts?.map((p) => `${p.field ?? 'the rest'} ${p.papers}`).join(', ');
    lines.push(`  mixed fields: ${describeFields(run.mixedFields)}; matched field by field${parts ? ` (${parts} papers)` : ''}, `
      + 'as one instance per field would match them (docs/matching.md, "A fifth kind of day")');
  }
  lines.push(`  subscribers considered: ${run.subscribersConsidered}, matched: ${run.subscribersMatched}${(run.matchThreads ?? 1) > 1 ? ` (on ${run.matchThreads} threads)` : ''}, new digests composed: ${run.deliveriesCreated}`);
  if (stored) {
    const d = stored.deliveries;
    lines.push(`  emails sent: ${d.sent}, skipped: ${d.skipped}, failed: ${d.failed}, bounced: ${d.bounced}, uncertain: ${d.uncertain}, still queued: ${d.queued + d.sending}`);
    lines.push(`  run status: ${stored.status}${stored.pausedReason ? ` (${stored.pausedReason})` : ''}`);
  }
  return lines;
}

export const digestCommand: Command = {
  name: 'digest',
  summary: 'Run the digest pipeline for one date now (fetch, match, send)',
  help: `Usage: paperboy digest [--date YYYY-MM-DD] [--dry-run] [--no-fetch] [--resume]

Runs the daily pipeline once for a digest date (default: today in DIGEST_TZ): fetch the day's papers,
store them, match every active subscriber, compose one delivery per subscriber with new papers, and
send them now from this process (delivery hours are not waited for). Running it again for the same
date sends nothing twice: deliveries are recorded in PostgreSQL before they are sent. The report
printed at the end is also stored on the run (see docs/delivery.md).

Options:
  --date YYYY-MM-DD  the digest date
  --dry-run          fetch and match, print what would be sent, record and send nothing
  --no-fetch         use the papers already stored instead of fetching
  --resume           resume sending after a pause (authentication failure, error-rate breaker):
                     resumes the send queue and every paused run, then runs the date as above`,
  async run(args, io) {
    const { flags } = parseFlags(args, { date: 'string', 'dry-run': 'boolean', 'no-fetch': 'boolean', resume: 'boolean' });
    const config = loadConfig(io.env);
    const date = (flags.date as string | undefined) ?? dayInZone(new Date(), config.digestTimeZone);
    if (!isDay(date)) throw new UsageError(`--date must be a calendar date YYYY-MM-DD, got "${date}"`);
    const dryRun = Boolean(flags['dry-run']);
    await prepareDatabase(config);
    const c = createContainer(config);
    try {
      if (flags.resume) {
        await c.queues.send.resume();
        const dates = await c.ledger.resumeAll();
        io.stdout.write(`resumed the send queue${dates.length ? ` and the runs of ${dates.join(', ')}` : ''}\n`);
      }
      const report = await c.digestRuns.run(date, { fetch: !flags['no-fetch'], dryRun });
      const tally = dryRun ? undefined : await sendQueuedNow(c.prisma, c.deliveries, date, {
        ledger: c.ledger, concurrency: config.workerConcurrency, batchSize: config.sendBatchSize, ratePerSecond: config.smtpRatePerSecond,
        attempts: Math.min(config.sendAttempts, 3), backoffMs: Math.min(config.sendBackoffMs, 2000), throttlePauseMs: Math.min(config.sendThrottlePauseMs, 10_000),
      });
      const stored = dryRun ? null : await c.ledger.report(date);
      const lines = formatRunReport(report, stored, dryRun);
      if (tally?.paused) lines.push(`  PAUSED: ${tally.paused} — fix SMTP_URL, then run again with --resume`);
      lines.push(`  mail: ${c.mailer.description}`);
      io.stdout.write(lines.join('\n') + '\n');
      return tally && (tally.failed > 0 || tally.paused) ? 1 : 0;
    } finally {
      await c.close();
    }
  },
};
