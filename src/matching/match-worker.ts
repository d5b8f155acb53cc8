/**
 * One thread of a match pool (match-pool.ts): it holds a matcher for each part of a registered day
 * it serves and answers batches of topic tasks with each topic's selection in that part. Nothing here is shared between threads but
 * the messages, so every thread's matcher is the same pure, deterministic matcher as in-process.
 */
import { parentPort } from 'node:worker_threads';
import { createMatcher, TopicCache, type Matcher, type MatcherOptions } from './matcher.js';
import type { MatchPaper } from './types.js';
import { topicHits, type PoolRequest, type PoolReply } from './match-protocol.js';

if (!parentPort) throw new Error('match-worker.ts runs as a worker thread of a match pool');
const port = parentPort;
/** Each registered day's matchers by part, or why one could not be built (reported with every batch for the day). */
const days = new Map<number, Map<number, Matcher> | Error>();
const topicCache = new TopicCache();

port.on('message', (msg: PoolRequest) => {
  if (msg.type === 'day') {
    try {
      days.set(msg.day, new Map(msg.parts.map((p) => [p.part, createMatcher(p.papers as MatchPaper[], { ...(p.options as MatcherOptions), topicCache })])));
    } catch (err) {
      days.set(msg.day, err as Error);
    }
  } else if (msg.type === 'drop') {
    days.delete(msg.day);
  } else {
    const m = days.get(msg.day);
    try {
      if (!m) throw new Error(`match pool: day ${msg.day} is not registered on this thread`);
      if (m instanceof Error) throw m;
      reply({ type: 'hits', id: msg.id, results: msg.tasks.map((t) => topicHits(m.get(t.part) ?? noPart(msg.day, t.part), t)) });
    } catch (err) {
      const e = err as Error;
      reply({ type: 'hits', id: msg.id, error: { name: e.name, message: e.message } });
    }
  }
});

function noPart(day: number, part: number): never {
  throw new Error(`match pool: part ${part} of day ${day} is not served by this thread`);
}

function reply(r: PoolReply): void {
  port.postMessage(r);
}
