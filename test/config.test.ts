import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, llmEnabled, parseConfig } from '../src/config.js';

function envExample(): Record<string, string> {
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('config', () => {
  it('runs with no configuration at all', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ HOST: '127.0.0.1', PORT: 3000 });
    expect(c.REDIS_URL).toBeUndefined();
    expect(llmEnabled(c)).toBe(false);
    expect(c.WIDGET_ALLOWED_ORIGINS).toEqual([]);
  });

  it('reads WIDGET_ALLOWED_ORIGINS as a list of origins', () => {
    expect(parseConfig({ WIDGET_ALLOWED_ORIGINS: ' https://caobang.gov.vn/, http://127.0.0.1:8080 ,' })).toMatchObject({
      WIDGET_ALLOWED_ORIGINS: ['https://caobang.gov.vn', 'http://127.0.0.1:8080'],
    });
  });

  it('.env.example lists valid values for every setting in the schema', () => {
    const example = envExample();
    expect(() => parseConfig(example)).not.toThrow();
    expect(Object.keys(example).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it("the README's settings table gives each default it names as the schema has it", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const defaults = parseConfig({}) as Record<string, unknown>;
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| `([^`]*)` \|/gm)];
    expect(rows.length).toBeGreaterThan(10);
    for (const [, name, documented] of rows) {
      const actual = defaults[name!];
      expect(Array.isArray(actual) ? actual.join(',') : String(actual), name).toBe(documented);
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ OPENAI_BASE_URL: 'not a url' }, 'OPENAI_BASE_URL'],
    [{ RETRIEVAL_MIN_CONFIDENCE: '2' }, 'RETRIEVAL_MIN_CONFIDENCE'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn/telegram/webhook' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [
      { TELEGRAM_WEBHOOK_URL: 'https://bot.example.vn/telegram/webhook', TELEGRAM_WEBHOOK_SECRET: 'has space' },
      'TELEGRAM_WEBHOOK_SECRET',
    ],
    [{ ZALO_WEBHOOK_URL: 'https://bot.example.vn/zalo/webhook', ZALO_WEBHOOK_SECRET: 'short' }, 'ZALO_WEBHOOK_SECRET'],
    [{ ZALO_WEBHOOK_URL: 'https://bot.example.vn/zalo/webhook' }, 'ZALO_WEBHOOK_SECRET'],
    [{ FLOOD_MAX_MESSAGES: '0' }, 'FLOOD_MAX_MESSAGES'],
    [{ WIDGET_ALLOWED_ORIGINS: 'https://caobang.gov.vn/cong-thong-tin' }, 'WIDGET_ALLOWED_ORIGINS'],
    [{ WIDGET_ALLOWED_ORIGINS: 'caobang.gov.vn' }, 'WIDGET_ALLOWED_ORIGINS'],
    [{ WIDGET_ALLOWED_ORIGINS: "https://a.vn, 'none'" }, 'WIDGET_ALLOWED_ORIGINS'],
  ])('names the bad setting %o', (env, setting) => {
    try {
      parseConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).settings).toEqual([setting]);
      expect((err as Error).message).toContain(setting);
    }
  });

  it('never echoes a value in the error (it may be a secret)', () => {
    expect(() => parseConfig({ OPENAI_BASE_URL: 'sk-secret-value' })).toThrow(/^(?![\s\S]*sk-secret-value)/);
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: 'secret token value' })).toThrow(/^(?![\s\S]*secret token value)/);
  });

  it('enables the LLM when a key or a base URL is set', () => {
    expect(llmEnabled(parseConfig({ OPENAI_API_KEY: 'k' }))).toBe(true);
    expect(llmEnabled(parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }))).toBe(true);
  });
});
