/**
 * ARXIV_ANNOUNCE_TYPES: listings of a kept type are stored and listed; the others (by default
 * `replace`, `replace-cross`) only update papers already stored (a newer version), never list them.
 */
import type { PaperRecord } from '../papers/types.js';

export function applyAnnounceType(r: PaperRecord, kept: readonly string[]): PaperRecord {
  const t = r.listing.announceType;
  if (t === undefined || kept.includes(t)) return r;
  return { ...r, updateOnly: true };
}

export function applyAnnounceTypes(records: PaperRecord[], kept: readonly string[]): PaperRecord[] {
  return records.map((r) => applyAnnounceType(r, kept));
}
