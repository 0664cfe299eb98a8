import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskSensitive } from '../src/logger.js';

describe('logger', () => {
  it.each([
    ['gọi 0912345678 nhé', '091***78'],
    ['sđt 0912 345 678', '091***78'],
    ['+84 912 345 678', '+84***78'],
    ['tel-0912.345.678', '091***78'],
    ['sđt0912345678', '091***78'],
  ])('masks phone numbers: %s', (input, masked) => {
    const out = maskSensitive(input) as string;
    expect(out).toContain(masked);
    expect(out.replace(/\D/g, '')).not.toContain('345');
  });

  it.each(['OCOP-CB-2026-000123', 'TB-2026-000001', 'update 912345678901'])(
    'leaves reference codes and other numbers readable: %s',
    (text) => {
      expect(maskSensitive(text)).toBe(text);
    },
  );

  it('redacts secret fields and token-like strings in a real log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      { apiKey: 'sk-abc', note: 'token 123456789:AAAbbbCCCdddEEEfffGGGhhh_iii', phone: '0987654321' },
      'event 0987654321',
    );
    const line = lines.join('');
    expect(line).not.toContain('sk-abc');
    expect(line).not.toContain('AAAbbbCCC');
    expect(line).not.toContain('0987654321');
    expect(line).toContain('[redacted]');
  });
});
