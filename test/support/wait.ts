import type { Job, Queue } from 'bullmq';

/** Poll until `check` returns a truthy value (or throw after timeoutMs). */
export async function waitUntil<T>(check: () => Promise<T> | T, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
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
