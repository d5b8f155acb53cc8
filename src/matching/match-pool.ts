/**
 * Matching on several cores: a pool of worker threads that share out the day's work. A day that is
 * matched in parts (a mixed day's fields, see createMatcher) gives each thread its own parts; a day of
 * one part, or more threads than parts, divides a part's distinct topics among its threads by a hash
 * of the topic string. Either way each topic is scored once per part, by one thread, which keeps its
 * selection as the in-process matcher does, and the caller merges a subscriber's topics as
 * `Matcher.match` does (match-protocol.ts): the results are exactly those of
 * `createMatcher(papers, options).match`.
 *
 *   const pool = createMatchPool(2);
 *   const day = pool.day(papers, { context });
 *   const hits = await day.matchMany(subscribers.map((s) => ({ topics: s.topics, options: { maxResults: 20 } })));
 *   day.release(); await pool.close();
 *
 * Selections of topics without feedback are kept on the caller's side too (the first `resultCacheSize`
 * distinct topics, as the matcher keeps them), so a popular topic crosses between threads once a day.
 * Memory: a part served by several threads has its index and semantic space in each of them
 * (docs/matching.md, "On both cores").
 */
import { Worker } from 'node:worker_threads';
import { dayParts, validateTopic, type MatcherOptions } from './matcher.js';
import { cutAtTies, joinParts, mergeTopics, type PoolReply, type PoolRequest, type TopicHit, type TopicTask } from './match-protocol.js';
import type { MatchHit, MatchOptions, MatchPaper } from './types.js';

export interface MatchRequest {
  topics: string[];
  options?: MatchOptions;
}

export interface PooledDay {
  /** The number of papers of the day. */
  readonly size: number;
  /** Each request's hits, as `Matcher.match(topics, options)` gives them in one process. */
  matchMany(requests: MatchRequest[]): Promise<MatchHit[][]>;
  /** Lets the threads drop the day's matcher (its index, space and caches). */
  release(): void;
}

export interface MatchPool {
  readonly threads: number;
  /** Registers a day: every thread starts building its matcher at once. */
  day(papers: MatchPaper[], options?: Omit<MatcherOptions, 'topicCache' | 'prepared'>): PooledDay;
  /** Ends the threads; pending batches are rejected. */
  close(): Promise<void>;
}

/** Requests per message to the threads: small enough that merging one overlaps scoring the next. */
const MATCH_CHUNK = 250;

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve(r: TopicHit[][]): void; reject(e: Error): void }>;
}

/**
 * A thread running the worker module: the compiled JavaScript next to this file, or, from the
 * TypeScript sources (tests, benches), the source registered through tsx's API first.
 */
