import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, maskSensitive } from '../src/logger.js';
import { createHttpServer } from '../src/server/http-server.js';
import { app as makeApp } from './support/app.js';

/** A real pino logger writing into memory, and its lines as JSON. */
function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _e, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { logger: createLogger(level, sink), lines, text: () => lines.join('\n') };
}

describe('maskSensitive', () => {
  it.each([
    ['gọi 0912345678 nhé', 'gọi *** nhé'],
    ['sđt 0912  345  678', 'sđt ***'],
    ['(+84) 912 345 678', '***'],
    ['tel-0912.345.678', 'tel-***'],
    ['sđt0912345678', 'sđt***'],
    ['thư hoa.nguyen@gmail.com', 'thư ***'],
  ])('masks strings with the one masker: %s', (input, masked) => {
    expect(maskSensitive(input)).toBe(masked);
  });

  it.each(['OCOP-CB-2026-000123', 'TB-2026-000001', 'ngày 16/6/2025', 'giai đoạn 2021-2025'])(
    'leaves reference codes, dates and periods readable: %s',
    (text) => {
      expect(maskSensitive(text)).toBe(text);
    },
  );

  it('masks every level of nesting, and cuts what is too deep instead of logging it raw', () => {
    let deep: Record<string, unknown> = { phone: '0912345678' };
    for (let i = 0; i < 12; i++) deep = { next: deep, note: `gọi 0987 654 ${String(300 + i)}` };
    const out = JSON.stringify(maskSensitive(deep));
    expect(out).not.toMatch(/0912|0987|654/);
    expect(out).toContain('[nested]');
  });
});

describe('createLogger (pino into memory)', () => {
  it('masks a phone number in the message, in a nested field and in an error message', () => {
    const { logger, text } = memoryLogger();
    logger.info({ user: { profile: { contact: ['sđt 0912.345.678'] } } }, 'khách gọi 0987654321');
    logger.error({ err: new Error('send failed for +84 912 345 678') }, 'update failed');
    logger.warn({ err: 'không gửi được tới hoa.nguyen@gmail.com' }, 'outbox');
    const out = text();
    expect(out).not.toMatch(/0912|0987|912 345|hoa\.nguyen|@gmail/);
    expect(out).toContain('khách gọi ***');
    expect(out).toContain('sđt ***');
    expect(out).toContain('send failed for ***');
  });

  it('masks an Error logged on its own, which pino would otherwise print as it is', () => {
    const { logger, text } = memoryLogger();
    (logger as unknown as { error(e: Error): void }).error(new Error('gọi 0912345678'));
    expect(text()).toContain('gọi ***');
    expect(text()).not.toContain('0912345678');
  });

  it('masks child bindings and interpolated arguments', () => {
    const { logger, text } = memoryLogger();
    const child = logger.child({ component: 'inbox' }).child({ caller: '0912345678' });
    (child as unknown as { info(o: object, m: string, a: string): void }).info({}, 'gọi %s', '0987654321');
    expect(JSON.parse(text())).toMatchObject({ component: 'inbox', caller: '***', msg: 'gọi ***' });
  });

  it('redacts secret fields and the secret half of bot tokens', () => {
    const { logger, text } = memoryLogger('info');
    logger.info(
      { apiKey: 'sk-abc', note: 'token 123456789:AAAbbbCCCdddEEEfffGGGhhh_iii', phone: '0987654321' },
      'event 0987654321',
    );
    const line = text();
    expect(line).not.toContain('sk-abc');
    expect(line).not.toContain('AAAbbbCCC');
    expect(line).not.toContain('0987654321');
    expect(line).toContain('[redacted]');
    expect(line).toContain('123456789:***');
  });

  it('logs URL fields without their query string', () => {
    const { logger, text } = memoryLogger();
    logger.info({ url: '/api/chat?access_token=Abc123Secret&phone=0912345678', target: 'https://h.vn/x?k=v' }, 'req');
    const line = JSON.parse(text()) as { url: string; target: string };
    expect(line.url).toBe('/api/chat');
    expect(line.target).toBe('https://h.vn/x');
  });
});

describe('the HTTP error handler logs', () => {
  const app = makeApp();
  afterAll(() => app.close());

  it('the path of a refused request, never its query string', async () => {
    const { logger, lines } = memoryLogger();
    const server = createHttpServer(app, logger);
    const res = await server.inject({
      method: 'POST',
      url: '/api/chat?access_token=QueryS3cretValue&sdt=0912345678',
      headers: { 'content-type': 'application/json' },
      payload: '{"userId": "u1", "text": ',
    });
    expect(res.statusCode).toBe(400);
    const refused = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request refused');
    expect(refused).toMatchObject({ path: '/api/chat', status: 400 });
    const all = lines.join('\n');
    expect(all).not.toContain('?');
    expect(all).not.toContain('QueryS3cretValue');
    expect(all).not.toContain('0912345678');
    await server.close();
  });
});
