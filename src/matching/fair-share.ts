/**
 * A subscriber's papers across their topics: each topic gets an equal share of the digest, and a
 * topic that has fewer papers leaves the rest of its share to the others.
 *
 * Scores are comparable within a topic, not across topics: a broad topic ("dark matter") has dozens
 * of papers scoring 0.8 on a day when a narrow one ("topological insulators") has one at 0.6. Cut by
 * score alone, the broad topic takes the whole digest and the narrow one, which the subscriber asked
 * for just as much, gets nothing. So the papers are taken in rounds: round r takes each topic's r-th
 * best paper, the topics' candidates of a round in the order of the input (best first), until `max`
 * papers are taken. The result keeps the input's order.
 *
 * Pure; `hits` must be best first, each paper at most once.
 */
export function fairShare<T>(hits: readonly T[], max: number, topicOf: (hit: T) => number): T[] {
  if (hits.length <= max) return hits.slice(0, Math.max(0, max));
  // The same rounds as shareTopics, each paper once, a round's candidates taken in the input's order.
  const lists: number[][] = [];
  hits.forEach((h, i) => (lists[topicOf(h)] ??= []).push(i));
  return shareTopics(lists, max, (i) => i, (i) => -i).map((x) => x.hit).sort((a, b) => a - b).map((i) => hits[i]);
}

/** A paper of the shared list: the topic it is listed under and its place in that topic's list. */
export interface SharedHit<T> {
  hit: T;
  topicIndex: number;
  rank: number;
}

/**
 * shareTopics, listed as a digest shows them: best score first, then the earlier topic; equal
 * (rounded) scores of one topic keep that topic's own order, as the topic's own list has them.
 */
export function shareTopicsInOrder<T>(lists: ReadonlyArray<readonly T[] | undefined>, max: number,
  key: (hit: T) => string | number, score: (hit: T) => number): Array<SharedHit<T>> {
  return shareTopics(lists, max, key, score)
    .sort((a, b) => score(b.hit) - score(a.hit) || a.topicIndex - b.topicIndex || a.rank - b.rank);
}

/**
 * A subscriber's topics' selections (`lists[topicIndex]`, each best first) shared into one list of at
 * most `max` papers, each topic its fair share. A paper selected by several topics counts once: it is
 * listed under the topic where it scored highest (the earlier topic on a tie; among the topics that
 * have it in their first `max`), and it fills the share of the topic whose turn took it. In each
 * round every topic takes its best paper not yet taken, the best of those candidates first (the
 * earlier topic on a tie), until `max` papers are taken.
 *
 * A topic never looks past as many of its own papers as there are places (every paper before its
 * turn's candidate is taken), so each list needs only its first `max`: a match pool's threads, which
 * answer each topic of each part of the day on its own, send no more. Returned in the order taken;
 * callers sort.
 */
export function shareTopics<T>(lists: ReadonlyArray<readonly T[] | undefined>, max: number,
  key: (hit: T) => string | number, score: (hit: T) => number): Array<SharedHit<T>> {
  if (max <= 0) return [];
  const best = new Map<string | number, SharedHit<T>>();
  // Its best topic among those that have it in their first `max` (what a pool's thread sends).
  lists.forEach((list, topicIndex) => {
    for (let i = 0; list && i < list.length && i < max; i++) {
      const hit = list[i];
      const k = key(hit);
      const prev = best.get(k);
      if (!prev || score(hit) > score(prev.hit)) best.set(k, { hit, topicIndex, rank: i });
    }
  });
  const taken = new Set<string | number>();
  const at = new Array<number>(lists.length).fill(0);
  const next = (t: number): T | undefined => {
    const list = lists[t];
    if (!list) return undefined;
    while (at[t] < list.length && taken.has(key(list[at[t]]))) at[t]++;
    return list[at[t]];
  };
  const out: Array<SharedHit<T>> = [];
  // Per round, whether a topic has had its turn.
  const turned = new Uint8Array(lists.length);
  while (out.length < max) {
    turned.fill(0);
    let took = false;
    while (out.length < max) {
      let bt = -1;
      let bh: T | undefined;
      for (let t = 0; t < lists.length; t++) {
        if (turned[t]) continue;
        const h = next(t);
        if (h !== undefined && (bh === undefined || score(h) > score(bh))) { bt = t; bh = h; }
      }
      if (bh === undefined) break;
      taken.add(key(bh));
      out.push(best.get(key(bh))!);
      turned[bt] = 1;
      took = true;
    }
    if (!took) break;
  }
  return out;
}
