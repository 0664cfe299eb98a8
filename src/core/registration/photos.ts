/**
 * Photos a producer sends while an officer has asked for more ("Cần bổ sung"): fetched from the channel's
 * platform, checked (JPEG/PNG by their bytes, a size cap, a count per submission), kept in the blob store and
 * attached to the submission with its history line. A photo with no submission waiting for more is not ours:
 * `receive` gives undefined and the engine answers it as before.
 */
import { createHash } from 'node:crypto';
import type { ChannelName, InboundMessage, Reply } from '../conversation.js';
import type { Logger } from '../logger.js';
import { format, type Messages } from '../messages.js';
import { attachmentBlobKey, checkPhoto, FileTooLargeError, type BlobStore, type PhotoFetcher } from './attachments.js';
import { newestFirst, type Attachment, type SubmissionStore } from './types.js';

export interface SubmissionPhotosOptions {
  submissions: SubmissionStore;
  blobs: BlobStore;
  /** Per channel that can receive photos; set once the channels exist. */
  fetchers: Partial<Record<ChannelName, PhotoFetcher>>;
  messages: Messages;
  maxBytes: number;
  maxPerSubmission: number;
  logger: Logger;
  now?: () => number;
}

/** A stable id for the photo of one platform update (or file): a redelivered update attaches it once. */
function attachmentId(message: InboundMessage, fileId: string): string {
  return createHash('sha256')
    .update(`${message.channel}\n${message.updateKey ?? fileId}`)
    .digest('base64url')
    .slice(0, 16);
}

export class SubmissionPhotos {
  private readonly o: SubmissionPhotosOptions;

  constructor(options: SubmissionPhotosOptions) {
    this.o = options;
  }

  /** The photo's answer when it belongs to a submission waiting for more; undefined when it does not. */
  async receive(message: InboundMessage): Promise<Reply[] | undefined> {
    const photo = message.photo;
    if (!photo) return undefined;
    const fetcher = this.o.fetchers[message.channel];
    if (!fetcher) return undefined;
    const waiting = (await this.o.submissions.listByUser(message.channel, message.userId))
      .filter((s) => s.status === 'needs_info')
      .sort(newestFirst)[0];
    if (!waiting) return undefined;
    const { messages: m, maxBytes, maxPerSubmission } = this.o;
    const log = this.o.logger.child({ channel: message.channel, submission: waiting.id });
    const id = attachmentId(message, photo.fileId);
    const known = waiting.attachments ?? [];
    if (known.some((a) => a.id === id)) return [this.received(waiting.id, known.length)];
    if (known.length >= maxPerSubmission) return [{ text: format(m.photo_replies.limit, { max: maxPerSubmission }) }];
    const tooLarge = () => [{ text: format(m.photo_replies.too_large, { max: readableSize(maxBytes) }) }];
    let bytes: Uint8Array;
    try {
      bytes = await fetcher.fetchPhoto(photo.fileId, maxBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError) {
        log.info({ event: 'photo_refused', reason: 'too_large' }, 'photo refused');
        return tooLarge();
      }
      log.warn({ event: 'photo_fetch_failed', err: (err as Error).message }, 'photo could not be fetched');
      return [{ text: m.photo_replies.failed }];
    }
    const check = checkPhoto(bytes, maxBytes);
    if (!check.ok) {
      log.info({ event: 'photo_refused', reason: check.reason, bytes: bytes.length }, 'photo refused');
      return check.reason === 'too_large' ? tooLarge() : [{ text: m.photo_replies.not_image }];
    }
    const attachment: Attachment = {
      id,
      kind: 'photo',
      channel: message.channel,
      fileId: photo.fileId,
      mime: check.mime,
      bytes: bytes.length,
      receivedAt: (this.o.now ?? Date.now)(),
      ...(photo.caption?.trim() ? { caption: photo.caption.trim().slice(0, 1000) } : {}),
    };
    // Bytes first: an attachment listed on a submission always has them.
    await this.o.blobs.put(attachmentBlobKey(waiting.id, id), bytes);
    const updated = await this.o.submissions.addAttachment(waiting.id, attachment);
    if (!updated) return undefined;
    log.info({ event: 'photo_attached', attachment: id, bytes: bytes.length, mime: check.mime }, 'photo attached');
    return [this.received(updated.id, updated.attachments?.length ?? 1)];
  }

  private received(code: string, count: number): Reply {
    return { text: format(this.o.messages.photo_replies.received, { code, count }) };
  }
}

/** The cap as people read it: 5242880 → "5 MB", 1572864 → "1,5 MB", 20480 → "20 KB" (Vietnamese decimal comma). */
export function readableSize(bytes: number): string {
  const MB = 1024 * 1024;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${String(Math.round((bytes / MB) * 10) / 10).replace('.', ',')} MB`;
}
