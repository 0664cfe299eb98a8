/**
 * Attachment bytes in Redis, one binary string per attachment, no TTL (they belong to a submission, which is kept).
 * Redis strings are binary-safe, so no base64; the size cap (ATTACHMENT_MAX_BYTES) and the count per submission
 * (ATTACHMENT_MAX_PER_SUBMISSION) bound the memory they take.
 */
import type { Redis } from 'ioredis';
import type { BlobStore } from '../../core/registration/attachments.js';
import type { Keys } from './keys.js';

export class RedisBlobStore implements BlobStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    await this.redis.set(this.keys.attachmentBlob(key), Buffer.from(bytes));
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(this.keys.attachmentBlob(key))) ?? undefined;
  }
}
