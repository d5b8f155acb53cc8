/** Configuration and Redis isolation for one test file. */
import { randomBytes } from 'node:crypto';
import { testConfig, type Config } from '../../src/config/config.js';

/** A unique Redis key prefix so test files never see each other's queues. */
export function uniquePrefix(name = 'test'): string {
  return `pbt-${process.env.PAPERBOY_TEST_RUN_ID ?? 'adhoc'}-${name}-${randomBytes(4).toString('hex')}`;
}

export const FIXTURES_DIR = new URL('../../../shared/fixtures/', import.meta.url).pathname;

export function configFor(overrides: Record<string, string>): Config {
  return testConfig({ QUEUE_PREFIX: uniquePrefix(), ...overrides });
}
