/**
 * For tests of the daily run: a fresh database for each test of the file, and one run of the
 * pipeline over what the test stored (no fetch; mail goes nowhere: composing is what is tested).
 * The stack it builds and the database are closed and dropped after each test; the run's warnings
 * are kept as parsed log lines.
 */
import { PassThrough } from 'node:stream';
import { createTestDatabase, type TestDatabase } from './db.js';
import { uniquePrefix } from './env.js';
import { createDeliveryStack, type DeliveryStack } from './delivery-stack.js';
import type { RunResult } from '../../src/digest/digest-run-service.js';

export interface LogLine { msg: string; [key: string]: unknown }

export interface DigestDay {
  /** This test's database. */
  readonly db: TestDatabase;
  /**
   * Runs the daily pipeline for `day` over the stored papers and subscribers (`env`: settings of this
   * run; `subscriberPage`: subscribers per page, to cross pages with few).
   */
  run(day: string, prefix: string, env?: Record<string, string>, options?: { subscriberPage?: number }): Promise<{ report: RunResult; stack: DeliveryStack }>;
  /** The run's log lines at level info and above. */
  logLines(): LogLine[];
}

export function digestDayPerTest(): DigestDay {
  let db: TestDatabase | undefined;
  let stack: DeliveryStack | undefined;
  let log = '';
  beforeEach(async () => {
    db = await createTestDatabase();
    log = '';
  });
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('digestDayPerTest: the database exists only inside a test');
      return db;
    },
    async run(day, prefix, env = {}, options = {}) {
      await stack?.close(); // an earlier run of the test
      const logDestination = new PassThrough().on('data', (chunk) => { log += String(chunk); });
      stack = createDeliveryStack({ databaseUrl: this.db.url, smtpUrl: 'smtp://127.0.0.1:1', prefix: uniquePrefix(prefix), prisma: this.db.prisma, logDestination, env: { LOG_LEVEL: 'info', ...env }, subscriberPage: options.subscriberPage });
      return { report: await stack.runs.run(day, { fetch: false }), stack };
    },
    logLines: () => log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine),
  };
}
