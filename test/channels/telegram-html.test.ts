/** Telegram's HTML text: sources as short named links, everything else escaped (read back as Telegram would). */
import { describe, expect, it } from 'vitest';
import { toTelegramHtml } from '../../src/channels/telegram/telegram-html.js';
import { parseTelegramHtml } from '../fakes/fake-telegram-server.js';

describe('toTelegramHtml', () => {
  it('turns each source line into a named link and keeps the rest as typed', () => {
    const text = [
      'Giấy chứng nhận có giá trị 36 tháng <kể từ ngày cấp> & được gia hạn.',
      '',
      'Nguồn: Quyết định 148/QĐ-TTg (24/02/2023) — https://vanban.chinhphu.vn/?pageid=27160&docid=207443',
      'Nguồn: Sổ tay OCOP (2022)',
    ].join('\n');
    const html = toTelegramHtml(text, 'Nguồn');
    expect(html).toContain(
      'Nguồn: <a href="https://vanban.chinhphu.vn/?pageid=27160&amp;docid=207443">Quyết định 148/QĐ-TTg (24/02/2023)</a>',
    );
    const seen = parseTelegramHtml(html);
    expect(seen.text).toBe(
      [
        'Giấy chứng nhận có giá trị 36 tháng <kể từ ngày cấp> & được gia hạn.',
        '',
        'Nguồn: Quyết định 148/QĐ-TTg (24/02/2023)',
        'Nguồn: Sổ tay OCOP (2022)',
      ].join('\n'),
    );
    expect(seen.links).toEqual([
      { text: 'Quyết định 148/QĐ-TTg (24/02/2023)', url: 'https://vanban.chinhphu.vn/?pageid=27160&docid=207443' },
    ]);
  });

  it.each([
    'a <script>x</script>',
    'Nguồn: <b>x</b> — https://a.vn/"><i>',
    'ba & bốn < năm',
    '<a href="https://x.vn">không đóng',
  ])('leaves no markup of its own in %j', (text) => {
    const seen = parseTelegramHtml(toTelegramHtml(text, 'Nguồn'));
    expect(seen.text.replace(/ — \S+$/, '')).toBe(text.replace(/ — \S+$/, ''));
  });
});

describe('the fake Telegram server reads HTML as Telegram does', () => {
  it.each(['<script>x</script>', 'a < b', 'a & b', '<b>open', '<b>x</i>'])('refuses %j', (html) => {
    expect(() => parseTelegramHtml(html)).toThrow(/can't parse entities/);
  });
});
