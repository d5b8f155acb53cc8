import type { Command } from '../command.js';
import { parseFlags } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { runUntilSignal, startProcess, type Role } from '../../runtime.js';

function serveCommand(name: string, roles: Role[], summary: string, detail: string): Command {
  return {
    name,
    summary,
    help: `Usage: paperboy ${name}

${detail}

Creates the database if missing and applies pending migrations first (safe with many processes).
Stops gracefully on SIGTERM / SIGINT: no new requests or jobs, in-flight jobs finish within
SHUTDOWN_GRACE_MS, connections close. Configuration comes from the environment (README, "Configuration").`,
    async run(args, io) {
      parseFlags(args, {});
      const config = loadConfig(io.env);
      const running = await startProcess(config, roles);
      return runUntilSignal(running);
    },
  };
}

export const startCommand = serveCommand('start', ['web', 'worker'], 'Run web, worker and scheduler in one process (the default)',
  'Runs the web pages and API, the job workers and the daily scheduler in one process.');
export const webCommand = serveCommand('web', ['web'], 'Run only the web process (pages and API)',
  'Runs only the web pages and API. Run any number behind a load balancer; confirmation mails are queued for the workers.');
export const workerCommand = serveCommand('worker', ['worker'], 'Run only a worker process (daily scheduler, sends, mail)',
  'Runs the job workers and upserts the daily schedule. Run any number: jobs are shared through Redis, every send is claimed in PostgreSQL.');
