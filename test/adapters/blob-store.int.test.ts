/** One contract for the attachment bytes, in memory and in a real Redis: binary-exact, by key, no cross-talk. */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileBlobStore } from '../../src/adapters/files/file-blob-store.js';
import { MemoryBlobStore } from '../../src/adapters/memory/memory-blob-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisBlobStore } from '../../src/adapters/redis/redis-blob-store.js';
import { attachmentBlobKey, type BlobStore } from '../../src/core/registration/attachments.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { solidPng } from '../support/images.js';

const clients: Redis[] = [];
const prefixes: string[] = [];
const folders: string[] = [];
const newFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocop-blobs-'));
  folders.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

const implementations: [string, () => BlobStore][] = [
  ['memory', () => new MemoryBlobStore()],
  ['folder', () => new FileBlobStore(newFolder())],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('blobs');
      prefixes.push(prefix);
      const client = new Redis(TEST_REDIS_URL);
      clients.push(client);
      return new RedisBlobStore(client, createKeys(prefix));
    },
  ],
];

describe.each(implementations)('blob store (%s)', (_name, make) => {
  it('gives back exactly the bytes stored, every byte value included, per key', async () => {
    const store = make();
    const png = solidPng(40, 30);
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await store.put(attachmentBlobKey('OCOP-CB-2026-000001', 'a'), png);
    await store.put(attachmentBlobKey('OCOP-CB-2026-000001', 'b'), every);
    expect(Buffer.compare((await store.get(attachmentBlobKey('OCOP-CB-2026-000001', 'a')))!, png)).toBe(0);
    expect(Buffer.compare((await store.get(attachmentBlobKey('OCOP-CB-2026-000001', 'b')))!, every)).toBe(0);
    expect(await store.get(attachmentBlobKey('OCOP-CB-2026-000002', 'a'))).toBeUndefined();
  });
});

describe('blob store (folder)', () => {
  it('keeps the bytes across instances (a restart), leaves no temporary file, and refuses keys that climb out', async () => {
    const dir = newFolder();
    const png = solidPng(8, 8);
    await new FileBlobStore(dir).put('OCOP-CB-2026-000007/p1', png);
    const reopened = new FileBlobStore(dir);
    expect(Buffer.compare((await reopened.get('OCOP-CB-2026-000007/p1'))!, png)).toBe(0);
    expect(readdirSync(join(dir, 'OCOP-CB-2026-000007'))).toEqual(['p1']);
    await expect(reopened.put('../outside/p1', png)).rejects.toThrow(/blob key/);
    await expect(reopened.get('OCOP-CB-2026-000007/../../etc')).rejects.toThrow(/blob key/);
    expect(readdirSync(dir)).toEqual(['OCOP-CB-2026-000007']);
  });
});
