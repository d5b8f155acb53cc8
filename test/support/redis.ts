/** A private redis-server on a spare port (never the shared one), for tests that stop or flush Redis. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { waitUntil } from './wait.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  /** SIGTERM (Redis writes its append-only file) and wait for the exit. */
  stop(): Promise<void>;
  /** Start again on the same port and data directory. */
  start(): Promise<void>;
  /** Stop and delete the data directory. */
  destroy(): Promise<void>;
}

export async function startPrivateRedis(options: { appendOnly?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir,
      '--appendonly', options.appendOnly ? 'yes' : 'no', '--appendfsync', 'always'], { stdio: 'ignore' });
    await waitUntil(async () => {
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
      r.on('error', () => undefined);
      // One probe gets a second: an ioredis connect() made as the server starts listening can stay
      // unsettled (seen in the Redis restart fault test, which then hung after the run had completed).
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), 1000); });
      try {
        return await Promise.race([(async () => { await r.connect(); return (await r.ping()) === 'PONG'; })(), giveUp]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
        r.disconnect();
      }
    }, 10_000, 'private redis-server');
  };
  const stop = async () => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await start();
  return {
    url, start, stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
