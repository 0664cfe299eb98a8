/**
 * Photos a producer sends for a submission: what is accepted (JPEG or PNG, by the file's own first bytes, under a
 * size cap), where the bytes are kept (a BlobStore: memory or Redis), and how a channel fetches a file from its
 * platform (a PhotoFetcher: Telegram getFile + download).
 */
import type { AttachmentMime } from './types.js';

/** The file's signature: JPEG starts FF D8 FF, PNG with its 8-byte signature. Undefined for anything else. */
export function sniffImage(bytes: Uint8Array): AttachmentMime | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

export type PhotoCheck =
  | { ok: true; mime: AttachmentMime }
  | { ok: false; reason: 'empty' | 'too_large' | 'not_image' };

/** Whether a received file is kept: not empty, at most maxBytes, and a JPEG or PNG by its bytes. */
export function checkPhoto(bytes: Uint8Array, maxBytes: number): PhotoCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large' };
  const mime = sniffImage(bytes);
  return mime ? { ok: true, mime } : { ok: false, reason: 'not_image' };
}

/** A file the platform says, or the download shows, is over the cap: it is not (further) downloaded. */
export class FileTooLargeError extends Error {
  override name = 'FileTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`file over ${maxBytes} bytes`);
  }
}

/** Downloads a file the user sent, from the channel's platform, by the platform's reference. */
export interface PhotoFetcher {
  /** Throws FileTooLargeError past maxBytes (without reading further), other errors when it cannot be fetched. */
  fetchPhoto(fileId: string, maxBytes: number): Promise<Uint8Array>;
}

/** Where attachment bytes live, by key ("<submission id>/<attachment id>"). */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
}

export const attachmentBlobKey = (submissionId: string, attachmentId: string) => `${submissionId}/${attachmentId}`;
