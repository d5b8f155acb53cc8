import path from 'node:path';
import type { Command, CommandIO } from '../command.js';
import { UsageError, parseFlags } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { isDay, nyDay } from '../../sources/days.js';
import { daysBefore } from '../../time.js';
import { ALL_SOURCES, isEmptyDay, pastDaySources } from '../../sources/ingestor.js';
import type { IngestReport, SourceName } from '../../sources/source.js';

const SOURCE_FLAG: Record<string, SourceName[]> = {
  'arxiv-rss': ['arxiv-rss'],
  'arxiv-api': ['arxiv-api'],
  hf: ['hf'],
  all: ALL_SOURCES,
};

export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'Fetch and store the papers of a day from arXiv and Hugging Face',
  help: `Usage: paperboy fetch [--date YYYY-MM-DD] [--source arxiv-rss|arxiv-api|hf|all] [--from DIR] [--back N]
       paperboy fetch --ids ID[,ID…]

Fetches the papers of digest day --date (default: today in New York) from the configured SOURCES
(or --source), stores them, and prints per source: fetched, new, updated, unchanged, skipped, errors.
--from DIR reads recorded files instead of the network (DIR/arxiv-rss/*.xml, DIR/arxiv-api/*.xml,
DIR/hf-daily-papers/*.json), like FEEDS_DIR. Re-running a day changes nothing.
With ARXIV_API_ENRICH (default true, never with --from), the arXiv RSS papers of the day are then looked
up in the export API for their submission date, comment, journal ref and DOI; this adds no papers to
the day, and a failure is only reported.

--back N (1–60) fetches the N days before --date instead, oldest first: the history a new instance
needs so that its first small days are matched with earlier papers as context (docs/matching.md,
"Context"). The arXiv RSS feed only holds the latest listing, so on the network --back fetches arXiv
through the export API (arxiv-api) wherever the sources say arxiv-rss.

--ids looks the given arXiv ids up in the export API (e.g. --ids 2411.17700,astro-ph/0601001; a
version like 2104.12255v1 asks for that version) in requests of up to ARXIV_API_LOOKUP_BATCH ids,
and stores the papers without adding them to any digest day. It prints found, new, updated, unchanged,
and the ids arXiv does not know. Not with --from, --date or --source.
Exit status: 0 when every source succeeded (with --ids: every id was found), 1 otherwise.
See docs/sources.md.`,
  async run(args, io) {
    const { flags, positional } = parseFlags(args, { date: 'string', source: 'string', from: 'string', ids: 'string', back: 'string' });
    if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if (flags.ids !== undefined) return fetchIds(flags, io);
    const back = flags.back === undefined ? 0 : Number(flags.back);
    if (flags.back !== undefined && !(Number.isInteger(back) && back >= 1 && back <= 60)) {
      throw new UsageError(`--back must be a whole number of days from 1 to 60, got "${String(flags.back)}"`);
    }
    const day = (flags.date as string | undefined) ?? nyDay(new Date());
    if (!isDay(day)) throw new UsageError(`--date must be YYYY-MM-DD, got "${day}"`);
    const sourceFlag = flags.source as string | undefined;
    if (sourceFlag !== undefined && !SOURCE_FLAG[sourceFlag]) {
      throw new UsageError(`--source must be one of ${Object.keys(SOURCE_FLAG).join(', ')}, got "${sourceFlag}"`);
    }
    const env = flags.from ? { ...io.env, FEEDS_DIR: path.resolve(flags.from as string) } : io.env;
    const config = loadConfig(env);
    const container = createContainer(config);
    try {
      let sources = sourceFlag ? SOURCE_FLAG[sourceFlag] : undefined;
      const days = back ? daysBefore(day, back) : [day];
      if (back && !config.feedsDir) sources = pastDaySources(sources ?? (config.sources as SourceName[]));
      let failed = false;
      for (const d of days) {
        const report = await container.ingestor.fetchDay(d, { sources });
        printReport(report, io);
        failed ||= report.sources.some((s) => s.errors.length > 0);
      }
      return failed ? 1 : 0;
    } finally {
      await container.close();
    }
  },
};

async function fetchIds(flags: Record<string, unknown>, io: CommandIO): Promise<number> {
  for (const other of ['date', 'source', 'from', 'back']) {
    if (flags[other] !== undefined) throw new UsageError(`--ids cannot be combined with --${other}`);
  }
  const ids = String(flags.ids).split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError('--ids needs at least one arXiv id, e.g. --ids 2411.17700,astro-ph/0601001');
  const config = loadConfig(io.env);
  if (config.feedsDir) throw new UsageError('--ids needs the network; unset FEEDS_DIR');
  const container = createContainer(config);
  try {
    const r = await container.ingestor.fetchIds(ids);
    const w = (s: string) => io.stdout.write(s + '\n');
    w(`papers by id: requested ${r.requested}, found ${r.found}, new ${r.new}, updated ${r.updated}, unchanged ${r.unchanged}`);
    for (const id of r.invalid) w(`  not an arXiv id: ${id}`);
    for (const id of r.unknown) w(`  not found on arXiv: ${id}`);
    for (const e of r.errors) w(`  error: ${e}`);
    for (const k of r.skippedEntries) w(`  skipped ${k.where}: ${k.reason}`);
    return r.invalid.length || r.unknown.length || r.errors.length || r.skippedEntries.length ? 1 : 0;
  } finally {
    await container.close();
  }
}

export function printReport(report: IngestReport, io: Pick<CommandIO, 'stdout'>): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w(`papers of ${report.day}:`);
  w(`  ${'source'.padEnd(10)} ${'fetched'.padStart(7)} ${'new'.padStart(6)} ${'updated'.padStart(7)} ${'unchanged'.padStart(9)} ${'skipped'.padStart(7)} ${'errors'.padStart(6)}`);
  for (const s of report.sources) {
    const note = s.empty ? '  (nothing that day)' : '';
    w(`  ${s.source.padEnd(10)} ${String(s.fetched).padStart(7)} ${String(s.new).padStart(6)} ${String(s.updated).padStart(7)} ${String(s.unchanged).padStart(9)} ${String(s.skipped).padStart(7)} ${String(s.errors.length).padStart(6)}${note}`);
  }
  for (const s of report.sources) {
    const en = s.enrichment;
    if (en && en.requested > 0) {
      w(`  ${s.source}: filled in from the export API: ${en.enriched} of ${en.requested} papers${en.unknown.length ? `; not found: ${en.unknown.join(', ')}` : ''}`);
    }
    for (const e of en?.errors ?? []) w(`  enrichment ${s.source} (not counted as a failure): ${e}`);
  }
  for (const s of report.sources) {
    for (const e of s.errors) w(`  error ${s.source}: ${e}`);
    for (const k of s.skippedEntries) w(`  skipped ${k.source} ${k.where}: ${k.reason}`);
  }
  if (isEmptyDay(report)) w('  no source had papers for this day: no digest (weekend or arXiv holiday)');
}
