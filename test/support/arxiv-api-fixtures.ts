// Answers of the arXiv export API to `id_list` look-ups, built only from recorded payloads
// (../shared/fixtures/arxiv-api), for the fault server:
// - an id_list that arxiv.py recorded (arxiv.py-golden/*.json wrappers) gets that recorded body and
//   status: `0808.05394,1707.08567` (one unknown id, dropped without an error), `abc` (HTTP 400 error
//   feed), `astro-ph/0601001` (affiliations), `2104.12255v1`, `0000.0000` (empty);
// - any other id_list gets a feed of the recorded new-format entries of the ids asked for, in the
//   recorded new-format envelope; ids without a recorded entry are dropped silently, as arXiv does.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Answer, RecordedRequest } from './fault-server.js';
import { FIXTURES_DIR } from './fixtures.js';

const DIR = path.join(FIXTURES_DIR, 'arxiv-api');
export const ATOM = { 'content-type': 'application/atom+xml; charset=utf-8' };

interface Golden { url: string; status_code: number; body: string }

function goldens(): Map<string, Golden> {
  const out = new Map<string, Golden>();
  for (const f of readdirSync(path.join(DIR, 'arxiv.py-golden'))) {
    const g = JSON.parse(readFileSync(path.join(DIR, 'arxiv.py-golden', f), 'utf8')) as Golden;
    const idList = new URL(g.url).searchParams.get('id_list');
    if (idList) out.set(idList, g);
  }
  return out;
}

/** Recorded new-format entries by versionless id (text slices of the recorded files). */
function entries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(DIR).filter((n) => n.includes('new-format') && n.endsWith('.xml'))) {
    const text = readFileSync(path.join(DIR, f), 'utf8');
    for (let at = text.indexOf('<entry>'); at >= 0; at = text.indexOf('<entry>', at + 1)) {
      const entry = text.slice(at, text.indexOf('</entry>', at) + '</entry>'.length);
      const idText = entry.slice(entry.indexOf('<id>') + 4, entry.indexOf('</id>'));
      const id = idText.replace(/^https?:\/\/arxiv\.org\/abs\//, '').replace(/v\d+$/, '');
      if (!idText.includes('/api/errors')) out.set(id, entry);
    }
  }
  return out;
}

export interface ArxivApiFake {
  /** Fault-server handler for `/api/query`. */
  answer(req: RecordedRequest): Answer;
  /** Ids that have a recorded entry. */
  recordedIds: string[];
  /** The recorded HTTP 400 error answer (id_list=abc). */
  errorAnswer: Answer;
}

export function arxivApiFake(): ArxivApiFake {
  const byIdList = goldens();
  const byId = entries();
  const envelope = readFileSync(path.join(DIR, 'api-2026-04-30_new-format_cat-cs.LG-OR-cs.AI_20-entries.xml'), 'utf8');
  const head = envelope.slice(0, envelope.indexOf('<entry>'));
  const err = byIdList.get('abc')!;
  const errorAnswer: Answer = { status: err.status_code, headers: ATOM, body: err.body };
  return {
    recordedIds: [...byId.keys()],
    errorAnswer,
    answer(req) {
      const idList = req.query.get('id_list') ?? '';
      const golden = byIdList.get(idList);
      if (golden) return { status: golden.status_code, headers: ATOM, body: golden.body };
      const asked = idList.split(',').map((s) => s.replace(/v\d+$/, ''));
      if (asked.some((id) => !/^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/.test(id))) return errorAnswer;
      const found = asked.map((id) => byId.get(id)).filter((e): e is string => e !== undefined);
      const body = head
        .replace(/<opensearch:totalResults>\d+</, `<opensearch:totalResults>${found.length}<`)
        .replace(/<opensearch:itemsPerPage>\d+</, `<opensearch:itemsPerPage>${found.length}<`)
        + found.map((e) => `  ${e}\n`).join('') + '</feed>\n';
      return { headers: ATOM, body };
    },
  };
}
