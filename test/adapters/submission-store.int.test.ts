/**
 * One contract for the submission store, run against memory and against a real Redis: reference codes,
 * idempotent creation (also concurrent and across processes), listing and filters, the status lifecycle, photos
 * and the erasure of personal data.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { MemorySubmissionStore } from '../../src/adapters/memory/memory-submission-store.js';
import { createKeys } from '../../src/adapters/redis/keys.js';
import { RedisSubmissionStore } from '../../src/adapters/redis/redis-submission-store.js';
import { SqliteSubmissionStore } from '../../src/adapters/sqlite/sqlite-submission-store.js';
import { ERASED_VALUE, InvalidTransitionError, type SubmissionStore } from '../../src/core/registration/types.js';
import { dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { openTestDatabase, tempDatabaseFile } from '../support/sqlite.js';
import { DAY, HOUR, MARCH_5_2026, sampleForm } from '../support/submissions.js';

const clients: Redis[] = [];
const prefixes: string[] = [];

afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const p of prefixes) await dropPrefix(p);
});

/**
 * Two stores on one prefix (Redis) or on two connections to one file (SQLite) stand for two processes (memory
 * and an in-memory SQLite database have one process only).
 */
const implementations: [string, () => SubmissionStore[]][] = [
  ['memory', () => [new MemorySubmissionStore()]],
  ['sqlite :memory:', () => [new SqliteSubmissionStore(openTestDatabase(':memory:'))]],
  [
    'sqlite file',
    () => {
      const file = tempDatabaseFile();
      return [new SqliteSubmissionStore(openTestDatabase(file)), new SqliteSubmissionStore(openTestDatabase(file))];
    },
  ],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('submissions');
      prefixes.push(prefix);
      const keys = createKeys(prefix);
      const a = new Redis(TEST_REDIS_URL);
      const b = new Redis(TEST_REDIS_URL);
      clients.push(a, b);
      return [new RedisSubmissionStore(a, keys), new RedisSubmissionStore(b, keys)];
    },
  ],
];

const input = (
  idempotencyKey: string,
  at = MARCH_5_2026,
  extra: Partial<{ userId: string; channel: 'telegram' | 'zalo' | 'web' }> = {},
) => ({
  channel: extra.channel ?? ('telegram' as const),
  userId: extra.userId ?? 'u1',
  form: sampleForm(),
  idempotencyKey,
  at,
});

