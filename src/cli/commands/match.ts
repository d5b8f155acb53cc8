import type { Command } from '../command.js';
import { UsageError } from '../command.js';

// Placeholder: the matching issue implements `paperboy match --papers <file> --topics <file>`.
export const matchCommand: Command = {
  name: 'match',
  summary: 'Match papers.json against topics.json offline and print the selections as JSON',
  help: 'Usage: paperboy match --papers <papers.json> --topics <topics.json>',
  async run() {
    throw new UsageError('not implemented yet');
  },
};
