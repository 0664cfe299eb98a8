/** Quiet hours in Vietnam time (UTC+7): what counts as night, and when sending may resume. */
import { describe, expect, it } from 'vitest';
import { inQuietHours, nextAllowed, parseQuietHours } from '../../../src/core/broadcast/quiet-hours.js';

/** A Vietnam-time moment as epoch milliseconds. */
const vn = (iso: string) => Date.parse(`${iso}+07:00`);
const night = parseQuietHours('22-6');

describe('quiet hours', () => {
  it.each([
    ['2026-12-01T21:59:59', false],
    ['2026-12-01T22:00:00', true],
    ['2026-12-01T23:30:00', true],
    ['2026-12-02T00:00:00', true],
    ['2026-12-02T05:59:59', true],
    ['2026-12-02T06:00:00', false],
    ['2026-12-02T12:00:00', false],
  ])('%s is quiet: %s', (at, quiet) => {
    expect(inQuietHours(vn(at), night)).toBe(quiet);
  });

  it.each([
    ['2026-12-01T23:30:00', '2026-12-02T06:00:00'],
    ['2026-12-02T02:00:00', '2026-12-02T06:00:00'],
    ['2026-12-31T22:15:00', '2027-01-01T06:00:00'],
    ['2026-12-02T10:00:00', '2026-12-02T10:00:00'],
  ])('a campaign asked for at %s starts at %s', (at, start) => {
    expect(nextAllowed(vn(at), night)).toBe(vn(start));
  });

  it('supports hours that do not wrap midnight, and "off"', () => {
    const lunch = parseQuietHours('11-13');
    expect(inQuietHours(vn('2026-12-01T12:00:00'), lunch)).toBe(true);
    expect(nextAllowed(vn('2026-12-01T12:00:00'), lunch)).toBe(vn('2026-12-01T13:00:00'));
    expect(inQuietHours(vn('2026-12-01T23:00:00'), lunch)).toBe(false);
    expect(parseQuietHours('off')).toBeUndefined();
    expect(inQuietHours(vn('2026-12-01T23:00:00'), undefined)).toBe(false);
  });

  it.each(['22', '25-6', '6-6', 'night'])('refuses %j', (spec) => {
    expect(() => parseQuietHours(spec)).toThrow();
  });
});
