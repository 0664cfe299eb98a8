/**
 * The capped download of a user's file against a local HTTP server: a declared Content-Length over the cap is
 * refused before the body is read, a chunked body that grows past the cap is cut off, errors never carry the URL
 * (Telegram's file URLs hold the bot token).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadCapped } from '../../src/adapters/http/capped-download.js';
import { FileTooLargeError } from '../../src/core/registration/attachments.js';

const CAP = 10_000;
let server: Server;
let root: string;
/** How many bytes the chunked route wrote before the client went away. */
let chunkedWritten = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/small') {
      res.writeHead(200, { 'content-length': 5 });
      res.end(Buffer.from([1, 2, 3, 4, 5]));
    } else if (req.url === '/declared-large') {
      res.writeHead(200, { 'content-length': CAP + 1 });
      res.end(Buffer.alloc(CAP + 1));
    } else if (req.url === '/chunked') {
      // No Content-Length: 1 KB chunks until the client stops reading (at most 1 MB).
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      chunkedWritten = 0;
      const write = () => {
        if (res.destroyed || chunkedWritten >= 1024 * 1024) return res.end();
        chunkedWritten += 1024;
        res.write(Buffer.alloc(1024, 7), () => setImmediate(write));
      };
      write();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('downloadCapped', () => {
  it('gives the bytes of a file within the cap', async () => {
    expect([...(await downloadCapped(`${root}/small`, { maxBytes: CAP }))]).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a declared size over the cap', async () => {
    await expect(downloadCapped(`${root}/declared-large`, { maxBytes: CAP })).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('cuts off a body without a declared size once it passes the cap', async () => {
    await expect(downloadCapped(`${root}/chunked`, { maxBytes: CAP })).rejects.toBeInstanceOf(FileTooLargeError);
    // The server did send more than the cap: the refusal came from counting what arrived.
    await expect.poll(() => chunkedWritten).toBeGreaterThan(CAP);
  });

  it('names neither the URL nor its token in an error', async () => {
    const url = `${root}/file/bot123456:SECRET-token/photos/missing.jpg`;
    const err = await downloadCapped(url, { maxBytes: CAP, what: 'telegram file' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('telegram file download failed: HTTP 404');
    const refused = await downloadCapped('http://127.0.0.1:1/bot123456:SECRET-token/x', { maxBytes: CAP }).catch(
      (e: Error) => e,
    );
    expect((refused as Error).message).not.toContain('SECRET');
  });
});
