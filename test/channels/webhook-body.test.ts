/** The webhook body parser: malformed bodies become undefined, and "__proto__" keys are dropped however written. */
import { describe, expect, it } from 'vitest';
import { parseWebhookJson } from '../../src/channels/webhook-body.js';

describe('parseWebhookJson', () => {
  it('parses an ordinary update, text with escapes included', () => {
    expect(parseWebhookJson('{"update_id":1,"message":{"text":"Xin ch\\u00e0o"}}')).toEqual({
      update_id: 1,
      message: { text: 'Xin chào' },
    });
  });

  it.each(['{"__proto__":{"polluted":1},"a":1}', '{"\\u005f_proto__":{"polluted":1},"a":1}', '{"a":{"__proto__" :2}}'])(
    'drops a __proto__ key: %s',
    (raw) => {
      const parsed = parseWebhookJson(raw) as Record<string, unknown>;
      expect(JSON.stringify(parsed)).not.toContain('polluted');
      expect(Object.hasOwn(parsed, '__proto__')).toBe(false);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('keeps "__proto__" as a value', () => {
    expect(parseWebhookJson('{"text":"__proto__"}')).toEqual({ text: '__proto__' });
  });

  it.each(['', 'not json', '{"a":', '[1,2'])('reads a malformed body as undefined: %j', (raw) => {
    expect(parseWebhookJson(raw)).toBeUndefined();
  });
});
