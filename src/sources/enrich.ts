/**
 * Enrichment of an arXiv listing day (ARXIV_API_ENRICH): the RSS feed lacks the submission and
 * version dates, the comment and (often) the journal ref and DOI. After the listing of day D is stored,
 * the papers listed on D that still lack them are looked up by id in the export API and merged into
 * their rows as `updateOnly` records: the merge keeps one paper per work, no paper is created and no
 * listing is added, so the papers of digest day D stay exactly those arXiv listed. A re-run finds
 * nothing lacking and sends no request. Failures are reported, never thrown.
 */
import type { PaperRepository } from '../papers/paper-repository.js';
import type { ArxivLookup } from './arxiv-lookup.js';
import { silentLogger, type EnrichmentReport, type Logger, type SourceName } from './source.js';

export interface EnrichDeps {
  lookup: ArxivLookup;
  repository: PaperRepository;
  logger?: Logger;
}

export async function enrichListingDay(source: SourceName, day: string, deps: EnrichDeps): Promise<EnrichmentReport> {
  const logger = deps.logger ?? silentLogger;
  const report: EnrichmentReport = { requested: 0, enriched: 0, unknown: [], errors: [] };
  try {
    const ids = await deps.repository.lackingApiMetadata(source, day);
    report.requested = ids.length;
    if (ids.length === 0) return report;
    const got = await deps.lookup.lookupIds(ids);
    report.unknown = got.unknown;
    report.errors.push(...got.errors, ...got.skippedEntries.map((s) => `${s.where}: ${s.reason}`));
    if (got.records.length) {
      const counts = await deps.repository.upsert(got.records.map((r) => ({ ...r, updateOnly: true })));
      report.enriched = counts.updated;
    }
  } catch (err) {
    report.errors.push(`enrichment: ${(err as Error).message}`);
  }
  for (const e of report.errors) logger.warn({ source, day, error: e }, 'sources.enrich.failed');
  logger.info({ source, day, ...report, unknown: report.unknown.length, errors: report.errors.length }, 'sources.enrich.done');
  return report;
}
