import type { Command } from '../command.js';
import { UsageError } from '../command.js';

export const digestCommand: Command = { name: 'digest', summary: 'Run the digest pipeline for one date', help: 'Usage: paperboy digest --date YYYY-MM-DD [--dry-run]', run: async () => { throw new UsageError('not implemented yet'); } };
