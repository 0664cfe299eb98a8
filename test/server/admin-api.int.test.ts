/**
 * The officers' API on a Fastify instance, with a memory and a Redis store: token check, list and filters,
 * detail, status changes (codes and Vietnamese labels), and the CSV export read back as Excel would.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { parse } from 'csv-parse/sync';
import { loadMessages } from '../../src/adapters/files/load-files.js';
import { MemorySubmissionStore } from '../../src/adapters/memory/memory-submission-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import { registerAdminApi } from '../../src/server/admin-api.js';
import type { Logger } from '../../src/core/logger.js';
import type { StatusChange, Submission, SubmissionStore } from '../../src/core/registration/types.js';
import { fromPackageRoot } from '../../src/paths.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { excelShows, readAsExcel } from '../support/excel-csv.js';
import { HOUR, MARCH_5_2026, sampleForm } from '../support/submissions.js';

const messages = loadMessages(fromPackageRoot('prompts'));
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

const clients: Redis[] = [];
const prefixes: string[] = [];
const servers: FastifyInstance[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

const stores: [string, () => SubmissionStore][] = [
  ['memory', () => new MemorySubmissionStore()],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('admin');
      prefixes.push(prefix);
      const redis = new Redis(TEST_REDIS_URL);
      clients.push(redis);
      return new RedisSubmissionStore(redis, createKeys(prefix));
    },
  ],
];

function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (obj: object, msg?: string) =>
    lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

interface Ctx {
  server: FastifyInstance;
  store: SubmissionStore;
  logs: string[];
  onStatusChanged: ReturnType<typeof vi.fn<(s: Submission, c: StatusChange) => Promise<boolean | undefined>>>;
  honey: Submission;
  tea: Submission;
  lateNight: Submission;
}

async function setup(make: () => SubmissionStore, adminToken: string | null = ADMIN_TOKEN): Promise<Ctx> {
  const store = make();
  const logs: string[] = [];
  const onStatusChanged = vi.fn<(s: Submission, c: StatusChange) => Promise<boolean | undefined>>(
    async () => undefined,
  );
  const server = Fastify({ logger: false });
  servers.push(server);
  registerAdminApi(server, {
    store,
    messages,
    logger: recordingLogger(logs),
    onStatusChanged,
    ...(adminToken ? { adminToken } : {}),
  });
  const honey = (
    await store.create({ channel: 'telegram', userId: 'u1', form: sampleForm(), idempotencyKey: 'h', at: MARCH_5_2026 })
  ).submission;
  const tea = (
    await store.create({
      channel: 'zalo',
      userId: 'u2',
      idempotencyKey: 't',
      at: MARCH_5_2026 + 2 * HOUR,
      form: sampleForm({
        ownerName: 'Hộ kinh doanh Bế Thị Lan',
        ownerType: 'household',
        hasBusinessRegistration: false,
        commune: 'Phường Thục Phán',
        productName: 'Trà hoa vàng',
        email: undefined,
        supportWanted: undefined,
        rawMaterialSource: 'partly_local',
        productGroup: { code: 'I.3.a', sector: 'Thực phẩm', group: 'Đồ uống', subgroup: 'Trà' },
      }),
    })
  ).submission;
  // 6 March 00:30 in Vietnam, still 5 March in UTC.
  const lateNight = (
    await store.create({
      channel: 'web',
      userId: 'w',
      form: sampleForm({
        productName: 'Miến dong',
        productGroup: { code: 'I.1.c', sector: 'Thực phẩm', group: 'Thực phẩm chế biến', subgroup: 'Miến' },
      }),
      idempotencyKey: 'l',
      at: Date.UTC(2026, 2, 5, 17, 30),
    })
  ).submission;
  return { server, store, logs, onStatusChanged, honey, tea, lateNight };
}

describe.each(stores)('admin API (%s store)', (_name, make) => {
  const list = async (ctx: Ctx, query = '') => {
    const res = await ctx.server.inject({ method: 'GET', url: `/api/admin/submissions${query}`, headers: auth });
    return { res, body: res.json<{ items: (Submission & { statusLabel: string })[]; fields?: string[] }>() };
  };

  it('refuses requests without the token, with a wrong one, and everything when no token is configured', async () => {
    const ctx = await setup(make);
    const urls = ['/api/admin/submissions', `/api/admin/submissions/${ctx.honey.id}`];
    for (const url of urls) {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-0123456789abcdef' },
        { authorization: ADMIN_TOKEN },
        { authorization: `Basic ${ADMIN_TOKEN}` },
      ]) {
        const res = await ctx.server.inject({ method: 'GET', url, headers });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ error: 'unauthorized' });
      }
    }
    const patch = await ctx.server.inject({
      method: 'PATCH',
      url: urls[1]!,
      headers: { authorization: 'Bearer nope' },
      payload: { status: 'reviewing' },
    });
    expect(patch.statusCode).toBe(401);
    expect((await ctx.store.get(ctx.honey.id))?.status).toBe('new');
    const refusals = ctx.logs.filter((l) => l.startsWith('warn'));
    expect(refusals.length).toBeGreaterThanOrEqual(9);
    expect(refusals[0]).toContain('"path":"/api/admin/submissions"');
    expect(refusals[0]).toContain('"ip"');
    expect(ctx.logs.join('\n')).not.toContain('wrong-token');
    expect(ctx.logs.join('\n')).not.toContain(ADMIN_TOKEN);

    const closed = await setup(make, null); // ADMIN_TOKEN unset
    for (const headers of [{}, auth, { authorization: 'Bearer ' }]) {
      const res = await closed.server.inject({ method: 'GET', url: '/api/admin/submissions', headers });
      expect(res.statusCode).toBe(401);
    }
  });

  it('lists submissions newest first with Vietnamese status labels, and filters them', async () => {
    const ctx = await setup(make);
    const { res, body } = await list(ctx);
    expect(res.statusCode).toBe(200);
    expect(body.items.map((i) => i.id)).toEqual([ctx.lateNight.id, ctx.tea.id, ctx.honey.id]);
    expect(body.items[2]).toMatchObject({ ...ctx.honey, statusLabel: 'Mới' });

    await ctx.store.changeStatus(ctx.tea.id, { status: 'reviewing', by: 'x', at: MARCH_5_2026 + 3 * HOUR });
    const ids = async (q: string) => (await list(ctx, q)).body.items.map((i) => i.id);
    expect((await list(ctx, '?status=reviewing')).body.items).toMatchObject([
      { id: ctx.tea.id, statusLabel: 'Đang xem xét' },
    ]);
    expect(await ids('?status=new')).toEqual([ctx.lateNight.id, ctx.honey.id]);
    expect(await ids(`?commune=${encodeURIComponent('Phường Thục Phán')}`)).toEqual([ctx.tea.id]);
    expect(await ids('?group=I.1')).toEqual([ctx.lateNight.id]);
    expect(await ids('?group=I')).toEqual([ctx.lateNight.id, ctx.tea.id, ctx.honey.id]);
    // Several communes or groups (as the console's ticked lists send them): any of them.
    const both = `commune=${encodeURIComponent('Phường Thục Phán')}&commune=${encodeURIComponent('Xã Quảng Lâm')}`;
    expect(await ids(`?${both}`)).toEqual([ctx.lateNight.id, ctx.tea.id, ctx.honey.id]);
    expect(
      await ids(`?commune=${encodeURIComponent('Phường Thục Phán')}&commune=${encodeURIComponent('Xã Hà Quảng')}`),
    ).toEqual([ctx.tea.id]);
    expect(await ids('?group=I.1&group=I.3')).toEqual([ctx.lateNight.id, ctx.tea.id]);
    expect(await ids(`?${both}&group=I.3&group=I.2.b`)).toEqual([ctx.tea.id, ctx.honey.id]);
    // Days are Vietnam days, `to` included.
    expect(await ids('?from=2026-03-05&to=2026-03-05')).toEqual([ctx.tea.id, ctx.honey.id]);
    expect(await ids('?from=2026-03-06')).toEqual([ctx.lateNight.id]);
    expect(await ids('?to=2026-03-04')).toEqual([]);
    expect(
      await ids(`?status=new&commune=${encodeURIComponent('Xã Quảng Lâm')}&from=2026-03-05&to=2026-03-05`),
    ).toEqual([ctx.honey.id]);
  });

  it('answers 400 naming the fields of an invalid query', async () => {
    const ctx = await setup(make);
    const bad = await list(ctx, '?status=done&from=2026-13-01&to=05/03/2026&format=xml');
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_query' });
    expect(bad.body.fields?.sort()).toEqual(['format', 'from', 'status', 'to']);
    expect((await list(ctx, '?from=2026-02-30')).body.fields).toEqual(['from']);
    expect((await list(ctx, '?from=2026-03-06&to=2026-03-05')).body.fields).toEqual(['from', 'to']);
  });

  it('shows one submission with its history; 404 for an unknown id', async () => {
    const ctx = await setup(make);
    const res = await ctx.server.inject({
      method: 'GET',
      url: `/api/admin/submissions/${ctx.honey.id}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...ctx.honey, statusLabel: 'Mới' });
    expect(res.json<Submission>().history).toHaveLength(1);
    const missing = await ctx.server.inject({
      method: 'GET',
      url: '/api/admin/submissions/OCOP-CB-2026-999999',
      headers: auth,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found' });
  });

  it('changes a status by code or Vietnamese label, records the note, and reports the change', async () => {
    const ctx = await setup(make);
    const url = `/api/admin/submissions/${ctx.honey.id}`;
    const patch = (payload: unknown, u = url) =>
      ctx.server.inject({ method: 'PATCH', url: u, headers: auth, payload: payload as object });
    const before = Date.now();
    const res = await patch({ status: 'đang xem xét' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: ctx.honey.id, status: 'reviewing', statusLabel: 'Đang xem xét' });
    const res2 = await patch({ status: 'can bo sung', note: 'Bổ sung ảnh nhãn sản phẩm' });
    expect(res2.json()).toMatchObject({ status: 'needs_info' });
    const res3 = await patch({ status: 'accepted', note: 'Đủ điều kiện' });
    const updated = res3.json<Submission>();
    expect(updated.history.map((h) => [h.status, h.note])).toEqual([
      ['new', undefined],
      ['reviewing', undefined],
      ['needs_info', 'Bổ sung ảnh nhãn sản phẩm'],
      ['accepted', 'Đủ điều kiện'],
    ]);
    expect(updated.history[3]!.at).toBeGreaterThanOrEqual(before);
    expect(updated.updatedAt).toBe(updated.history[3]!.at);
    expect(await ctx.store.get(ctx.honey.id)).toMatchObject({ status: 'accepted' });

    expect(ctx.onStatusChanged).toHaveBeenCalledTimes(3);
    const [submission, change] = ctx.onStatusChanged.mock.calls[2]!;
    expect(submission).toMatchObject({ id: ctx.honey.id, status: 'accepted' });
    expect(change).toMatchObject({ status: 'accepted', note: 'Đủ điều kiện' });

    // Final status: 409 with both ends, and no callback.
    const conflict = await patch({ status: 'Từ chối' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: 'invalid_transition', from: 'accepted', to: 'rejected' });
    expect(ctx.onStatusChanged).toHaveBeenCalledTimes(3);

    const unknown = await patch({ status: 'reviewing' }, '/api/admin/submissions/OCOP-CB-2026-999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found' });
  });

  it('answers 400 to a malformed body', async () => {
    const ctx = await setup(make);
    const url = `/api/admin/submissions/${ctx.tea.id}`;
    for (const payload of [
      {},
      { status: 'done' },
      { status: 42 },
      { status: 'reviewing', note: 'x'.repeat(1001) },
      { status: 'reviewing', note: 7 },
    ]) {
      const res = await ctx.server.inject({ method: 'PATCH', url, headers: auth, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 50)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_body' });
    }
    const notJson = await ctx.server.inject({
      method: 'PATCH',
      url,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"status":',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toEqual({ error: 'invalid_body' });
    expect((await ctx.store.get(ctx.tea.id))?.status).toBe('new');
    expect(ctx.onStatusChanged).not.toHaveBeenCalled();
  });

  it('keeps a status change when the follow-up callback fails', async () => {
    const ctx = await setup(make);
    ctx.onStatusChanged.mockRejectedValueOnce(new Error('telegram down'));
    const res = await ctx.server.inject({
      method: 'PATCH',
      url: `/api/admin/submissions/${ctx.tea.id}`,
      headers: auth,
      payload: { status: 'rejected', note: 'Trùng hồ sơ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', statusLabel: 'Từ chối', notified: false });
    expect(ctx.logs.some((l) => l.startsWith('error') && l.includes('telegram down'))).toBe(true);
  });

  it('reports whether the producer was told: true only when the follow-up says so', async () => {
    const ctx = await setup(make);
    const change = (id: string, status: string) =>
      ctx.server.inject({ method: 'PATCH', url: `/api/admin/submissions/${id}`, headers: auth, payload: { status } });
    ctx.onStatusChanged.mockResolvedValueOnce(true);
    expect((await change(ctx.tea.id, 'reviewing')).json()).toMatchObject({ channel: 'zalo', notified: true });
    ctx.onStatusChanged.mockResolvedValueOnce(false);
    expect((await change(ctx.lateNight.id, 'reviewing')).json()).toMatchObject({ channel: 'web', notified: false });
    expect((await change(ctx.honey.id, 'reviewing')).json()).toMatchObject({ channel: 'telegram', notified: false });
  });

  it('exports CSV for Excel: BOM, CRLF, Vietnamese headers and values, every form field', async () => {
    const ctx = await setup(make);
    await ctx.store.changeStatus(ctx.honey.id, {
      status: 'needs_info',
      note: 'Bổ sung ảnh',
      by: 'x',
      at: MARCH_5_2026 + HOUR,
    });
    const res = await ctx.server.inject({
      method: 'GET',
      url: '/api/admin/submissions?format=csv&to=2026-03-05',
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="ocop-dang-ky-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body).toContain('\r\n');
    expect(res.body.replace(/\r\n/g, '')).not.toContain('\n');

    const rows = readAsExcel(res.rawPayload);
    const h = messages.admin_csv_headers;
    const f = messages.form_fields;
    expect(rows).toHaveLength(2);
    const header = Object.keys(rows[0]!);
    for (const label of [
      h.id,
      h.created_at,
      h.status,
      h.channel,
      h.product_group_code,
      h.last_note,
      ...Object.values(f).map((x) => x.label),
    ]) {
      expect(header).toContain(label);
    }
    const honey = rows.find((r) => r[h.id] === ctx.honey.id)!;
    expect(honey[f.ownerName.label]).toBe('Hợp tác xã Nông sản Quảng Lâm');
    expect(honey[f.commune.label]).toBe('Xã Quảng Lâm');
    expect(honey[f.productName.label]).toBe('Mật ong bạc hà');
    expect(honey[f.ownerType.label]).toBe('Hợp tác xã');
    expect(honey[f.hasBusinessRegistration.label]).toBe('Có');
    expect(honey[f.phone.label]).toBe('0912345678');
    expect(honey[f.email.label]).toBe('htxquanglam@gmail.com');
    expect(honey[f.description.label]).toBe(sampleForm().description);
    expect(honey[f.rawMaterialSource.label]).toBe('Tại địa phương');
    expect(honey[h.product_group_code]).toBe('I.2.b');
    expect(honey[f.productGroup.label]).toBe('Thực phẩm › Thực phẩm chế biến › Mật ong, sản phẩm từ mật ong');
    expect(honey[h.status]).toBe('Cần bổ sung');
    expect(honey[h.last_note]).toBe('Bổ sung ảnh');
    expect(honey[h.created_at]).toBe('2026-03-05 10:00');
    const tea = rows.find((r) => r[h.id] === ctx.tea.id)!;
    expect(tea[f.hasBusinessRegistration.label]).toBe('Chưa');
    expect(tea[f.email.label]).toBe('');
    expect(tea[f.supportWanted.label]).toBe('');
    expect(tea[f.ownerType.label]).toBe('Hộ kinh doanh / hộ sản xuất');
  });

  it('keeps phone numbers and long digit strings as text for Excel, where bare ones would be spoiled', async () => {
    // The reader is Excel-like: a bare phone loses its leading 0, a long number turns scientific.
    expect(excelShows('0978123456')).toBe('978123456');
    expect(excelShows('123456789012345')).toBe('1.23E+14');
    const ctx = await setup(make);
    await ctx.store.create({
      channel: 'web',
      userId: 'zero',
      form: sampleForm({ phone: '0978123456', expectedOutput: '001234567890123' }),
      idempotencyKey: 'zero',
      at: MARCH_5_2026 + HOUR,
    });
    const res = await ctx.server.inject({ method: 'GET', url: '/api/admin/submissions?format=csv', headers: auth });
    const raw = parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    const f = messages.form_fields;
    expect(raw.map((r) => r[f.phone.label])).toContain('="0978123456"');
    const shown = readAsExcel(res.rawPayload);
    expect(shown.map((r) => r[f.phone.label])).toContain('0978123456');
    expect(shown.map((r) => r[f.expectedOutput.label])).toContain('001234567890123');
  });

  it('writes producer text that Excel would run as a formula as plain text', async () => {
    const ctx = await setup(make);
    await ctx.store.create({
      channel: 'web',
      userId: 'evil',
      form: sampleForm({ productName: '=HYPERLINK("http://x","y")' }),
      idempotencyKey: 'evil',
      at: MARCH_5_2026 + HOUR,
    });
    const res = await ctx.server.inject({ method: 'GET', url: '/api/admin/submissions?format=csv', headers: auth });
    const rows = parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r[messages.form_fields.productName.label])).toContain(`'=HYPERLINK("http://x","y")`);
  });
});
