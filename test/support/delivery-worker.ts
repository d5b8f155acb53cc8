/**
 * A worker process for crash tests (run with tsx): the delivery stack's send and daily workers.
 * Settings come as one JSON argument; prints "ready" when its workers listen; SIGTERM closes gracefully.
 */
import { createDeliveryStack } from './delivery-stack.js';

const opts = JSON.parse(process.argv[2]) as { databaseUrl: string; smtpUrl: string; redisUrl?: string; prefix: string; env?: Record<string, string>; workers?: Record<string, number> };
const stack = createDeliveryStack(opts);
const workers = stack.startWorkers(opts.workers ?? {});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void workers.close().then(() => stack.close()).then(() => process.exit(0));
});
