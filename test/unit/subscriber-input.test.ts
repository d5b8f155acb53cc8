/** Pure input rules of the signup: address normalisation, preference validation, rate settings, token inspection. */
import { normalizeEmail, InvalidEmailError } from '../../src/subscriptions/email-address.js';
import { parsePreferences, parseTopics, isTimeZone } from '../../src/subscriptions/preferences.js';
import { ValidationError } from '../../src/subscriptions/errors.js';
import { createTokens } from '../../src/subscriptions/tokens.js';
import { testConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/errors.js';

describe('email addresses', () => {
  test.each([
    ['  Ada@Example.ORG ', 'ada@example.org'],
    ['ada@example.org.', 'ada@example.org'],
    ['ada@example.org\r\n', 'ada@example.org'],
    ['ada@bücher.example', 'ada@xn--bcher-kva.example'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
  ])('%j is stored as %j', (raw, stored) => expect(normalizeEmail(raw)).toBe(stored));

  test.each([
    'a@example.org\r\nBcc: x@evil.example', 'a@exa\nmple.org', 'a@example.org,b@example.org', 'a@example.org;b@example.org',
    'Ada <a@example.org>', 'a@@example.org', 'a@b@example.org', '.a@example.org', 'a..b@example.org', 'a@example', 'a@127.0.0.1',
    'a@-example.org', `${'a'.repeat(65)}@example.org`, `a@${'b'.repeat(250)}.org`, '', 42, null, ['a@example.org'],
  ])('%j is rejected', (raw) => expect(() => normalizeEmail(raw)).toThrow(InvalidEmailError));
});

describe('preferences', () => {
  test('a signup gets defaults for what it leaves out; an update only what it names', () => {
    expect(parsePreferences({ topics: 'a\n\n b \na' })).toEqual({ topics: ['a', 'b'], frequency: 'daily', weeklyDay: 1, deliveryHour: 7, timeZone: 'UTC', maxPapers: 20 });
    expect(parsePreferences({ maxPapers: '5' }, true)).toEqual({ maxPapers: 5 });
    expect(parsePreferences({ deliveryHour: 0, weeklyDay: 0, frequency: 'weekly' }, true)).toEqual({ deliveryHour: 0, weeklyDay: 0, frequency: 'weekly' });
  });

  test.each([
    [{ topics: ['a', 5] }, 'topics'], [{ topics: { a: 1 } }, 'topics'], [{ topics: Array(101).fill('a') }, 'topics'],
    [{ topics: 'a\u0000b' }, 'topics'], [{ topics: 'a', deliveryHour: '7.5' }, 'deliveryHour'], [{ topics: 'a', deliveryHour: -1 }, 'deliveryHour'],
    [{ topics: 'a', weeklyDay: '' }, null], [{ topics: 'a', timeZone: '../../etc/passwd' }, 'timeZone'], [{ topics: 'a', maxPapers: 51 }, 'maxPapers'],
  ])('%j → error on %s', (input, field) => {
    if (field === null) return expect(() => parsePreferences(input as Record<string, unknown>)).not.toThrow();
    let error: unknown;
    try { parsePreferences(input as Record<string, unknown>); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
  });

  test('time zones are IANA names', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Europe/Paris')).toBe(true); // remembered
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  test('topics keep their order and drop duplicates', () => {
    expect(parseTopics(['b', 'a', 'b'])).toEqual(['b', 'a']);
  });
});

describe('rate settings', () => {
  test('are written N/<time>', () => {
    expect(testConfig({ RATE_LIMIT_SIGNUP_IP: '3/30s' }).rateSignupPerIp).toEqual({ limit: 3, windowMs: 30_000 });
    expect(testConfig({ RATE_LIMIT_SIGNUP_IP: 'off' }).rateSignupPerIp).toBeNull();
    expect(testConfig().rateSignupPerEmail).toEqual({ limit: 5, windowMs: 3_600_000 });
    expect(() => testConfig({ RATE_LIMIT_PREVIEW_IP: 'lots' })).toThrow(ConfigError);
    expect(() => testConfig({ RATE_LIMIT_PREVIEW_IP: 'lots' })).toThrow(/^RATE_LIMIT_PREVIEW_IP must look like 10\/10m/);
  });
});

describe('token inspection', () => {
  test('an expired confirm token is recognised as genuine but expired; verify refuses it', () => {
    let now = Date.parse('2024-01-01T00:00:00Z');
    const tokens = createTokens('s'.repeat(40), [], () => now);
    const t = tokens.sign('confirm', 'abc', 60);
    now += 61_000;
    expect(tokens.verify(t, 'confirm')).toBeNull();
    expect(tokens.inspect(t, 'confirm')).toMatchObject({ subject: 'abc', expired: true });
    expect(tokens.inspect(t, 'unsubscribe')).toBeNull();
    expect(tokens.inspect(`${t}x`, 'confirm')).toBeNull();
  });
});
