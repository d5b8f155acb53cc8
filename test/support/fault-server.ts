// A local HTTP server that serves scripted answers per path and records every request, to test the
// sources against faults: errors then success, 429 with Retry-After, slow and truncated bodies, …
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Send only this many bytes of the body (with the full Content-Length), then cut the connection. */
  truncateAt?: number;
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FaultServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers for a path (without query), used in order; the last one repeats. */
  script(path: string, answers: Answer[] | ((req: RecordedRequest, n: number) => Answer)): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const scripts = new Map<string, Answer[] | ((req: RecordedRequest, n: number) => Answer)>();
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  // Large enough for an `id_list` of 2000 ids in the query string.
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = { path: u.pathname, query: u.searchParams, headers: req.headers, at: Date.now() };
    requests.push(rec);
    const n = counts.get(u.pathname) ?? 0;
    counts.set(u.pathname, n + 1);
    const s = scripts.get(u.pathname);
    const a: Answer = !s ? { status: 404, body: 'not found' } : typeof s === 'function' ? s(rec, n) : s[Math.min(n, s.length - 1)];
    const send = () => {
      const body = typeof a.body === 'string' ? Buffer.from(a.body) : a.body ?? Buffer.alloc(0);
      res.writeHead(a.status ?? 200, { 'content-length': String(body.length), ...a.headers });
      if (a.truncateAt !== undefined) {
        res.write(body.subarray(0, a.truncateAt), () => res.socket?.destroy());
      } else {
        res.end(body);
      }
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(path, answers) {
      scripts.set(path, answers);
      counts.set(path, 0);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
