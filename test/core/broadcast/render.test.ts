import { describe, expect, it } from 'vitest';
import { loadMessages } from '../../../src/adapters/files/load-files.js';
import { parseConfig } from '../../../src/config.js';
import { framed, renderAnnouncement } from '../../../src/core/broadcast/types.js';
import { COMMANDS } from '../../../src/core/understanding/vocabulary.js';
import { fromPackageRoot } from '../../../src/paths.js';

const messages = loadMessages(fromPackageRoot('prompts'));

describe('an announcement as recipients read it', () => {
  it('starts with the sender line and ends, after the link, with how to stop the announcements', () => {
    const frame = { sender: 'Văn phòng Điều phối NTM tỉnh Cao Bằng', footer: messages.announcement_footer };
    const content = framed({ text: 'Hội chợ OCOP khai mạc ngày 15/12.', link: 'https://ocop.example/hoi-cho' }, frame);
    expect(renderAnnouncement(content)).toBe(
      [
        'Văn phòng Điều phối NTM tỉnh Cao Bằng',
        'Hội chợ OCOP khai mạc ngày 15/12.',
        'https://ocop.example/hoi-cho',
        'Muốn dừng nhận thông báo, bạn gõ "hủy nhận thông báo" (trên Telegram có thể bấm /huythongbao).',
      ].join('\n\n'),
    );
  });

  it('leaves out a blank sender line; without a frame it is the text and link only', () => {
    expect(renderAnnouncement(framed({ text: 'Tin mới.' }, { sender: '  ', footer: 'Gõ "hủy".' }))).toBe(
      'Tin mới.\n\nGõ "hủy".',
    );
    expect(renderAnnouncement({ text: 'Tin mới.', link: 'https://x.example' })).toBe('Tin mới.\n\nhttps://x.example');
  });

  it("names in its footer the words and the Telegram command the bot reads as 'stop the announcements'", () => {
    // "hủy nhận thông báo" → unsubscribe is pinned in test/core/understanding/reading.test.ts.
    expect(messages.announcement_footer).toContain('"hủy nhận thông báo"');
    const command = /\/[a-z]+/.exec(messages.announcement_footer)![0];
    expect(COMMANDS[command]).toBe('unsubscribe');
  });

  it('names the sender by default from ANNOUNCEMENT_SENDER', () => {
    expect(parseConfig({}).ANNOUNCEMENT_SENDER).toBe('Văn phòng Điều phối NTM tỉnh Cao Bằng');
    expect(parseConfig({ ANNOUNCEMENT_SENDER: 'UBND xã Quảng Lâm' }).ANNOUNCEMENT_SENDER).toBe('UBND xã Quảng Lâm');
  });
});
