/**
 * Named officers through the HTTP API (real server, real Redis): sign-in with a password, the session cookie and
 * its CSRF token, a commune officer kept to their communes (list, detail, CSV, status change, announcements),
 * account management for provincial officers only, and the author named in every change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { registerAdminApi } from '../../src/server/admin-api.js';
import { hashPassword } from '../../src/core/officer/accounts.js';
import { loadMessages } from '../../src/adapters/files/load-files.js';
import { fromPackageRoot } from '../../src/paths.js';
import { MemorySubmissionStore } from '../../src/adapters/memory/memory-submission-store.js';
import { MemoryAccountStore, MemorySessionStore } from '../../src/adapters/memory/memory-account-store.js';
import type { App } from '../../src/app.js';
import { createHttpServer } from '../../src/server/http-server.js';
import { app as makeApp, dropPrefix, TEST_REDIS_URL, uniquePrefix } from '../support/app.js';
import { capturedLines, testLogger } from '../support/log-capture.js';
import { MARCH_5_2026, sampleForm } from '../support/submissions.js';
import { solidPng } from '../support/images.js';
import { attachmentBlobKey } from '../../src/core/registration/attachments.js';

const TOKEN = 'token-for-officer-account-tests';
const MAX_FAILED = 5;

describe('named officer accounts', () => {
  const prefix = uniquePrefix('officers');
  let ctx: { app: App; server: FastifyInstance; url: string };
  let quangLam: string;
  let thucPhan: string;

  beforeAll(async () => {
    const app = makeApp({
      ADMIN_TOKEN: TOKEN,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      BROADCAST_WORKERS: 'false',
      ADMIN_MAX_FAILED_SIGNINS: String(MAX_FAILED),
      // X-Forwarded-For names the client in the counting test; X-Forwarded-Proto the scheme.
      TRUST_PROXY: 'true',
    });
    const server = createHttpServer(app, testLogger());
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    ctx = { app, server, url };
    quangLam = (
      await app.submissions.create({
        channel: 'telegram',
        userId: 'u1',
        form: sampleForm({ commune: 'Xã Quảng Lâm' }),
        idempotencyKey: 'ql',
        at: MARCH_5_2026,
      })
    ).submission.id;
    thucPhan = (
      await app.submissions.create({
        channel: 'zalo',
        userId: 'u2',
        form: sampleForm({ commune: 'Phường Thục Phán', productName: 'Trà hoa vàng' }),
        idempotencyKey: 'tp',
        at: MARCH_5_2026 + 1000,
      })
    ).submission.id;
    // The first provincial account is created with the token.
    expect(
      (
        await create(admin, {
          username: 'tinh',
          displayName: 'Hoàng Thị Mai',
          password: 'mat-khau-tinh-2026',
          role: 'province',
        })
      ).status,
    ).toBe(201);
    province = await session('tinh', 'mat-khau-tinh-2026');
    const res = await create(province, {
      username: 'quanglam',
      displayName: 'Nông Văn Minh',
      password: 'mat-khau-xa-2026',
      role: 'commune',
      communes: ['Xã Quảng Lâm'],
    });
    expect(res.status).toBe(201);
    commune = await session('quanglam', 'mat-khau-xa-2026');
  });
  afterAll(async () => {
    await ctx.server.close();
    await ctx.app.close();
    await dropPrefix(prefix);
  });

  interface Session {
    cookie?: string;
    csrf?: string;
    token?: string;
  }
  const call = (path: string, as: Session, init: RequestInit & { csrf?: string | null } = {}) =>
    fetch(`${ctx.url}/api/admin${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(as.token ? { authorization: `Bearer ${as.token}` } : {}),
        ...(as.cookie ? { cookie: as.cookie } : {}),
        ...(init.csrf === null ? {} : as.csrf || init.csrf ? { 'x-csrf-token': init.csrf ?? as.csrf! } : {}),
      },
    });
  const admin: Session = { token: TOKEN };

  async function signIn(username: string, password: string, from?: string): Promise<Response> {
    return fetch(`${ctx.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(from ? { 'x-forwarded-for': from } : {}) },
      body: JSON.stringify({ username, password }),
    });
  }
  async function session(username: string, password: string): Promise<Session> {
    const res = await signIn(username, password);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: setCookie.split(';')[0], csrf: body.csrfToken };
  }

  /** The first "campaigns" event of the console's live stream, read as the officer. */
  async function firstCampaignsEvent(as: Session): Promise<{ id: string }[]> {
    const stop = new AbortController();
    const res = await call('/broadcasts/events', as, { signal: stop.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the stream ended before a campaigns event');
        buffer += value;
        const event = buffer.split('\n\n').find((e) => e.startsWith('event: campaigns\n'));
        if (event) return (JSON.parse(event.slice(event.indexOf('data: ') + 6)) as { items: { id: string }[] }).items;
      }
    } finally {
      stop.abort();
    }
  }

  const create = (as: Session, body: object) => call('/accounts', as, { method: 'POST', body: JSON.stringify(body) });

  let province: Session;
  let commune: Session;

  it('sets an HttpOnly, SameSite=Strict cookie for the API only, and no password in any answer', async () => {
    const res = await signIn('quanglam', 'mat-khau-xa-2026');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ocop_officer_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/api\/admin/);
    // Plain HTTP here; behind a TLS proxy (X-Forwarded-Proto: https, trusted) the cookie is Secure.
    expect(cookie).not.toMatch(/Secure/i);
    const behindTls = await fetch(`${ctx.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'quanglam', password: 'mat-khau-xa-2026' }),
    });
    expect(behindTls.headers.get('set-cookie')).toMatch(/; Secure/i);
    const list = await (await call('/accounts', province)).text();
    expect(list).not.toMatch(/scrypt|passwordHash|mat-khau/);
    const me = await (await call('/session', commune)).json();
    expect(me).toMatchObject({ officer: { name: 'Nông Văn Minh', role: 'commune', communes: ['Xã Quảng Lâm'] } });
  });

  it('lets a commune officer list, open and export only their communes', async () => {
    const list = (await (await call('/submissions', commune)).json()) as { items: { id: string }[] };
    expect(list.items.map((s) => s.id)).toEqual([quangLam]);
    const other = await call(`/submissions?commune=${encodeURIComponent('Phường Thục Phán')}`, commune);
    expect(((await other.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await call(`/submissions/${quangLam}`, commune)).status).toBe(200);
    expect((await call(`/submissions/${thucPhan}`, commune)).status).toBe(404);
    const csv = await (await call('/submissions?format=csv', commune)).text();
    expect(csv).toContain(quangLam);
    expect(csv).not.toContain(thucPhan);
    expect(csv).not.toContain('Trà hoa vàng');
    // The province sees both.
    const all = (await (await call('/submissions', province)).json()) as { items: unknown[] };
    expect(all.items).toHaveLength(2);
    // The figures by status count the officer's communes only.
    type Stats = { submissionsByStatus: Record<string, number> };
    const counted = async (as: Session) =>
      Object.values(((await (await call('/stats', as)).json()) as Stats).submissionsByStatus).reduce((a, b) => a + b);
    expect(await counted(commune)).toBe(1);
    expect(await counted(province)).toBe(2);
  });

  it('serves a photo to the officer of its commune only', async () => {
    const png = solidPng(4, 4);
    for (const id of [quangLam, thucPhan]) {
      await ctx.app.blobs.put(attachmentBlobKey(id, 'p1'), png);
      await ctx.app.submissions.addAttachment(id, {
        id: 'p1',
        kind: 'photo',
        channel: 'telegram',
        fileId: 'f',
        mime: 'image/png',
        bytes: png.length,
        receivedAt: MARCH_5_2026,
      });
    }
    expect((await call(`/submissions/${quangLam}/attachments/p1`, commune)).status).toBe(200);
    expect((await call(`/submissions/${thucPhan}/attachments/p1`, commune)).status).toBe(404);
    expect((await call(`/submissions/${thucPhan}/attachments/p1`, province)).status).toBe(200);
  });

  it("refuses a commune officer's change to another commune's submission, and names the author of their own", async () => {
    const refused = await call(`/submissions/${thucPhan}`, commune, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'reviewing' }),
    });
    expect(refused.status).toBe(404);
    expect((await ctx.app.submissions.get(thucPhan))?.status).toBe('new');

    const changed = await call(`/submissions/${quangLam}`, commune, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'reviewing', note: 'Đang xem' }),
    });
    expect(changed.status).toBe(200);
    const byProvince = await call(`/submissions/${thucPhan}`, province, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'reviewing' }),
    });
    expect(byProvince.status).toBe(200);
    const byToken = await call(`/submissions/${thucPhan}`, admin, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'needs_info', note: 'Bổ sung ảnh' }),
    });
    expect(byToken.status).toBe(200);
    expect((await ctx.app.submissions.get(quangLam))?.history.at(-1)).toMatchObject({
      status: 'reviewing',
      by: 'Nông Văn Minh',
    });
    expect(
      (await ctx.app.submissions.get(thucPhan))?.history.filter((h) => h.by !== 'producer').map((h) => h.by),
    ).toEqual(['Hoàng Thị Mai', 'admin']);
  });

  it('refuses a state-changing request by cookie without the CSRF token (403), and changes nothing', async () => {
    for (const csrf of [null, 'not-the-token']) {
      const res = await call(`/submissions/${quangLam}`, commune, {
        method: 'PATCH',
        body: JSON.stringify({ status: 'needs_info' }),
        csrf,
      });
      expect(res.status).toBe(403);
    }
    expect(
      (await create({ cookie: province.cookie }, { username: 'x', displayName: 'X', password: 'y', role: 'province' }))
        .status,
    ).toBe(403);
    expect((await ctx.app.submissions.get(quangLam))?.status).toBe('reviewing');
    // Reading needs no CSRF token.
    expect((await call('/submissions', { cookie: commune.cookie })).status).toBe(200);
  });

  it('keeps a commune officer to announcements inside their communes', async () => {
    const announce = (segment: object | undefined, path = '/broadcasts/preview') =>
      call(path, commune, {
        method: 'POST',
        body: JSON.stringify({ text: 'Họp HTX', ...(segment ? { segment } : {}) }),
      });
    expect((await announce(undefined)).status).toBe(403);
    expect((await announce({ communes: [] })).status).toBe(403);
    expect((await announce({ communes: ['Phường Thục Phán'] })).status).toBe(403);
    expect((await announce({ communes: ['Xã Quảng Lâm', 'Phường Thục Phán'] })).status).toBe(403);
    expect((await announce({ communes: ['Phường Thục Phán'] }, '/broadcasts')).status).toBe(403);
    expect((await announce({ communes: ['Xã Quảng Lâm'] })).status).toBe(200);
    const sendAt = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString();
    const created = await call('/broadcasts', commune, {
      method: 'POST',
      body: JSON.stringify({ text: 'Họp HTX', sendAt, segment: { communes: ['Xã Quảng Lâm'] } }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const campaign = JSON.parse((await ctx.app.redis!.hget(`${prefix}:bc:${id}`, 'campaign')) ?? '{}') as {
      createdBy?: string;
    };
    expect(campaign.createdBy).toBe('Nông Văn Minh');
    const report = (await (await call(`/broadcasts/${id}`, commune)).json()) as { createdBy?: string };
    expect(report.createdBy).toBe('Nông Văn Minh');
    // The province's campaign to the whole province is not the commune officer's to see or cancel.
    const wide = await call('/broadcasts', province, {
      method: 'POST',
      body: JSON.stringify({ text: 'Toàn tỉnh', sendAt }),
    });
    expect(wide.status).toBe(201);
    const wideId = ((await wide.json()) as { id: string }).id;
    expect((await call(`/broadcasts/${wideId}`, commune)).status).toBe(404);
    expect((await call(`/broadcasts/${wideId}/cancel`, commune, { method: 'POST' })).status).toBe(404);
    const listed = (await (await call('/broadcasts', commune)).json()) as { items: { id: string }[] };
    expect(listed.items.map((c) => c.id)).toEqual([id]);
    // The live stream by cookie lists the same campaigns as the list, and the province's stream both.
    expect((await firstCampaignsEvent(commune)).map((c) => c.id)).toEqual([id]);
    expect((await firstCampaignsEvent(province)).map((c) => c.id).sort()).toEqual([id, wideId].sort());
    const meta = (await (await call('/meta', commune)).json()) as { communes: string[] };
    expect(meta.communes).toEqual(['Xã Quảng Lâm']);
  });

  it('lets only provincial officers manage accounts; disabling or a new password ends sessions', async () => {
    expect((await call('/accounts', commune)).status).toBe(403);
    const me = ((await (await call('/session', province)).json()) as { officer: { id: string } }).officer;
    const selfDisable = await call(`/accounts/${me.id}`, province, {
      method: 'PATCH',
      body: JSON.stringify({ disabled: true }),
    });
    expect(selfDisable.status).toBe(409);
    expect((await call('/submissions', province)).status).toBe(200);
    expect(
      (
        await create(commune, {
          username: 'xa2',
          displayName: 'Xã Hai',
          password: 'mat-khau-xa-2026',
          role: 'province',
        })
      ).status,
    ).toBe(403);
    // Bad input: polite 400s naming the fields, a taken username 409.
    const bad = await create(province, { username: 'A B', displayName: 'producer', password: 'ngan', role: 'commune' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fields: string[] }).fields.sort()).toEqual([
      'communes',
      'displayName',
      'password',
      'username',
    ]);
    const noCommune = await create(province, {
      username: 'xa3',
      displayName: 'Xã Ba',
      password: 'mat-khau-xa-2026',
      role: 'commune',
      communes: ['Xã Không Có'],
    });
    expect(noCommune.status).toBe(400);
    const taken = await create(province, {
      username: 'quanglam',
      displayName: 'Khác',
      password: 'mat-khau-xa-2026',
      role: 'province',
    });
    expect(taken.status).toBe(409);

    const created = await create(province, {
      username: 'thucphan',
      displayName: 'Bế Văn Tú',
      password: 'mat-khau-phuong-1',
      role: 'commune',
      communes: ['Phường Thục Phán'],
    });
    const { id } = (await created.json()) as { id: string };
    const tu = await session('thucphan', 'mat-khau-phuong-1');
    expect((await call('/submissions', tu)).status).toBe(200);
    const reset = await call(`/accounts/${id}`, province, {
      method: 'PATCH',
      body: JSON.stringify({ password: 'mat-khau-moi-2026' }),
    });
    expect(reset.status).toBe(200);
    expect((await call('/submissions', tu)).status).toBe(401);
    expect((await signIn('thucphan', 'mat-khau-phuong-1')).status).toBe(401);
    const again = await session('thucphan', 'mat-khau-moi-2026');
    const disabled = await call(`/accounts/${id}`, province, {
      method: 'PATCH',
      body: JSON.stringify({ disabled: true }),
    });
    expect(((await disabled.json()) as { disabled: boolean; updatedBy: string }).updatedBy).toBe('Hoàng Thị Mai');
    expect((await call('/submissions', again)).status).toBe(401);
    expect((await signIn('thucphan', 'mat-khau-moi-2026')).status).toBe(401);
  });

  it('signs out: the session is gone server-side, the cookie cleared', async () => {
    const s = await session('quanglam', 'mat-khau-xa-2026');
    const out = await call('/session', s, { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/ocop_officer_session=;/);
    expect((await call('/submissions', s)).status).toBe(401);
  });

  it('counts wrong passwords: 401 each, then 429 even for the right password', async () => {
    await create(admin, { username: 'dem', displayName: 'Đếm Thử', password: 'mat-khau-dung-1', role: 'province' });
    const from = '203.0.113.9';
    for (let i = 0; i < MAX_FAILED - 1; i++) expect((await signIn('dem', 'sai-mat-khau-1', from)).status).toBe(401);
    expect((await signIn('nobody-here', 'sai-mat-khau-1', from)).status).toBe(401);
    expect((await signIn('dem', 'sai-mat-khau-1', from)).status).toBe(429);
    expect((await signIn('dem', 'mat-khau-dung-1', '198.51.100.7')).status).toBe(429);
    // The token still works for automation.
    expect((await call('/submissions', admin)).status).toBe(200);
  });

  it('never logs a password, a session id or a CSRF token, and logs who signed in by account id only', async () => {
    const s = await session('quanglam', 'mat-khau-xa-2026');
    const log = capturedLines().join('\n');
    expect(log).toContain('officer signed in');
    expect(log).toContain('officer sign-in refused');
    for (const secret of ['mat-khau', 'sai-mat-khau', s.cookie!.split('=')[1]!, s.csrf!, 'scrypt$', TOKEN]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('officer sessions over time (injected clock)', () => {
  it('ends a session after its lifetime, with the cookie lasting as long', async () => {
    let now = MARCH_5_2026;
    const accounts = new MemoryAccountStore();
    await accounts.create({
      id: 'p1',
      displayName: 'Hoàng Thị Mai',
      username: 'tinh',
      role: 'province',
      communes: [],
      disabled: false,
      passwordHash: await hashPassword('mat-khau-tinh-2026'),
      credentialVersion: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: 'admin',
      updatedBy: 'admin',
    });
    const server = Fastify({ logger: false });
    registerAdminApi(server, {
      store: new MemorySubmissionStore(),
      messages: loadMessages(fromPackageRoot('prompts')),
      logger: testLogger(),
      accounts: {
        store: accounts,
        sessions: new MemorySessionStore(() => now),
        communes: ['Xã Quảng Lâm'],
        sessionTtlMs: 60_000,
        now: () => now,
      },
    });
    try {
      const signIn = await server.inject({
        method: 'POST',
        url: '/api/admin/session',
        payload: { username: 'TINH ', password: 'mat-khau-tinh-2026' },
      });
      expect(signIn.statusCode).toBe(200);
      expect(signIn.headers['set-cookie']).toMatch(/Max-Age=60;/);
      const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
      const list = () => server.inject({ method: 'GET', url: '/api/admin/submissions', headers: { cookie } });
      now += 59_999;
      expect((await list()).statusCode).toBe(200);
      now += 1;
      expect((await list()).statusCode).toBe(401);
    } finally {
      await server.close();
    }
  });
});
