import { readFileSync } from 'node:fs';
import { loadConfig, testConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/errors.js';
import { envExample, withTable } from '../../src/config/docs.js';

describe('configuration', () => {
  test('defaults run on this machine out of the box', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/paperboy');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.smtpUrl).toBeUndefined();
    expect(c.outboxDir).toBe('./outbox');
    expect(c.port).toBe(3000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  test.each([
    [{ PORT: 'eighty' }, /^PORT must be a whole number, got "eighty"$/],
    [{ PORT: '70000' }, /^PORT must be between 0 and 65535, got 70000$/],
    [{ DATABASE_URL: 'mysql://x/y' }, /^DATABASE_URL must use postgres: or postgresql:/],
    [{ DIGEST_TZ: 'Mars/Olympus' }, /^DIGEST_TZ is not a known IANA time zone/],
    [{ DIGEST_CRON: 'every day' }, /^DIGEST_CRON must be a cron pattern/],
    [{ SOURCES: 'arxiv-rss,twitter' }, /^SOURCES unknown source "twitter"/],
    [{ NODE_ENV: 'production' }, /^SECRET_KEY is required when NODE_ENV=production$/],
    [{ SECRET_KEY: 'short' }, /^SECRET_KEY must be at least 32 characters long$/],
    [{ ADMIN_USER: 'ops' }, /^ADMIN_PASSWORD is required when ADMIN_USER is set$/],
  ])('%j fails with one line naming the variable', (env, message) => {
    let error: unknown;
    try { loadConfig(env as Record<string, string>); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('testConfig applies overrides without reading process.env', () => {
    process.env.PORT = '1234';
    try {
      expect(testConfig({ PUBLIC_BASE_URL: 'https://example.org/' }).publicBaseUrl).toBe('https://example.org');
      expect(testConfig().port).toBe(3000);
    } finally {
      delete process.env.PORT;
    }
  });

  test('README configuration table and .env.example are in step with the settings', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(withTable(readme)).toBe(readme);
    expect(readFileSync('.env.example', 'utf8')).toBe(envExample());
  });
});
