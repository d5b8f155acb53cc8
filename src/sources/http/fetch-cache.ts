/** HTTP validators (ETag / Last-Modified) per URL in the FetchCache table. */
import type { PrismaClient } from '../../db/prisma.js';
import type { ValidatorStore } from './http-client.js';

export function createFetchCacheStore(prisma: PrismaClient): ValidatorStore {
  return {
    async get(url) {
      const row = await prisma.fetchCache.findUnique({ where: { url } });
      return row ? { etag: row.etag ?? undefined, lastModified: row.lastModified ?? undefined } : undefined;
    },
    async set(url, v) {
      const data = { etag: v.etag ?? null, lastModified: v.lastModified ?? null, fetchedAt: new Date() };
      await prisma.fetchCache.upsert({ where: { url }, create: { url, ...data }, update: data });
    },
  };
}
