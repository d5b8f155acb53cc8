/**
 * `npx tsx bench/topic-share.ts`: how a subscriber's topics share their 20 papers on the whole recorded
 * arXiv listing (1,504 papers). Every subscriber made of three of 15 common topics (455), matched
 * with the share (Matcher.match, src/matching/fair-share.ts) and with the cut by score across topics
 * it replaced (each paper under its best topic, the 20 best scores), computed in the same run from
 * the same per-topic selections. Counts the subscribers with a topic that selects papers of its own
 * but gets none of their 20; then the time the share takes per subscriber against that cut. docs/matching.md, item 8.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMatcher } from '../src/matching/matcher.js';
import { mergeTopics } from '../src/matching/match-protocol.js';
import type { MatchHit } from '../src/matching/types.js';
import { listingDay } from './lib/regimes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { papers } = listingDay(path.resolve(root, '../shared/fixtures'));
const TOPICS = ['dark matter', 'galaxy clusters', 'gravitational waves', 'large language models', 'symbolic regression',
  'graph neural networks', 'quantum error correction', 'topological insulators', 'diffusion models', 'reinforcement learning',
  'exoplanet atmospheres', 'federated learning', 'black hole accretion', 'medical image segmentation', 'knot theory'];
const MAX = 20;
const m = createMatcher(papers);
const alone = new Map(TOPICS.map((t) => [t, m.matchTopic(t, { maxResults: MAX })]));

/** The cut by score across topics: each paper under its best topic, the MAX best. */
function byScore(topics: string[]): MatchHit[] {
  const best = new Map<string, MatchHit>();
  topics.forEach((topic, topicIndex) => {
    for (const h of alone.get(topic)!) {
      const prev = best.get(h.paperId);
      if (!prev || h.score > prev.score) best.set(h.paperId, { ...h, topic, topicIndex });
    }
  });
  return [...best.values()].sort((a, b) => b.score - a.score || a.topicIndex - b.topicIndex).slice(0, MAX);
}

const rows = { subscribers: 0, score: { starved: 0, topics: 0 }, share: { starved: 0, topics: 0 } };
const worst: string[] = [];
for (let a = 0; a < TOPICS.length; a++) for (let b = a + 1; b < TOPICS.length; b++) for (let c = b + 1; c < TOPICS.length; c++) {
  const topics = [TOPICS[a], TOPICS[b], TOPICS[c]];
  rows.subscribers++;
  for (const [name, hits] of [['score', byScore(topics)], ['share', m.match(topics, { maxResults: MAX })]] as const) {
    const got = topics.map((_, i) => hits.filter((h) => h.topicIndex === i).length);
    const starved = topics.filter((t, i) => got[i] === 0 && alone.get(t)!.length > 0).length;
    if (starved) { rows[name].starved++; rows[name].topics += starved; }
    if (name === 'score' && starved && worst.length < 5) worst.push(`  ${topics.map((t, i) => `${t} ${got[i]}/${alone.get(t)!.length}`).join(', ')}`);
  }
}
console.log(`${papers.length} papers; ${rows.subscribers} subscribers of 3 topics, ${MAX} papers each`);
console.log(`  cut by score across topics: ${rows.score.starved} subscribers with a topic that gets none of its papers (${rows.score.topics} topics)`);
console.log(`  each topic its share:       ${rows.share.starved} subscribers (${rows.share.topics} topics)`);
console.log('first such subscribers under the cut by score (topic: papers in the 20 / papers it selects alone):');
console.log(worst.join('\n'));

// What the share costs where it runs for every subscriber: a match pool's caller merging a
// subscriber's three topic selections (mergeTopics), against the cut by score it replaced (the code
// before, kept here as the baseline), on the same selections, alternating, median of 7 rounds.
function cutByScore(topics: string[], perTopic: MatchHit[][], max: number): MatchHit[] {
  const best = new Map<string, MatchHit>();
  topics.forEach((topic, topicIndex) => {
    for (const h of perTopic[topicIndex] ?? []) {
      const prev = best.get(h.paperId);
      if (prev && prev.score >= h.score) continue;
      best.set(h.paperId, { paperId: h.paperId, topicIndex, topic, score: h.score, why: h.why });
    }
  });
  return [...best.values()].sort((a, b) => b.score - a.score || a.topicIndex - b.topicIndex || (a.paperId < b.paperId ? -1 : 1)).slice(0, max);
}
const subs: string[][] = [];
for (let a = 0; a < TOPICS.length; a++) for (let b = a + 1; b < TOPICS.length; b++) for (let c = b + 1; c < TOPICS.length; c++) subs.push([TOPICS[a], TOPICS[b], TOPICS[c]]);
const N = 100_000;
const time = (merge: (topics: string[], perTopic: MatchHit[][], max: number) => MatchHit[]) => {
  const t0 = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < N; i++) { const topics = subs[i % subs.length]; n += merge(topics, topics.map((t) => alone.get(t)!), MAX).length; }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, n };
};
const runs = { score: [] as number[], share: [] as number[] };
for (let r = 0; r < 7; r++) { runs.score.push(time(cutByScore).ms); runs.share.push(time(mergeTopics).ms); }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`merging ${N.toLocaleString('en')} subscribers' 3 topic selections (median of 7 rounds, alternating): cut by score ${median(runs.score).toFixed(0)} ms, share ${median(runs.share).toFixed(0)} ms (${(median(runs.share) * 1000 / N).toFixed(2)} µs a subscriber)`);
