/**
 * The photo intake on its own, with the real memory stores and a platform that serves files from a map: which
 * photo is taken (only for a submission waiting for more, the newest one), the count per submission, and the
 * polite refusals when the platform says the file is too large or cannot give it.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBlobStore } from '../../../src/adapters/memory/memory-blob-store.js';
import { MemorySubmissionStore } from '../../../src/adapters/memory/memory-submission-store.js';
import { loadMessages } from '../../../src/adapters/files/load-files.js';
import { silentLogger } from '../../../src/core/logger.js';
import { format } from '../../../src/core/messages.js';
import { attachmentBlobKey, FileTooLargeError, type PhotoFetcher } from '../../../src/core/registration/attachments.js';
import { SubmissionPhotos } from '../../../src/core/registration/photos.js';
import { solidPng } from '../../support/images.js';
import { MARCH_5_2026, sampleForm } from '../../support/submissions.js';

const messages = loadMessages(new URL('../../../prompts', import.meta.url).pathname);

/** A platform holding files by id: a missing one fails, one named "huge" is over any cap. */
class FilePlatform implements PhotoFetcher {
  readonly files = new Map<string, Buffer>();
  async fetchPhoto(fileId: string, maxBytes: number): Promise<Uint8Array> {
    if (fileId === 'huge') throw new FileTooLargeError(maxBytes);
    const bytes = this.files.get(fileId);
    if (!bytes) throw new Error('file not found');
    return bytes;
  }
}

async function setUp(max = 2) {
  const submissions = new MemorySubmissionStore();
  const blobs = new MemoryBlobStore();
  const platform = new FilePlatform();
  const photos = new SubmissionPhotos({
    submissions,
    blobs,
    fetchers: { telegram: platform },
    messages,
    maxBytes: 1024 * 1024,
    maxPerSubmission: max,
    logger: silentLogger,
    now: () => MARCH_5_2026 + 100,
  });
  const create = async (key: string, at: number) =>
    (await submissions.create({ channel: 'telegram', userId: 'u1', form: sampleForm(), idempotencyKey: key, at }))
      .submission;
  return { submissions, blobs, platform, photos, create };
}

const photoMessage = (fileId: string, updateKey: string) => ({
  channel: 'telegram' as const,
  userId: 'u1',
  kind: 'photo' as const,
  photo: { fileId },
  updateKey,
});

describe('SubmissionPhotos', () => {
  it('takes no photo without a submission waiting for more, nor on a channel it cannot fetch from', async () => {
    const { photos, create, platform } = await setUp();
    platform.files.set('f1', solidPng(2, 2));
    expect(await photos.receive(photoMessage('f1', 'k1'))).toBeUndefined();
    await create('a', MARCH_5_2026);
    expect(await photos.receive(photoMessage('f1', 'k1'))).toBeUndefined();
    expect(await photos.receive({ ...photoMessage('f1', 'k1'), channel: 'zalo' })).toBeUndefined();
    expect(await photos.receive({ channel: 'telegram', userId: 'u1', text: 'xin chào' })).toBeUndefined();
  });

  it('attaches to the newest submission waiting for more, up to the count per submission', async () => {
    const { photos, create, submissions, blobs, platform } = await setUp(2);
    const older = await create('a', MARCH_5_2026);
    const newer = await create('b', MARCH_5_2026 + 10);
    for (const s of [older, newer])
      await submissions.changeStatus(s.id, { status: 'needs_info', by: 'admin', at: MARCH_5_2026 + 20 });
    for (const id of ['f1', 'f2', 'f3']) platform.files.set(id, solidPng(3, 3));
    expect(await photos.receive(photoMessage('f1', 'k1'))).toEqual([
      { text: format(messages.photo_replies.received, { code: newer.id, count: 1 }) },
    ]);
    expect(await photos.receive(photoMessage('f2', 'k2'))).toEqual([
      { text: format(messages.photo_replies.received, { code: newer.id, count: 2 }) },
    ]);
    expect(await photos.receive(photoMessage('f3', 'k3'))).toEqual([
      { text: format(messages.photo_replies.limit, { max: 2 }) },
    ]);
    const stored = (await submissions.get(newer.id))!;
    expect(stored.attachments?.map((a) => a.fileId)).toEqual(['f1', 'f2']);
    expect(stored.attachments?.[0]?.receivedAt).toBe(MARCH_5_2026 + 100);
    expect(await blobs.get(attachmentBlobKey(newer.id, stored.attachments![0]!.id))).toBeDefined();
    expect((await submissions.get(older.id))!.attachments).toBeUndefined();
    // The same update again: the same confirmation, nothing added.
    expect(await photos.receive(photoMessage('f1', 'k1'))).toEqual([
      { text: format(messages.photo_replies.received, { code: newer.id, count: 2 }) },
    ]);
  });

  it('answers politely when the platform says the file is too large or cannot give it', async () => {
    const { photos, create, submissions } = await setUp();
    const s = await create('a', MARCH_5_2026);
    await submissions.changeStatus(s.id, { status: 'needs_info', by: 'admin', at: MARCH_5_2026 + 1 });
    expect(await photos.receive(photoMessage('huge', 'k1'))).toEqual([
      { text: format(messages.photo_replies.too_large, { max: '1 MB' }) },
    ]);
    expect(await photos.receive(photoMessage('gone', 'k2'))).toEqual([{ text: messages.photo_replies.failed }]);
    expect((await submissions.get(s.id))!.attachments).toBeUndefined();
  });
});
