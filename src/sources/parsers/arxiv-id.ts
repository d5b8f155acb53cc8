/**
 * arXiv identifiers in every form the sources use, normalised to the versionless id plus an integer
 * version: `2411.17700`, `2411.17700v1`, `arXiv:2411.17700v1`, `oai:arXiv.org:2411.17700v1`,
 * `http://arxiv.org/abs/2411.17700v1`, `astro-ph/0601001v1`, `math/0611846`.
 */
export interface ArxivId {
  id: string;
  version?: number;
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v(\d+))?$/;
const PREFIX = /^(?:oai:arxiv\.org:|arxiv:|https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\/)/i;

/** Parse one id form; undefined when it is not an arXiv id. */
export function parseArxivId(raw: string | undefined): ArxivId | undefined {
  if (!raw) return undefined;
  const s = raw.trim().replace(PREFIX, '').replace(/\.pdf$/, '');
  const m = NEW_STYLE.exec(s) ?? OLD_STYLE.exec(s);
  if (!m) return undefined;
  const version = m[2] !== undefined ? Number(m[2]) : undefined;
  return version !== undefined && version > 0 ? { id: m[1], version } : { id: m[1] };
}

export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string, version?: number): string {
  return `https://arxiv.org/pdf/${id}${version ? `v${version}` : ''}`;
}
