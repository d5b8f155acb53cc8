// `prisma generate` without Prisma's native schema engine (it cannot be downloaded here, and
// generate does not run it): PRISMA_SCHEMA_ENGINE_BINARY only has to name an existing file.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(root, 'package.json');
const r = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (r.status !== 0) {
  console.error('prisma generate failed');
  process.exit(r.status ?? 1);
}