function startThread(): Worker {
  const url = new URL(import.meta.url.endsWith('.ts') ? './match-worker.ts' : './match-worker.js', import.meta.url);
  if (url.pathname.endsWith('.js')) return new Worker(url);
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`
    + '.catch((e) => { console.error(e); process.exit(1); })';
  return new Worker(load, { eval: true });
}

/** FNV-1a over the topic's UTF-16 code units: which of a part's threads scores it. */
function hash(topic: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) h = Math.imul(h ^ topic.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** An error a thread reported (its topics were parsed here first, so never a topic's syntax). */
function revive(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

export function createMatchPool(threads: number): MatchPool {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`match pool: threads must be a whole number ≥ 1, got ${threads}`);
  let failure: Error | undefined;
  let nextId = 1;
  let nextDay = 1;
  const pool: Thread[] = Array.from({ length: threads }, () => {
    const t: Thread = { worker: startThread(), pending: new Map() };
    t.worker.unref();
    t.worker.on('message', (r: PoolReply) => {
      const p = t.pending.get(r.id);
      if (!p) return;
      t.pending.delete(r.id);
      if (t.pending.size === 0) t.worker.unref();
      if (r.error) p.reject(revive(r.error));
      else p.resolve(r.results!);
    });
    const fail = (err: Error) => {
      failure ??= err;
      for (const p of t.pending.values()) p.reject(failure);
      t.pending.clear();
    };
    t.worker.on('error', (err) => fail(new Error(`match pool: a thread failed: ${err.message}`)));
    t.worker.on('exit', (code) => fail(new Error(`match pool: a thread exited (code ${code})`)));
    return t;
  });

  const post = (t: Thread, msg: PoolRequest) => t.worker.postMessage(msg);
  function batch(t: Thread, day: number, tasks: TopicTask[]): Promise<TopicHit[][]> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      t.pending.set(id, { resolve, reject });
      t.worker.ref();
      post(t, { type: 'match', id, day, tasks });
    });
  }

  return {
    threads,
    day(papers, options = {}) {
      const { topicCache: _c, prepared: _p, ...sendable } = options as MatcherOptions;
      const day = nextDay++;
      // A mixed day's parts go to different threads (each builds only its own: the builds run side by
      // side and the day's index is held once); a part gets more threads when there are more threads
      // than parts, its topics divided among them by hash.
      const parts = dayParts(papers, sendable) ?? [{ papers, options: sendable }];
      const perPart = Math.max(1, Math.ceil(threads / parts.length));
      const threadOf = (part: number, topic: string) => (part + parts.length * (perPart > 1 ? hash(topic) % perPart : 0)) % threads;
      const served = pool.map(() => new Set<number>());
      parts.forEach((_, part) => { for (let h = 0; h < perPart; h++) served[(part + parts.length * h) % threads].add(part); });
      pool.forEach((t, i) => post(t, { type: 'day', day, parts: [...served[i]].map((part) => ({ part, papers: parts[part].papers, options: parts[part].options })) }));
      const cacheSize = options.resultCacheSize ?? 50_000;
      interface Batch { promise: Promise<unknown>; hits?: TopicHit[][] }
      type Sent = { batch: Batch; slot: number };
      type Ref = { hits: TopicHit[] } | Sent;
      /**
       * What the caller knows of one topic without feedback (at one trending weight), looked up by the
       * topic string itself: no key is built per subscriber.
       */
      interface TopicState {
        /** By part: its selection cut at the largest max asked so far (the first `cacheSize` topics). */
        kept: Array<{ max: number; hits: TopicHit[] } | undefined>;
        /**
         * By part and max: the task sent and not yet answered, so that a topic asked again meanwhile (a
         * later chunk, or a call made before the first is answered) waits for that answer instead of
         * being scored twice.
         */
        asked: Array<Map<number, Sent> | undefined>;
        /** Its parts' kept selections together, best first, cut at `max`: merged once, not per subscriber. */
        merged?: { max: number; hits: TopicHit[] };
      }
      const states = new Map<number | undefined, Map<string, TopicState>>();
      let keptParts = 0;
      const valid = new Set<string>();
      const stateOf = (weight: number | undefined, topic: string): TopicState => {
        let byTopic = states.get(weight);
        if (!byTopic) states.set(weight, (byTopic = new Map()));
        let s = byTopic.get(topic);
        if (!s) byTopic.set(topic, (s = { kept: [], asked: [] }));
        return s;
      };
      /** Forgets the kept selections (the cache is full), keeping the tasks still in flight. */
      const forgetKept = () => {
        for (const byTopic of states.values()) {
          for (const [topic, s] of byTopic) {
            if (s.asked.some((m) => m?.size)) { s.kept = []; s.merged = undefined; } else byTopic.delete(topic);
          }
        }
        keptParts = 0;
      };

      /** A topic's hits from every part, best first (stable: equal scores keep their parts' order), cut at `max` by part. */
      function mergedHits(s: TopicState, max: number): TopicHit[] | undefined {
        if (s.merged?.max === max) return s.merged.hits;
        const lists: TopicHit[][] = [];
        for (let part = 0; part < parts.length; part++) {
          const k = s.kept[part];
          if (!k || k.max < max) return undefined;
          lists.push(cutAtTies(k.hits, max));
        }
        const hits = joinParts(lists);
        s.merged = { max, hits };
        return hits;
      }

      /** Sends one chunk's topic tasks; returns each request's topics' references by part. */
      function send(requests: MatchRequest[]): Ref[][][] {
        const tasks: TopicTask[][] = pool.map(() => []);
        const sent: Array<Array<{ state: TopicState; weight: number | undefined; topic: string; part: number; max: number; slot: number }>> = pool.map(() => []);
        const batches: Batch[] = pool.map(() => ({ promise: Promise.resolve() }));
        const refs = requests.map((r) => {
          const max = r.options?.maxResults ?? 20;
          const signals = r.options?.signals;
          return r.topics.map((topic): Ref[] => {
            if (!topic.trim()) return [];
            const feedback = r.options?.feedback?.get(topic);
            const state = feedback ? undefined : stateOf(signals?.trendingWeight, topic);
            if (state) {
              const hits = mergedHits(state, max);
              if (hits) return [{ hits }];
            }
            return parts.map((_, part): Ref => {
              if (state) {
                const have = state.kept[part];
                if (have && have.max >= max) return { hits: cutAtTies(have.hits, max) };
                const prior = state.asked[part]?.get(max);
                if (prior) return prior;
              }
              const thread = threadOf(part, topic);
              const ref = { batch: batches[thread], slot: tasks[thread].push({ part, topic, max, feedback, signals }) - 1 };
              if (state) {
                (state.asked[part] ??= new Map()).set(max, ref);
                sent[thread].push({ state, weight: signals?.trendingWeight, topic, part, max, slot: ref.slot });
              }
              return ref;
            });
          });
        });
        pool.forEach((t, i) => {
          if (!tasks[i].length) return;
          const b = batches[i];
          const settled = () => {
            for (const k of sent[i]) {
              const asked = k.state.asked[k.part];
              if (asked?.get(k.max)?.batch !== b) continue;
              asked.delete(k.max);
              if (!asked.size) k.state.asked[k.part] = undefined;
            }
            // Nothing is kept: a topic's entry lives only while a task of it is in flight.
            if (cacheSize <= 0) {
              for (const k of sent[i]) if (!k.state.asked.some((m) => m?.size)) states.get(k.weight)?.delete(k.topic);
            }
          };
          b.promise = batch(t, day, tasks[i]).then((hits) => {
            b.hits = hits;
            if (cacheSize > 0) {
              for (const k of sent[i]) {
                const have = k.state.kept[k.part];
                if ((have?.max ?? -1) >= k.max) continue;
                if (!have && keptParts >= cacheSize * parts.length) forgetKept();
                if (!k.state.kept[k.part]) keptParts++;
                k.state.kept[k.part] = { max: k.max, hits: hits[k.slot] };
              }
            }
            settled();
          }, (err) => { settled(); throw err; });
          // Awaited where its chunk is merged; a failure there rejects the call.
          b.promise.catch(() => undefined);
        });
        return refs;
      }

      return {
        size: papers.length,
        release() {
          states.clear();
          valid.clear();
          if (!failure) for (const t of pool) post(t, { type: 'drop', day });
        },
        async matchMany(requests) {
          // A topic that cannot be parsed rejects the call before anything is sent (as Matcher.match
          // throws), so a batch shared with other calls never fails for another call's topic.
          for (const r of requests) {
            for (const topic of r.topics) {
              if (valid.has(topic) || !topic.trim()) continue;
              validateTopic(topic);
              valid.add(topic);
            }
          }
          // Sent in chunks, all at once: the threads score a chunk while the caller merges the one
          // before, and never wait for it between chunks.
          const chunks: Array<{ requests: MatchRequest[]; refs: Ref[][][] }> = [];
          for (let i = 0; i < requests.length; i += MATCH_CHUNK) {
            const chunk = requests.slice(i, i + MATCH_CHUNK);
            chunks.push({ requests: chunk, refs: send(chunk) });
          }
          const out: MatchHit[][] = [];
          for (const { requests: chunk, refs } of chunks) {
            const waiting = new Set<Promise<unknown>>();
            for (const byTopic of refs) for (const byPart of byTopic) for (const ref of byPart) if ('batch' in ref && !ref.batch.hits) waiting.add(ref.batch.promise);
            if (waiting.size) await Promise.all(waiting);
            const hitsOf = (ref: Ref): TopicHit[] => ('hits' in ref ? ref.hits : ref.batch.hits![ref.slot]);
            // A paper is in one part only: a topic's hits are its parts' hits together.
            const topicHits = (byPart: Ref[]) => (byPart.length === 1 ? hitsOf(byPart[0]) : byPart.flatMap(hitsOf));
            chunk.forEach((r, i) => out.push(mergeTopics(r.topics, refs[i].map(topicHits), r.options?.maxResults ?? 20)));
          }
          return out;
        },
      };
    },
    async close() {
      failure ??= new Error('match pool: closed');
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
