import { addDays, dayInZone, isDay, weekday, zonedTime } from '../../src/time.js';

describe('calendar days in time zones', () => {
  test('isDay accepts real dates only', () => {
    expect(isDay('2024-11-28')).toBe(true);
    expect(isDay('2024-02-30')).toBe(false);
    expect(isDay('2024-1-5')).toBe(false);
    expect(isDay('yesterday')).toBe(false);
  });

  test('dayInZone gives the local calendar day', () => {
    const at = new Date('2024-11-28T03:00:00Z');
    expect(dayInZone(at, 'UTC')).toBe('2024-11-28');
    expect(dayInZone(at, 'America/New_York')).toBe('2024-11-27');
    expect(dayInZone(at, 'Asia/Tokyo')).toBe('2024-11-28');
  });

  test('zonedTime finds the instant of a local hour, across DST', () => {
    expect(zonedTime('2024-11-28', 7, 'UTC').toISOString()).toBe('2024-11-28T07:00:00.000Z');
    expect(zonedTime('2024-11-28', 7, 'America/New_York').toISOString()).toBe('2024-11-28T12:00:00.000Z');
    expect(zonedTime('2024-07-01', 7, 'America/New_York').toISOString()).toBe('2024-07-01T11:00:00.000Z');
    expect(zonedTime('2024-07-01', 7, 'Asia/Kolkata').toISOString()).toBe('2024-07-01T01:30:00.000Z');
    // The day DST starts in Europe: 07:00 local is after the switch (UTC+2).
    expect(zonedTime('2024-03-31', 7, 'Europe/Berlin').toISOString()).toBe('2024-03-31T05:00:00.000Z');
  });

  test('addDays and weekday', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(weekday('2024-11-28')).toBe(4);
  });
});
