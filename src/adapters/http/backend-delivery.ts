/**
 * One delivery of a submission to the province's system of record (BACKEND_WEBHOOK_URL): a JSON POST with
 * `Idempotency-Key: <reference code>` and, when set, `Authorization: Bearer <token>`. The outbox decides when to
 * try and how often; this only says how one attempt went. Neither the token nor the URL's query is ever logged.
 */
import axios, { AxiosError } from 'axios';
import type { Submission } from '../../core/registration/types.js';

export interface BackendDeliveryOptions {
  url: string;
  token?: string;
  /** HTTP timeout per attempt (ms). */
  timeoutMs: number;
}

/** 2xx: delivered; another status: refused; no answer: failed, with the network error's code only. */
export type DeliveryResult = { ok: true; status: number } | { ok: false; status?: number; code?: string };

/** What the external system receives: the whole submission, field by field (nothing secret is in it). */
export function outboxPayload(s: Submission) {
  return {
    id: s.id,
    channel: s.channel,
    userId: s.userId,
    status: s.status,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    form: s.form,
    history: s.history,
  };
}

/** The URL as it may appear in logs: no credentials, no query, no fragment. */
export function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

export function createBackendDelivery({ url, token, timeoutMs }: BackendDeliveryOptions) {
  return async function deliver(submission: Submission): Promise<DeliveryResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': submission.id };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await axios.post(url, outboxPayload(submission), {
        headers,
        timeout: timeoutMs,
        maxRedirects: 0,
        validateStatus: () => true,
      });
      return res.status >= 200 && res.status < 300
        ? { ok: true, status: res.status }
        : { ok: false, status: res.status };
    } catch (err) {
      // Only the error code goes on: an axios error carries the request config, headers included.
      return { ok: false, code: err instanceof AxiosError ? (err.code ?? 'network_error') : 'request_failed' };
    }
  };
}
