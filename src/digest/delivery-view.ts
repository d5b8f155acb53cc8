/**
 * Loads one delivery with its papers from PostgreSQL and composes its view (email and web view share
 * it). A delivery without papers composes the "nothing today" note.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Links } from '../links.js';
import { composeDigest, type DigestView, type PaperViewCache } from './compose.js';
import { dateToDay } from '../time.js';

export async function loadDeliveryView(prisma: PrismaClient, deliveryId: string, links: Links, postalAddress: string, paperViews?: PaperViewCache) {
  const delivery = await prisma.delivery.findUnique({
    where: { id: deliveryId },
    include: { subscriber: true, papers: { include: { paper: true }, orderBy: { rank: 'asc' } } },
  });
  if (!delivery) return null;
  const view: DigestView = composeDigest({
    date: dateToDay(delivery.digestDate),
    frequency: delivery.subscriber.frequency,
    topics: delivery.subscriber.topics,
    papers: delivery.papers.map((dp) => ({
      paperId: dp.paperId, topic: dp.topic, rank: dp.rank, score: dp.score, why: dp.why,
      title: dp.paper.title, abstract: dp.paper.abstract, authors: dp.paper.authors, categories: dp.paper.categories,
      absUrl: dp.paper.absUrl, pdfUrl: dp.paper.pdfUrl, githubRepo: dp.paper.githubRepo, projectPage: dp.paper.projectPage, hfUpvotes: dp.paper.hfUpvotes,
      aiSummary: dp.paper.aiSummary, hfDate: dp.paper.hfDate,
    })),
    links: {
      manage: links.manage(delivery.subscriberId),
      unsubscribe: links.unsubscribe(delivery.subscriberId),
      webView: links.webView(delivery.id),
    },
    postalAddress,
  }, { cache: paperViews });
  return { delivery, view };
}
