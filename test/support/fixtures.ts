// The recorded payloads live next to the repository (CI clones it beside a copy of shared/).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve('../shared/fixtures');

export function readFixture(relative: string): string {
  return readFileSync(path.join(FIXTURES_DIR, relative), 'utf8');
}
