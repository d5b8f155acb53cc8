import type { Command } from '../command.js';
import { UsageError } from '../command.js';

const todo = async (): Promise<number> => { throw new UsageError('not implemented yet'); };
export const startCommand: Command = { name: 'start', summary: 'Run web, worker and scheduler in one process', help: 'Usage: paperboy start', run: todo };
export const webCommand: Command = { name: 'web', summary: 'Run only the web process', help: 'Usage: paperboy web', run: todo };
export const workerCommand: Command = { name: 'worker', summary: 'Run only a worker process (jobs and scheduler)', help: 'Usage: paperboy worker', run: todo };
