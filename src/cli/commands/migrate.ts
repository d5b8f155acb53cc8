import path from 'node:path';
import type { Command } from '../command.js';
import { parseFlags } from '../command.js';
import { loadConfig } from '../../config/config.js';
import { ensureDatabase, migrate } from '../../db/migrate.js';
import { projectRoot } from '../../paths.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Create the database if missing and apply pending SQL migrations',
  help: `Usage: paperboy migrate

Creates the database named in DATABASE_URL when it is missing (unless DATABASE_CREATE=false) and
applies every pending migration in prisma/migrations, recording each in _prisma_migrations the way
\`prisma migrate deploy\` does. Safe to run from several processes at once.`,
  async run(args, io) {
    parseFlags(args, {});
    const config = loadConfig(io.env);
    if (config.databaseCreate && (await ensureDatabase(config.databaseUrl))) {
      io.stdout.write('created database\n');
    }
    const r = await migrate(config.databaseUrl, path.join(projectRoot, 'prisma/migrations'));
    io.stdout.write(`migrations: ${r.applied.length} applied, ${r.alreadyApplied.length} already applied\n`);
    for (const name of r.applied) io.stdout.write(`  applied ${name}\n`);
    return 0;
  },
};
