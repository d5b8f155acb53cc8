import path from 'node:path';
import type { Command, CommandIO } from '../command.js';
import { UsageError, parseFlags } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { isDay, nyDay } from '../../sources/days.js';
import { ALL_SOURCES, isEmptyDay } from '../../sources/ingestor.js';
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
  help: `Usage: paperboy fetch [--date YYYY-MM-DD] [--source arxiv-rss|arxiv-api|hf|all] [--from DIR]

Fetches the papers of digest day --date (default: today in New York) from the configured SOURCES
(or --source), stores them, and prints per source: fetched, new, updated, unchanged, skipped, errors.
--from DIR reads recorded files instead of the network (DIR/arxiv-rss/*.xml, DIR/arxiv-api/*.xml,
DIR/hf-daily-papers/*.json), like FEEDS_DIR. Re-running a day changes nothing.
Exit status: 0 when every source succeeded, 1 when a source failed. See docs/sources.md.`,
  async run(args, io) {
    const { flags, positional } = parseFlags(args, { date: 'string', source: 'string', from: 'string' });
    if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`);
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
      const report = await container.ingestor.fetchDay(day, { sources: sourceFlag ? SOURCE_FLAG[sourceFlag] : undefined });
      printReport(report, io);
      return report.sources.some((s) => s.errors.length > 0) ? 1 : 0;
    } finally {
      await container.close();
    }
  },
};

export function printReport(report: IngestReport, io: Pick<CommandIO, 'stdout'>): void {
  const w = (s: string) => io.stdout.write(s + '\n');
  w(`papers of ${report.day}:`);
  w(`  ${'source'.padEnd(10)} ${'fetched'.padStart(7)} ${'new'.padStart(6)} ${'updated'.padStart(7)} ${'unchanged'.padStart(9)} ${'skipped'.padStart(7)} ${'errors'.padStart(6)}`);
  for (const s of report.sources) {
    const note = s.empty ? '  (nothing that day)' : '';
    w(`  ${s.source.padEnd(10)} ${String(s.fetched).padStart(7)} ${String(s.new).padStart(6)} ${String(s.updated).padStart(7)} ${String(s.unchanged).padStart(9)} ${String(s.skipped).padStart(7)} ${String(s.errors.length).padStart(6)}${note}`);
  }
  for (const s of report.sources) {
    for (const e of s.errors) w(`  error ${s.source}: ${e}`);
    for (const k of s.skippedEntries) w(`  skipped ${k.source} ${k.where}: ${k.reason}`);
  }
  if (isEmptyDay(report)) w('  no source had papers for this day: no digest (weekend or arXiv holiday)');
}
