import type { Command } from '../command.js';
import { UsageError } from '../command.js';

// Placeholder: the sources issue implements `paperboy fetch`.
export const fetchCommand: Command = {
  name: 'fetch',
  summary: 'Fetch and store the papers of a day from arXiv and Hugging Face',
  help: 'Usage: paperboy fetch [--date YYYY-MM-DD] [--source arxiv-rss|arxiv-api|hf|all] [--from DIR]',
  async run() {
    throw new UsageError('not implemented yet');
  },
};
