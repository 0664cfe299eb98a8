/**
 * Officer commands in chat against the real app (Redis, the broadcaster without workers): officers compose an
 * announcement and see its progress; anyone else is refused.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import type { ChannelName } from '../../../src/core/conversation.js';
import { format } from '../../../src/core/messages.js';
import { app as makeApp, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../../support/app.js';

const prefix = uniquePrefix('officer');
let app: App;

afterAll(async () => {
  await app?.close();
  await dropPrefix(prefix);
});

describe('officer commands in chat', () => {
  const say = (text: string, userId: string, channel: ChannelName = 'telegram') =>
    app.engine.handle({ channel, userId, text, kind: 'text' }).then((r) => r.map((x) => x.text).join('\n'));

  it('refuses /thongbao and /tiendo to anyone not in OFFICER_IDS, and lets an officer announce to a commune', async () => {
    app = makeApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      OFFICER_IDS: 'telegram:900,zalo:can-bo-1',
      BROADCAST_WORKERS: 'false',
      BROADCAST_QUIET_HOURS: 'off',
    });
    const m = app.messages;
    for (const user of ['100', '901']) {
      expect(await say('/thongbao', user)).toBe(m.officer_only);
      expect(await say('/tiendo TB-2026-000001', user)).toBe(m.officer_only);
    }
    // The same id on another channel is someone else.
    expect(await say('/thongbao', '900', 'zalo')).toBe(m.officer_only);

    // Three producers opted in, two of them in Quảng Lâm.
    for (const [id, commune] of [
      ['1', 'Xã Quảng Lâm'],
      ['2', 'Xã Quảng Lâm'],
      ['3', 'Phường Thục Phán'],
    ] as const) {
      await app.subscribers.touch('zalo', id, { at: Date.now() });
      await app.subscribers.setOptIn('zalo', id, true);
      await app.subscribers.update('zalo', id, { commune });
    }
    expect(await say('/thongbao', '900')).toBe(m.officer_ask_text);
    expect(await say('Tập huấn làm hồ sơ OCOP sáng thứ Bảy tại UBND xã.', '900')).toBe(m.officer_ask_audience);
    expect(await say(m.officer_audience_communes, '900')).toBe(m.officer_ask_communes);
    expect(await say('quang lam, Đâu Đó', '900')).toBe(format(m.officer_unknown_communes, { names: 'Đâu Đó' }));
    const preview = await say('quang lam', '900');
    expect(preview).toContain(
      format(m.officer_preview, {
        count: 2,
        audience: format(m.officer_preview_communes, { communes: 'Xã Quảng Lâm' }),
        // As recipients will read it: the sender line (ANNOUNCEMENT_SENDER's default) and the footer.
        text: [
          'Văn phòng Điều phối NTM tỉnh Cao Bằng',
          'Tập huấn làm hồ sơ OCOP sáng thứ Bảy tại UBND xã.',
          m.announcement_footer,
        ].join('\n\n'),
      }),
    );
    const created = await say(m.officer_send, '900');
    const id = /TB-\d{4}-\d{6}/.exec(created)![0];
    expect(created).toBe(format(m.officer_created, { id, count: 2, later: '' }));
    const report = (await app.broadcaster!.report(id))!;
    expect(report).toMatchObject({ total: 2, segment: { communes: ['Xã Quảng Lâm'] } });
    const progress = await say(`/tiendo ${id.toLowerCase()}`, '900');
    expect(progress).toContain('Tổng 2');
    expect(progress).toContain('chưa rõ đã nhận 0');
    expect(await say('/tiendo TB-1999-000001', '900')).toBe(format(m.officer_not_found, { id: 'TB-1999-000001' }));
  });

  it('lets an officer cancel a draft announcement', async () => {
    const m = app.messages;
    await say('/thongbao', '900');
    await say('Nội dung thử', '900');
    expect(await say('hủy', '900')).toBe(m.officer_cancelled);
    // After cancelling, ordinary messages are ordinary again.
    expect(await say('mật ong thuộc nhóm nào', '900')).toContain('Nguồn:');
  });

  it('keeps a draft announcement in its own store in Redis: another process continues it, the cancel clears it', async () => {
    const m = app.messages;
    await say('/thongbao', '900');
    const key = `${prefix}:officer-draft:telegram:900`;
    const redis = app.redis!;
    expect(JSON.parse((await redis.get(key))!)).toEqual({ step: 'text' });
    const other = makeApp({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      OFFICER_IDS: 'telegram:900',
      BROADCAST_WORKERS: 'false',
    });
    try {
      const reply = await other.engine.handle({
        channel: 'telegram',
        userId: '900',
        text: 'Họp HTX chiều nay',
        kind: 'text',
      });
      expect(reply.map((r) => r.text).join('\n')).toBe(m.officer_ask_audience);
    } finally {
      await other.close();
    }
    expect(JSON.parse((await redis.get(key))!)).toEqual({ step: 'audience', text: 'Họp HTX chiều nay' });
    expect(await say('hủy', '900')).toBe(m.officer_cancelled);
    expect(await redis.exists(key)).toBe(0);
    // Nobody else's message ever touches the officer drafts.
    await say('/thongbao', '100');
    expect(await redis.exists(`${prefix}:officer-draft:telegram:100`)).toBe(0);
  });
});
