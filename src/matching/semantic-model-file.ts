/**
 * Loading the committed background semantic model (models/semantic-model.json, built by
 * `npm run build:semantic-model` from stored papers). The only file access of the matching stage;
 * callers (CLI, composition root, evaluation) load it once and pass it to createMatcher.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSemanticModel, type SemanticModel } from './semantic-space.js';

/** models/semantic-model.json at the repository root (same relative place from src/ and dist/). */
export const DEFAULT_SEMANTIC_MODEL_PATH = fileURLToPath(new URL('../../models/semantic-model.json', import.meta.url));

/** The model at `file` (default: the committed one). Load once and share it across days' matchers. */
export function loadSemanticModel(file: string = DEFAULT_SEMANTIC_MODEL_PATH): SemanticModel {
  return parseSemanticModel(readFileSync(file, 'utf8'), file);
}
