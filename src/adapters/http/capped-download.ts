/**
 * GET of a file the platform holds for us (a photo a user sent), read at most `maxBytes`: a larger
 * Content-Length is refused before reading, and a body that grows past the cap is cut off. The URL may carry
 * a bot token (Telegram's file URLs do), so it is never put in an error message or a log.
 */
import { FileTooLargeError } from '../../core/registration/attachments.js';

export interface CappedDownloadOptions {
  maxBytes: number;
  timeoutMs?: number;
  /** What the error messages call the file (no URL: it may hold a token). */
  what?: string;
}

export async function downloadCapped(url: string, options: CappedDownloadOptions): Promise<Uint8Array> {
  const { maxBytes, timeoutMs = 20_000, what = 'file' } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      throw new Error(`${what} download failed: ${(err as Error).name}`);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`${what} download failed: HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new FileTooLargeError(maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new FileTooLargeError(maxBytes);
        }
        chunks.push(value);
      }
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof FileTooLargeError) throw err;
    if (controller.signal.aborted) throw new Error(`${what} download timed out`);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