describe.each(implementations)('submission store (%s)', (name, make) => {
  it('gives reference codes OCOP-CB-<Vietnam year>-<6-digit sequence>, increasing, per year', async () => {
    const [s] = make();
    const a = await s!.create(input('d1'));
    const b = await s!.create(input('d2', MARCH_5_2026 + 1));
    expect(a.created).toBe(true);
    expect(a.submission.id).toBe('OCOP-CB-2026-000001');
    expect(b.submission.id).toBe('OCOP-CB-2026-000002');
    expect(a.submission).toMatchObject({
      status: 'new',
      channel: 'telegram',
      userId: 'u1',
      createdAt: MARCH_5_2026,
      updatedAt: MARCH_5_2026,
    });
    expect(a.submission.history).toEqual([{ at: MARCH_5_2026, status: 'new', by: 'producer' }]);
    expect(a.submission.form).toEqual(sampleForm());
    // 31 Dec 2026 17:30 UTC is already 1 Jan 2027 in Vietnam: a new year starts a new sequence.
    const newYear = await s!.create(input('d3', Date.UTC(2026, 11, 31, 17, 30)));
    expect(newYear.submission.id).toBe('OCOP-CB-2027-000001');
    const lastDay = await s!.create(input('d4', Date.UTC(2026, 11, 31, 16, 30)));
    expect(lastDay.submission.id).toBe('OCOP-CB-2026-000003');
    expect(await s!.get('OCOP-CB-2026-000002')).toEqual(b.submission);
    expect(await s!.get('OCOP-CB-2026-999999')).toBeUndefined();
  });

  it('creates one submission per idempotency key: twice, concurrently, and from two processes', async () => {
    const stores = make();
    const [s] = stores;
    const first = await s!.create(input('draft-A'));
    const again = await s!.create({
      ...input('draft-A', MARCH_5_2026 + HOUR),
      form: sampleForm({ productName: 'Khác' }),
    });
    expect(again.created).toBe(false);
    expect(again.submission).toEqual(first.submission);

    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stores[i % stores.length]!.create(input('draft-B', MARCH_5_2026 + i))),
    );
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.submission.id)).size).toBe(1);
    if (name === 'redis' || name === 'sqlite file') expect(stores).toHaveLength(2);

    const all = await s!.list();
    expect(all).toHaveLength(2);
    // A duplicate does not burn a sequence number.
    expect(all.map((x) => x.id).sort()).toEqual(['OCOP-CB-2026-000001', 'OCOP-CB-2026-000002']);
  });

  it("lists one user's submissions, newest first, per channel", async () => {
    const [s] = make();
    await s!.create(input('u1-a', MARCH_5_2026, { userId: 'u1' }));
    await s!.create(input('u2-a', MARCH_5_2026 + 1, { userId: 'u2' }));
    await s!.create(input('u1-b', MARCH_5_2026 + 2, { userId: 'u1' }));
    await s!.create(input('u1-zalo', MARCH_5_2026 + 3, { userId: 'u1', channel: 'zalo' }));
    expect((await s!.listByUser('telegram', 'u1')).map((x) => x.id)).toEqual([
      'OCOP-CB-2026-000003',
      'OCOP-CB-2026-000001',
    ]);
    expect((await s!.listByUser('zalo', 'u1')).map((x) => x.id)).toEqual(['OCOP-CB-2026-000004']);
    expect(await s!.listByUser('web', 'u1')).toEqual([]);
  });

  it('filters by status, commune, group prefix and date range, newest first', async () => {
    const [s] = make();
    const honey = (await s!.create(input('f1', MARCH_5_2026))).submission;
    const tea = (
      await s!.create({
        ...input('f2', MARCH_5_2026 + DAY),
        form: sampleForm({
          productName: 'Trà hoa vàng',
          commune: 'Phường Thục Phán',
          productGroup: { code: 'I.3.a', sector: 'Thực phẩm', group: 'Đồ uống', subgroup: 'Trà' },
        }),
      })
    ).submission;
    const textile = (
      await s!.create({
        ...input('f3', MARCH_5_2026 + 2 * DAY),
        form: sampleForm({
          productName: 'Khăn thổ cẩm',
          productGroup: { code: 'IV.1', sector: 'Thủ công mỹ nghệ', group: 'Dệt may', subgroup: '' },
        }),
      })
    ).submission;
    const ids = async (f: Parameters<SubmissionStore['list']>[0]) => (await s!.list(f)).map((x) => x.id);

    expect(await ids({})).toEqual([textile.id, tea.id, honey.id]);
    await s!.changeStatus(tea.id, { status: 'reviewing', by: 'officer', at: MARCH_5_2026 + 3 * DAY });
    expect(await ids({ status: 'reviewing' })).toEqual([tea.id]);
    expect(await ids({ status: 'new' })).toEqual([textile.id, honey.id]);
    expect(await ids({ commune: 'Xã Quảng Lâm' })).toEqual([textile.id, honey.id]);
    expect(await ids({ commune: 'Quảng Lâm' })).toEqual([]);
    expect(await ids({ group: 'I' })).toEqual([tea.id, honey.id]);
    expect(await ids({ group: 'I.2' })).toEqual([honey.id]);
    expect(await ids({ group: 'I.2.b' })).toEqual([honey.id]);
    expect(await ids({ group: 'IV' })).toEqual([textile.id]);
    expect(await ids({ from: MARCH_5_2026 + DAY })).toEqual([textile.id, tea.id]);
    // `to` is exclusive.
    expect(await ids({ to: MARCH_5_2026 + DAY })).toEqual([honey.id]);
    expect(await ids({ from: MARCH_5_2026 + 1, to: MARCH_5_2026 + 2 * DAY + 1 })).toEqual([textile.id, tea.id]);
    expect(await ids({ commune: 'Xã Quảng Lâm', group: 'I', from: MARCH_5_2026 })).toEqual([honey.id]);
  });

  it('follows the lifecycle: allowed changes append history with notes, forbidden ones throw', async () => {
    const [s] = make();
    const { submission } = await s!.create(input('life'));
    const t = MARCH_5_2026;
    const reviewing = await s!.changeStatus(submission.id, { status: 'reviewing', by: 'cán bộ xã', at: t + HOUR });
    expect(reviewing).toMatchObject({ status: 'reviewing', updatedAt: t + HOUR, createdAt: t });
    const needsInfo = await s!.changeStatus(submission.id, {
      status: 'needs_info',
      note: 'Bổ sung ảnh sản phẩm',
      by: 'cán bộ xã',
      at: t + 2 * HOUR,
    });
    expect(needsInfo?.history).toEqual([
      { at: t, status: 'new', by: 'producer' },
      { at: t + HOUR, status: 'reviewing', by: 'cán bộ xã' },
      { at: t + 2 * HOUR, status: 'needs_info', note: 'Bổ sung ảnh sản phẩm', by: 'cán bộ xã' },
    ]);
    await expect(s!.changeStatus(submission.id, { status: 'new', by: 'x', at: t + 3 * HOUR })).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await s!.changeStatus(submission.id, { status: 'accepted', note: 'Đủ hồ sơ', by: 'cán bộ xã', at: t + 4 * HOUR });
    // Final: nothing follows accepted; the refused change leaves no trace.
    const refused = await s!
      .changeStatus(submission.id, { status: 'rejected', by: 'x', at: t + 5 * HOUR })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidTransitionError);
    expect(refused).toMatchObject({ from: 'accepted', to: 'rejected' });
    const stored = await s!.get(submission.id);
    expect(stored?.status).toBe('accepted');
    expect(stored?.updatedAt).toBe(t + 4 * HOUR);
    expect(stored?.history.map((h) => h.status)).toEqual(['new', 'reviewing', 'needs_info', 'accepted']);
    expect(await s!.changeStatus('OCOP-CB-2026-999999', { status: 'reviewing', by: 'x', at: t })).toBeUndefined();
  });

  it('keeps both history entries when two changes race (also from two processes)', async () => {
    const stores = make();
    const a = stores[0]!;
    const b = stores[1] ?? a;
    for (let round = 0; round < 5; round++) {
      const { submission } = await a.create(input(`race-${round}`));
      // new → reviewing and new → needs_info are both allowed, and each may follow the other.
      await Promise.all([
        a.changeStatus(submission.id, { status: 'reviewing', note: 'A', by: 'officer A', at: MARCH_5_2026 + 1 }),
        b.changeStatus(submission.id, { status: 'needs_info', note: 'B', by: 'officer B', at: MARCH_5_2026 + 2 }),
      ]);
      const stored = await a.get(submission.id);
      expect(stored?.history).toHaveLength(3);
      expect(
        stored?.history
          .map((h) => h.note)
          .filter(Boolean)
          .sort(),
      ).toEqual(['A', 'B']);
      expect(stored?.status).toBe(stored?.history.at(-1)?.status);
    }
  });

  it('attaches photos with their history line, once per attachment id, next to status changes from another process', async () => {
    const stores = make();
    const a = stores[0]!;
    const b = stores[1] ?? a;
    const { submission } = await a.create(input('photos'));
    await a.changeStatus(submission.id, { status: 'needs_info', note: 'Cần ảnh', by: 'admin', at: MARCH_5_2026 + 1 });
    const photo = (id: string, at: number) => ({
      id,
      kind: 'photo' as const,
      channel: 'telegram' as const,
      fileId: `file-${id}`,
      mime: 'image/jpeg' as const,
      bytes: 2048,
      receivedAt: at,
      caption: 'Ảnh nhãn mác',
    });
    await Promise.all([
      a.addAttachment(submission.id, photo('p1', MARCH_5_2026 + 2)),
      b.changeStatus(submission.id, { status: 'reviewing', by: 'admin', at: MARCH_5_2026 + 3 }),
    ]);
    // Redelivered: no second copy, no second line.
    await b.addAttachment(submission.id, photo('p1', MARCH_5_2026 + 4));
    await b.addAttachment(submission.id, photo('p2', MARCH_5_2026 + 5));
    const stored = await a.get(submission.id);
    expect(stored?.attachments?.map((x) => x.id)).toEqual(['p1', 'p2']);
    expect(stored?.attachments?.[0]).toEqual(photo('p1', MARCH_5_2026 + 2));
    expect(stored?.status).toBe('reviewing');
    expect(stored?.history.filter((h) => h.event === 'photo').map((h) => h.attachmentId)).toEqual(['p1', 'p2']);
    expect(stored?.history.filter((h) => h.event === 'photo').every((h) => h.by === 'producer')).toBe(true);
    expect(stored?.history).toHaveLength(5);
    expect(await a.addAttachment('OCOP-CB-2026-999999', photo('p3', MARCH_5_2026))).toBeUndefined();
    // A listing carries the metadata, never the bytes.
    expect(JSON.stringify(await a.list())).not.toMatch(/base64|data:/);
  });

  it("erases the personal fields at the producer's request, once, keeping the product idea and the history", async () => {
    const stores = make();
    const a = stores[0]!;
    const b = stores[1] ?? a;
    const { submission } = await a.create(input('erase', MARCH_5_2026, { userId: 'u-erase' }));
    await a.changeStatus(submission.id, { status: 'reviewing', by: 'admin', at: MARCH_5_2026 + 1 });
    await Promise.all([
      a.erasePersonalData(submission.id, MARCH_5_2026 + 2),
      b.changeStatus(submission.id, { status: 'needs_info', note: 'Cần ảnh', by: 'admin', at: MARCH_5_2026 + 3 }),
    ]);
    // Asked twice (a button pressed again): nothing more.
    await b.erasePersonalData(submission.id, MARCH_5_2026 + 9);
    const stored = await b.get(submission.id);
    expect(stored?.form.contactName).toBe(ERASED_VALUE);
    expect(stored?.form.phone).toBe(ERASED_VALUE);
    if (submission.form.email !== undefined) expect(stored?.form.email).toBe(ERASED_VALUE);
    expect(JSON.stringify(stored)).not.toContain(submission.form.phone);
    expect(stored?.erasedAt).toBe(MARCH_5_2026 + 2);
    expect(stored?.form.productName).toBe(submission.form.productName);
    expect(stored?.form.commune).toBe(submission.form.commune);
    expect(stored?.status).toBe('needs_info');
    // The line keeps the status it was erased in, whichever of the two racing changes came first.
    expect(stored?.history.filter((h) => h.event === 'erased')).toEqual([
      {
        at: MARCH_5_2026 + 2,
        status: expect.stringMatching(/^(reviewing|needs_info)$/),
        by: 'producer',
        event: 'erased',
      },
    ]);
    expect(stored?.history).toHaveLength(4);
    expect((await a.listByUser('telegram', 'u-erase')).map((s) => s.id)).toEqual([submission.id]);
    expect(await a.erasePersonalData('OCOP-CB-2026-999999', MARCH_5_2026)).toBeUndefined();
  });
});

