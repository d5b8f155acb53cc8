import type { Job, Queue } from 'bullmq';

/**
 * Poll until `check` returns a truthy value (or throw after timeoutMs). A check that never answers
 * (a client whose connect() never settles) also ends at the deadline, with its own message, instead
 * of hanging the test until Jest's timeout.
 */
export async function waitUntil<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (a check did not answer)`)), Math.max(0, deadline - Date.now()) + 1000);
    });
    let v: T;
    try {
      v = await Promise.race([Promise.resolve(check()), late]);
    } finally {
      clearTimeout(timer);
    }
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Wait until a job reaches completed (returns its return value) or failed (throws). */
export async function waitForJob<T = unknown>(queue: Queue, jobId: string, timeoutMs = 30_000): Promise<T> {
  return waitUntil(async () => {
    const job: Job | undefined = await queue.getJob(jobId);
    if (!job) return undefined;
    const state = await job.getState();
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${job.failedReason}`);
    return state === 'completed' ? ({ value: job.returnvalue as T }) : undefined;
  }, timeoutMs, `job ${jobId}`).then((r) => r!.value);
}
