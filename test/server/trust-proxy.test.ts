/** TRUST_PROXY and the other access-control settings: what each accepted form means, and clear refusals. */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { trustProxyOption } from '../../src/server/http-server.js';

describe('TRUST_PROXY', () => {
  it('is off by default', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
  });

  it.each([
    ['false', false],
    ['FALSE', false],
    ['true', true],
    [' true ', true],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.1, 192.168.0.0/16', ['10.0.0.1', '192.168.0.0/16']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads %j', (value, expected) => {
    expect(parseConfig({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    'yes',
    '0',
    '21',
    '-1',
    '1.5',
    '10.0.0.300',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0.0/8/1',
    'proxy.example.vn',
    '10.0.0.1,,nonsense',
  ])('refuses %j at start-up, naming the setting', (value) => {
    try {
      parseConfig({ TRUST_PROXY: value });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).settings).toEqual(['TRUST_PROXY']);
      expect((err as Error).message).toMatch(/TRUST_PROXY: .*hop count/);
    }
  });

  it('a hop count trusts that many hops in front of the server, and no more', () => {
    const trust = trustProxyOption(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2, 3].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false, false]);
    expect(trustProxyOption(false)).toBe(false);
    expect(trustProxyOption(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});

describe('rate-limit and sign-in settings', () => {
  it('have defaults a person typing never reaches', () => {
    expect(parseConfig({})).toMatchObject({
      CHAT_RATE_LIMIT_PER_MINUTE: 60,
      WEBHOOK_RATE_LIMIT_PER_MINUTE: 1200,
      ADMIN_MAX_FAILED_SIGNINS: 10,
      ADMIN_FAILED_SIGNIN_WINDOW_SECONDS: 600,
    });
  });

  it.each([
    ['CHAT_RATE_LIMIT_PER_MINUTE', '0'],
    ['CHAT_RATE_LIMIT_PER_MINUTE', 'many'],
    ['WEBHOOK_RATE_LIMIT_PER_MINUTE', '-5'],
    ['ADMIN_FAILED_SIGNIN_WINDOW_SECONDS', '0'],
  ])('refuses %s=%s', (setting, value) => {
    expect(() => parseConfig({ [setting]: value })).toThrow(setting);
  });
});
