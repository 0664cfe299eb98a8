/** Announcements on Telegram through grammY's API client, without request-path retries (the queue retries). */
import { Api, GrammyError } from 'grammy';
import {
  PermanentSendError,
  RateLimitedError,
  type AnnouncementSender,
  type SendResult,
} from '../../core/broadcast/sender.js';
import { renderAnnouncement, type AnnouncementContent } from '../../core/broadcast/types.js';
import { splitText } from '../render.js';

const CAPTION_LIMIT = 1024;

export function createTelegramSender(token: string, apiRoot?: string): AnnouncementSender {
  const api = new Api(token, apiRoot ? { apiRoot } : undefined);
  return {
    channel: 'telegram',
    async send(chatId: string, content: AnnouncementContent): Promise<SendResult> {
      const text = renderAnnouncement(content);
      try {
        if (content.imageUrl && text.length <= CAPTION_LIMIT)
          await api.sendPhoto(chatId, content.imageUrl, { caption: text });
        else {
          if (content.imageUrl) await api.sendPhoto(chatId, content.imageUrl);
          for (const piece of splitText(text, 4096))
            await api.sendMessage(chatId, piece, { link_preview_options: { is_disabled: !content.link } });
        }
        return { outcome: 'sent' };
      } catch (err) {
        if (err instanceof GrammyError) {
          if (err.error_code === 403) return { outcome: 'blocked', reason: err.description };
          if (err.error_code === 429) throw new RateLimitedError((err.parameters.retry_after ?? 1) * 1000);
          if (err.error_code < 500) throw new PermanentSendError(err.description);
        }
        throw err;
      }
    },
  };
}