describe('sqlite submission store on a file', () => {
  it('keeps submissions and the year counter when the file is opened again (a restart)', async () => {
    const file = tempDatabaseFile();
    const first = openTestDatabase(file);
    const before = new SqliteSubmissionStore(first);
    await before.create(input('r1'));
    await before.changeStatus('OCOP-CB-2026-000001', { status: 'reviewing', by: 'cán bộ', at: MARCH_5_2026 + 1 });
    await before.create(input('r2', MARCH_5_2026 + 2));
    first.close();

    const after = new SqliteSubmissionStore(openTestDatabase(file));
    const third = await after.create(input('r3', MARCH_5_2026 + 3));
    expect(third.submission.id).toBe('OCOP-CB-2026-000003');
    expect((await after.create(input('r1', MARCH_5_2026 + 4))).created).toBe(false);
    expect((await after.list()).map((s) => s.id)).toEqual([
      'OCOP-CB-2026-000003',
      'OCOP-CB-2026-000002',
      'OCOP-CB-2026-000001',
    ]);
    expect((await after.get('OCOP-CB-2026-000001'))?.status).toBe('reviewing');
  });

  it('issues a number only with its row: a refused change or insert leaves the counter as it was', async () => {
    const db = openTestDatabase(':memory:');
    const s = new SqliteSubmissionStore(db);
    await s.create(input('a'));
    // A row whose id is taken makes the insert fail inside the transaction: the counter rolls back with it.
    db.prepare('UPDATE submission_sequences SET last = 0 WHERE year = 2026').run();
    await expect(s.create(input('b'))).rejects.toThrow(/UNIQUE/);
    expect(db.prepare('SELECT last FROM submission_sequences WHERE year = 2026').get()).toEqual({ last: 0 });
    expect(await s.list()).toHaveLength(1);
  });
});
