import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (holds templates/ and prisma/), whether running from src/ (tests) or dist/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
