import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Logger, PaperSource, SourceName } from './source.js';

export interface LiveSourceDeps {
  config: Config;
  prisma: PrismaClient;
  redis?: Redis;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export function createLiveSources(_deps: LiveSourceDeps): Record<SourceName, PaperSource> {
  const notYet = (name: SourceName): PaperSource => ({ name, fetchDay: async () => { throw new Error(`${name}: live fetching not available`); } });
  return { 'arxiv-rss': notYet('arxiv-rss'), 'arxiv-api': notYet('arxiv-api'), hf: notYet('hf') };
}
