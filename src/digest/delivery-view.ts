/**
 * Loads deliveries with their papers from PostgreSQL and composes their views (email and web view
 * share them). A delivery without papers composes the "nothing today" note. `loadDeliveryViews`
 * loads a whole send batch with three queries (deliveries + subscribers, their papers, the distinct
 * paper rows), so a paper shared by many digests is read and composed once.
 */
import type { PrismaClient } from '../db/prisma.js';
import type { Links } from '../links.js';
import { composeDigest, type DigestView, type PaperViewCache } from './compose.js';
import { dateToDay } from '../time.js';

const INCLUDE = { subscriber: true, papers: { include: { paper: true }, orderBy: { rank: 'asc' } } } as const;

type LoadedDelivery = NonNullable<Awaited<ReturnType<PrismaClient['delivery']['findUnique']>>> & {
  subscriber: NonNullable<Awaited<ReturnType<PrismaClient['subscriber']['findUnique']>>>;
  papers: (NonNullable<Awaited<ReturnType<PrismaClient['deliveryPaper']['findUnique']>>> & {
    paper: NonNullable<Awaited<ReturnType<PrismaClient['paper']['findUnique']>>>;
  })[];
};

function viewOf(delivery: LoadedDelivery, links: Links, postalAddress: string, paperViews?: PaperViewCache): DigestView {
  return composeDigest({
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
    feedback: links.feedback(delivery.id),
    postalAddress,
  }, { cache: paperViews });
}

export async function loadDeliveryView(prisma: PrismaClient, deliveryId: string, links: Links, postalAddress: string, paperViews?: PaperViewCache) {
  const delivery = (await prisma.delivery.findUnique({ where: { id: deliveryId }, include: INCLUDE })) as LoadedDelivery | null;
  if (!delivery) return null;
  return { delivery, view: viewOf(delivery, links, postalAddress, paperViews) };
}

/** The views of many deliveries (only those still `queued` when `queuedOnly`), keyed by delivery id. */
export async function loadDeliveryViews(
  prisma: PrismaClient, deliveryIds: string[], links: Links, postalAddress: string,
  options: { paperViews?: PaperViewCache; queuedOnly?: boolean } = {},
): Promise<Map<string, { delivery: LoadedDelivery; view: DigestView }>> {
  const out = new Map<string, { delivery: LoadedDelivery; view: DigestView }>();
  if (deliveryIds.length === 0) return out;
  const rows = (await prisma.delivery.findMany({
    where: { id: { in: deliveryIds }, ...(options.queuedOnly ? { status: 'queued' as const } : {}) },
    include: INCLUDE,
  })) as LoadedDelivery[];
  for (const d of rows) out.set(d.id, { delivery: d, view: viewOf(d, links, postalAddress, options.paperViews) });
  return out;
}
