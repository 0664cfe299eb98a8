/** What a photo sent for a submission must be: a JPEG or PNG by its own bytes, not empty, under the size cap. */
import { describe, expect, it } from 'vitest';
import { checkPhoto, sniffImage } from '../../../src/core/registration/attachments.js';
import { readableSize } from '../../../src/core/registration/photos.js';
import { applyAttachment, type Attachment, type Submission } from '../../../src/core/registration/types.js';
import { jpegHead, solidPng } from '../../support/images.js';
import { MARCH_5_2026, sampleForm } from '../../support/submissions.js';

const MB = 1024 * 1024;

describe('sniffImage', () => {
  it.each([
    ['a PNG', solidPng(4, 3), 'image/png'],
    ['a JPEG', jpegHead(), 'image/jpeg'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), undefined],
    ['a WebP', Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'), undefined],
    ['a PDF', Buffer.from('%PDF-1.7\n', 'latin1'), undefined],
    ['an HTML page', Buffer.from('<html><script>alert(1)</script>'), undefined],
    ['a PNG signature cut short', solidPng(1, 1).subarray(0, 7), undefined],
    ['two JPEG bytes', Buffer.from([0xff, 0xd8]), undefined],
    ['nothing', Buffer.alloc(0), undefined],
  ])('%s is %s', (_name, bytes, mime) => {
    expect(sniffImage(bytes)).toBe(mime);
  });

  it('reads the bytes, not a name: a PNG is a PNG whatever it claims to be', () => {
    const png = solidPng(2, 2);
    expect(checkPhoto(png, MB)).toEqual({ ok: true, mime: 'image/png' });
  });
});

describe('checkPhoto size limit', () => {
  const cap = 1000;
  it('accepts a photo of exactly the cap and refuses one byte more', () => {
    expect(checkPhoto(jpegHead(cap), cap)).toEqual({ ok: true, mime: 'image/jpeg' });
    expect(checkPhoto(jpegHead(cap + 1), cap)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('refuses an empty file and a file that is not an image', () => {
    expect(checkPhoto(Buffer.alloc(0), cap)).toEqual({ ok: false, reason: 'empty' });
    expect(checkPhoto(Buffer.from('not an image at all'), cap)).toEqual({ ok: false, reason: 'not_image' });
  });

  it('checks the size before the kind: a large non-image is too large', () => {
    expect(checkPhoto(Buffer.alloc(cap + 1, 0x41), cap)).toEqual({ ok: false, reason: 'too_large' });
  });
});

describe('applyAttachment', () => {
  const submission: Submission = {
    id: 'OCOP-CB-2026-000001',
    channel: 'telegram',
    userId: '1',
    form: sampleForm(),
    status: 'needs_info',
    createdAt: MARCH_5_2026,
    updatedAt: MARCH_5_2026 + 10,
    history: [
      { at: MARCH_5_2026, status: 'new', by: 'producer' },
      { at: MARCH_5_2026 + 10, status: 'needs_info', by: 'admin', note: 'Cần ảnh sản phẩm' },
    ],
  };
  const photo: Attachment = {
    id: 'a1',
    kind: 'photo',
    channel: 'telegram',
    fileId: 'f1',
    mime: 'image/png',
    bytes: 120,
    receivedAt: MARCH_5_2026 + 20,
  };

  it('adds the photo and a history line by the producer, the status unchanged', () => {
    const next = applyAttachment(submission, photo);
    expect(next.attachments).toEqual([photo]);
    expect(next.status).toBe('needs_info');
    expect(next.updatedAt).toBe(MARCH_5_2026 + 20);
    expect(next.history.at(-1)).toEqual({
      at: MARCH_5_2026 + 20,
      status: 'needs_info',
      by: 'producer',
      event: 'photo',
      attachmentId: 'a1',
    });
  });

  it('adds the same attachment id once', () => {
    const once = applyAttachment(submission, photo);
    const twice = applyAttachment(once, { ...photo, receivedAt: MARCH_5_2026 + 30 });
    expect(twice).toEqual(once);
  });
});

describe('readableSize', () => {
  it.each([
    [5 * 1024 * 1024, '5 MB'],
    [1.5 * 1024 * 1024, '1,5 MB'],
    [20 * 1024, '20 KB'],
  ])('%d bytes read as %s', (bytes, text) => {
    expect(readableSize(bytes)).toBe(text);
  });
});
