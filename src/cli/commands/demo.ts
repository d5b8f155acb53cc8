import type { Command } from '../command.js';
import { UsageError } from '../command.js';

export const demoCommand: Command = { name: 'demo', summary: 'Run the whole pipeline on the recorded feeds, mail to the local outbox', help: 'Usage: paperboy demo', run: async () => { throw new UsageError('not implemented yet'); } };
