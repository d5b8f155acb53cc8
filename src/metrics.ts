/**
 * Prometheus metrics (prom-client) on a private registry, built once by the composition root.
 * Counters are per process (Prometheus sums the scraped processes); queue depths and run states
 * are read from Redis / PostgreSQL at scrape time, so any one web process reports them exactly.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SendOutcomeLabel = 'sent' | 'skipped' | 'transient' | 'throttle' | 'permanent' | 'auth' | 'failed';

export interface Metrics {
  registry: Registry;
  recordSend(outcome: SendOutcomeLabel, seconds?: number): void;
  recordRun(phase: 'compose' | 'complete', seconds: number): void;
  /** Called at scrape time to fill the queue-depth and run-state gauges. */
  setCollectors(collectors: { queueCounts?: () => Promise<Record<string, Record<string, number>>>; runStates?: () => Promise<Record<string, number>> }): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'paperboy_' });
  const sends = new Counter({ name: 'paperboy_digest_sends_total', help: 'Digest send attempts by outcome', labelNames: ['outcome'], registers: [registry] });
  const sendSeconds = new Histogram({
    name: 'paperboy_digest_send_duration_seconds', help: 'Claim + render + SMTP + record of one digest',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry],
  });
  const runSeconds = new Histogram({
    name: 'paperboy_digest_run_duration_seconds', help: 'Digest run phases: compose (fetch+match+record) and complete (start to last delivery settled)',
    labelNames: ['phase'], buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600], registers: [registry],
  });
  let collectors: Parameters<Metrics['setCollectors']>[0] = {};
  new Gauge({
    name: 'paperboy_queue_jobs', help: 'Jobs per queue and state', labelNames: ['queue', 'state'], registers: [registry],
    async collect() {
      this.reset();
      const counts = await collectors.queueCounts?.().catch(() => undefined);
      for (const [queue, states] of Object.entries(counts ?? {})) {
        for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
      }
    },
  });
  new Gauge({
    name: 'paperboy_digest_runs', help: 'Digest runs by status (last 30 days)', labelNames: ['status'], registers: [registry],
    async collect() {
      this.reset();
      const states = await collectors.runStates?.().catch(() => undefined);
      for (const [status, n] of Object.entries(states ?? {})) this.set({ status }, n);
    },
  });
  return {
    registry,
    recordSend(outcome, seconds) {
      sends.inc({ outcome });
      if (seconds !== undefined) sendSeconds.observe(seconds);
    },
    recordRun(phase, seconds) {
      runSeconds.observe({ phase }, seconds);
    },
    setCollectors(c) {
      collectors = c;
    },
  };
}
