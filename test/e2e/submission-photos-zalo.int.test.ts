/**
 * Photos for a submission over Zalo (the local Zalo Bot API server, polling), with the memory stores of a plain
 * `npm start` and the photos' bytes in a folder (ATTACHMENT_DIR): the image URL of `message.image.received` is downloaded (the fake server stands for Zalo's photo
 * CDN), checked, kept and attached, with its caption; the "Cần bổ sung" notice invites photos on Zalo too.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { format } from '../../src/core/messages.js';
import { attachmentBlobKey } from '../../src/core/registration/attachments.js';
import type { Submission } from '../../src/core/registration/types.js';
import { startFakeZaloServer, type FakeZaloServer } from '../fakes/fake-zalo-server.js';
import { app as makeApp } from '../support/app.js';
import { solidPng } from '../support/images.js';
import { sampleForm } from '../support/submissions.js';

const TOKEN = '2234567890:zalo-Photos-T0ken';
const PRODUCER = 'zalo-photo-producer';

describe('photos sent for a submission on Zalo (memory stores)', () => {
  let zalo: FakeZaloServer;
  let app: App;
  let submission: Submission;
  const image = solidPng(32, 24);
  const folder = mkdtempSync(join(tmpdir(), 'ocop-zalo-photos-'));

  async function answerTo(update: ReturnType<FakeZaloServer['makeUpdate']>): Promise<string> {
    const before = zalo.sentTo(PRODUCER).length;
    zalo.queueUpdate(update);
    await expect.poll(() => zalo.sentTo(PRODUCER).length, { timeout: 20_000 }).toBeGreaterThan(before);
    return zalo.sentTo(PRODUCER)[before]!.text;
  }

  beforeAll(async () => {
    zalo = await startFakeZaloServer({ token: TOKEN });
    app = makeApp({
      ZALO_BOT_TOKEN: TOKEN,
      ZALO_API_ROOT: zalo.apiRoot,
      FLOOD_MAX_MESSAGES: '1000',
      ATTACHMENT_DIR: folder,
    });
    await app.startChannels();
    ({ submission } = await app.submissions.create({
      channel: 'zalo',
      userId: PRODUCER,
      form: sampleForm(),
      idempotencyKey: 'zalo-photos',
      at: Date.now(),
    }));
  });

  afterAll(async () => {
    await app?.close();
    await zalo?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('an image before any request for more is not downloaded and gets the usual reply', async () => {
    const url = zalo.hostImage(image);
    expect(await answerTo(zalo.makeUpdate({ chatId: PRODUCER, kind: 'image', photoUrl: url }))).toBe(
      app.messages.non_text_replies.photo,
    );
    expect(zalo.imageDownloads).toEqual([]);
  });

  it('after "Cần bổ sung", the image with its caption is downloaded, kept and attached', async () => {
    const changed = (await app.submissions.changeStatus(submission.id, {
      status: 'needs_info',
      note: 'Cần ảnh sản phẩm',
      by: 'admin',
      at: Date.now(),
    }))!;
    const before = zalo.sentTo(PRODUCER).length;
    await app.notifyStatusChange(changed, changed.history.at(-1)!);
    expect(zalo.sentTo(PRODUCER)[before]?.text.endsWith(app.messages.photo_replies.invite)).toBe(true);

    const url = zalo.hostImage(image);
    const reply = await answerTo(
      zalo.makeUpdate({ chatId: PRODUCER, kind: 'image', photoUrl: url, text: 'Ảnh bao bì mới' }),
    );
    expect(reply).toBe(format(app.messages.photo_replies.received, { code: submission.id, count: 1 }));
    expect(zalo.imageDownloads).toEqual([new URL(url).pathname]);
    const stored = (await app.submissions.get(submission.id))!;
    expect(stored.attachments).toHaveLength(1);
    const attachment = stored.attachments![0]!;
    expect(attachment).toMatchObject({ channel: 'zalo', fileId: url, mime: 'image/png', caption: 'Ảnh bao bì mới' });
    const bytes = await app.blobs.get(attachmentBlobKey(submission.id, attachment.id));
    expect(Buffer.compare(bytes!, image)).toBe(0);
    expect(existsSync(join(folder, submission.id, attachment.id))).toBe(true);
  });

  it('an image URL that cannot be downloaded gets a polite "send it again"', async () => {
    const reply = await answerTo(
      zalo.makeUpdate({ chatId: PRODUCER, kind: 'image', photoUrl: `${zalo.apiRoot}/photos/missing.jpg` }),
    );
    expect(reply).toBe(app.messages.photo_replies.failed);
    expect((await app.submissions.get(submission.id))!.attachments).toHaveLength(1);
  });
});
