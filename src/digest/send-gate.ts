/**
 * Send slots and pacing of one process. A slot is held from the claim of a delivery until its
 * `sent` (or failure) is recorded, so at most `slots` deliveries of a process are ever claimed and
 * unrecorded at once — the bound of the orphan policy (docs/delivery.md). With a rate, slots are
 * also handed out no closer than 1000 / rate ms apart, so no 1 s window sees more than `rate` sends
 * of this process (the queue limiter spreads batches across processes).
 */
export interface SendGate {
  /** Waits for a free slot; returns the release function. */
  acquire(): Promise<() => void>;
  /** Waits for the next paced start (right before the SMTP transaction); call the result when it ended. */
  pace(): Promise<() => void>;
}

export function createSendGate(slots: number, ratePerSecond = 0): SendGate {
  let free = Math.max(1, slots);
  const waiting: (() => void)[] = [];
  const spacing = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  let lastStart = -Infinity;
  const finished: number[] = [];
  let inFlight = 0;
  let chain: Promise<void> = Promise.resolve();
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return {
    async acquire() {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let released = false;
      return () => {
        if (!released) {
          released = true;
          release();
        }
      };
    },
    async pace() {
      if (spacing <= 0) return () => undefined;
      // One pacer at a time, checked against the clock when it fires. A send may start only when the
      // sends finished in the last second plus those still in flight are fewer than the rate: then
      // no 1 s window at the relay can hold more than `rate` accepted messages, even when a slow
      // connection setup lets several queued messages through together.
      const previous = chain;
      let done!: () => void;
      chain = new Promise<void>((resolve) => (done = resolve));
      await previous;
      try {
        for (;;) {
          const now = performance.now();
          while (finished.length > 0 && finished[0] <= now - 1000) finished.shift();
          let wait = lastStart + spacing - now;
          if (inFlight + finished.length >= ratePerSecond) wait = Math.max(wait, finished.length > 0 ? finished[0] + 1000 - now : 5);
          if (wait <= 0) break;
          await new Promise((r) => setTimeout(r, Math.ceil(wait)));
        }
        lastStart = performance.now();
        inFlight++;
      } finally {
        done();
      }
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inFlight--;
        finished.push(performance.now());
      };
    },
  };
}

/**
 * Group commit: concurrent callers' keys are gathered while the previous flush runs and flushed
 * together (one SQL statement for many deliveries). Each caller gets its own key's result.
 */
export function createCoalescer<R>(flush: (keys: string[]) => Promise<Map<string, R>>, maxBatch = 500): (key: string) => Promise<R | undefined> {
  let pending: { key: string; resolve: (r: R | undefined) => void; reject: (e: unknown) => void }[] = [];
  let running = false;
  async function drain(): Promise<void> {
    running = true;
    while (pending.length > 0) {
      const take = pending.slice(0, maxBatch);
      pending = pending.slice(take.length);
      try {
        const results = await flush([...new Set(take.map((t) => t.key))]);
        for (const t of take) t.resolve(results.get(t.key));
      } catch (err) {
        for (const t of take) t.reject(err);
      }
    }
    running = false;
  }
  return (key) => new Promise<R | undefined>((resolve, reject) => {
    pending.push({ key, resolve, reject });
    if (!running) void drain();
  });
}
