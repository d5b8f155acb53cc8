// The Paperboy web app as `paperboy web` runs it (real PostgreSQL, Redis, BullMQ mail queue),
// configured from the environment, for `npm run bench:web`. Prints "listening <url>" when ready.
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../dist/config/config.js';
import { createPrisma } from '../dist/db/prisma.js';
import { loadTemplates } from '../dist/digest/templates.js';
import { createQueues } from '../dist/jobs/queues.js';
import { createQueuedTransactionalMail } from '../dist/jobs/transactional-queue.js';
import { createLinks } from '../dist/links.js';
import { createLogger } from '../dist/logger.js';
import { projectRoot } from '../dist/paths.js';
import { createSubscriptionService } from '../dist/subscriptions/subscription-service.js';
import { createTokens } from '../dist/subscriptions/tokens.js';
import { createApp } from '../dist/web/app.js';
import { createPreview } from '../dist/web/preview.js';
import { createRateLimiter } from '../dist/web/rate-limit.js';

const config = loadConfig(process.env);
const prisma = createPrisma(config.databaseUrl, config.databasePoolSize);
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const queues = createQueues(redis, config.queuePrefix);
const tokens = createTokens(config.secretKey, config.previousSecretKeys);
const links = createLinks(config.publicBaseUrl, tokens);
const app = createApp({
  prisma, redis, tokens, links,
  templates: loadTemplates(path.join(projectRoot, 'templates')),
  subscriptions: createSubscriptionService({ prisma, tokens, mail: createQueuedTransactionalMail(queues) }),
  logger: createLogger(config),
  limiter: createRateLimiter(redis, config.queuePrefix),
  preview: createPreview({ prisma }),
  settings: config,
});
const server = app.listen(config.port, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', async () => {
  server.close();
  await queues.close();
  await prisma.$disconnect();
  redis.disconnect();
  process.exit(0);
});
