/** Attachment bytes in process memory: one process, lost on restart (like MemorySubmissionStore). */
import type { BlobStore } from '../../core/registration/attachments.js';

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.blobs.set(key, Buffer.from(bytes));
  }

  async get(key: string): Promise<Buffer | undefined> {
    const b = this.blobs.get(key);
    return b && Buffer.from(b);
  }
}
