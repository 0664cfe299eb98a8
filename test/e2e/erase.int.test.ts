/**
 * A producer asks for their personal data to be deleted (Nghị định 13/2023/NĐ-CP), through the engine as the app
 * composes it: the offer names what goes (the submission's contact fields, the form in progress, the
 * announcements), "Không, giữ lại" keeps everything, and the confirmation erases it. The officers still see the
 * product idea; the store, the CSV export and the log hold no phone number.
 */
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChannelName, Reply } from '../../src/core/conversation.js';
import { FIELD_ORDER } from '../../src/core/registration/fields.js';
import { ERASED_VALUE } from '../../src/core/registration/types.js';
import { TYPED_ANSWERS } from '../support/submissions.js';
import { registerAdminApi } from '../../src/server/admin-api.js';
import type { App } from '../../src/app.js';
import { app, dropPrefix, uniquePrefix, TEST_REDIS_URL } from '../support/app.js';
import { readAsExcel } from '../support/excel-csv.js';
import { capturedLines } from '../support/log-capture.js';
import { silentLogger } from '../../src/core/logger.js';

const PHONE = '0912345678';
const EMAIL = TYPED_ANSWERS.email;
const ADMIN_TOKEN = 'erase-admin-token-0123456789';

const GOOD = TYPED_ANSWERS;

const servers: ReturnType<typeof Fastify>[] = [];
const apps: App[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const a of apps) await a.close();
  for (const p of prefixes) await dropPrefix(p);
});

/** The app with memory state, or with every store in a real Redis. */
function makeApp(redis: boolean): App {
  if (!redis) return app();
  const prefix = uniquePrefix('erase');
  prefixes.push(prefix);
  const a = app({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix });
  apps.push(a);
  return a;
}

function chat(userId: string, channel: ChannelName = 'telegram', redis = false) {
  const a = makeApp(redis);
  let last: Reply[] = [];
  const say = async (text: string) => {
    last = await a.engine.handle({ channel, userId, text, kind: 'text' });
    return last.map((r) => r.text).join('\n');
  };
  const submit = async () => {
    // The channel records every sender first (as its inbox does), so announcements can be turned on.
    await a.subscribers.touch(channel, userId, { chatId: userId, at: Date.now() });
    await say('Đăng ký ý tưởng sản phẩm');
    for (let guard = 0; guard < 40; guard++) {
      const draft = await a.drafts.get(channel, userId);
      if (!draft) break;
      const field = FIELD_ORDER[draft.step];
      await say(field ? GOOD[field] : 'Gửi đăng ký');
    }
    const [submission] = await a.submissions.listByUser(channel, userId);
    expect(submission?.form.phone).toBe(PHONE);
    return submission!;
  };
  const buttons = () => last.flatMap((r) => r.buttons ?? []);
  const csv = async () => {
    const server = Fastify({ logger: false });
    servers.push(server);
    registerAdminApi(server, {
      store: a.submissions,
      messages: a.messages,
      logger: silentLogger,
      onStatusChanged: async () => undefined,
      adminToken: ADMIN_TOKEN,
    });
    const res = await server.inject({
      method: 'GET',
      url: '/api/admin/submissions?format=csv',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.statusCode).toBe(200);
    return res.body;
  };
  return { a, m: a.messages, say, submit, buttons, csv };
}

describe.each([
  ['memory', false],
  ['redis', true],
])("erasing one's personal data from the chat (%s)", (_name, redis) => {
  it('offers what goes, erases it on confirmation, and keeps the code and the product idea', async () => {
    const { a, m, say, submit, buttons, csv } = chat('erase-1', 'telegram', redis);
    const submission = await submit();
    await say('nhận thông báo');
    expect((await a.subscribers.get('telegram', 'erase-1'))?.optedIn).toBe(true);
    // A second form, left in the middle.
    await say('Đăng ký ý tưởng sản phẩm');
    await say('Hộ Bế Văn Tài');
    expect(await a.drafts.get('telegram', 'erase-1')).toBeDefined();

    const offer = await say('xoa du lieu ca nhan cua toi');
    expect(offer).toContain(m.erase_offer_intro);
    expect(offer).toContain(submission.id);
    expect(offer).toContain(m.erase_item_draft);
    expect(offer).toContain(m.erase_item_subscription);
    expect(buttons().map((b) => b.value)).toEqual(['erase:confirm', 'erase:keep']);
    // Nothing changes before the confirmation.
    expect((await a.submissions.get(submission.id))?.form.phone).toBe(PHONE);

    expect(await say(m.erase_confirm_yes)).toContain(m.erase_done);
    const erased = (await a.submissions.get(submission.id))!;
    expect(erased.form).toMatchObject({ contactName: ERASED_VALUE, phone: ERASED_VALUE, email: ERASED_VALUE });
    expect(erased.form.productName).toBe('Mật ong bạc hà');
    expect(erased.erasedAt).toBeTypeOf('number');
    expect(erased.history.at(-1)).toMatchObject({ event: 'erased', by: 'producer' });
    expect(JSON.stringify(erased)).not.toContain(PHONE);
    expect(await a.drafts.get('telegram', 'erase-1')).toBeUndefined();
    expect((await a.subscribers.get('telegram', 'erase-1'))?.optedIn).toBe(false);

    // The officers' CSV, read as Excel reads it: the product stays, the contact fields say they were erased.
    const body = await csv();
    expect(body).not.toContain(PHONE);
    expect(body).not.toContain(EMAIL);
    const [row] = readAsExcel(body);
    expect(row?.[m.form_fields.phone.label]).toBe(m.admin_erased_value);
    expect(row?.[m.form_fields.contactName.label]).toBe(m.admin_erased_value);
    expect(row?.[m.form_fields.productName.label]).toBe('Mật ong bạc hà');

    // "Hồ sơ của tôi" still lists the code, and says the contact details were erased.
    const profile = await say('Hồ sơ của tôi');
    expect(profile).toContain(submission.id);
    expect(profile).toContain(m.profile_erased.trim());

    // Asked again: nothing is left to erase.
    expect(await say('xóa dữ liệu của tôi')).toContain(m.erase_nothing);
  });

  it('"Không, giữ lại" keeps the submission, the form in progress and the announcements', async () => {
    const { a, m, say, submit, buttons } = chat('erase-2', 'telegram', redis);
    const submission = await submit();
    await say('nhận thông báo');
    await say('Đăng ký ý tưởng sản phẩm');
    await say('Hộ Bế Văn Tài');
    // Typed in the middle of the form, the request is answered there.
    await say('em muốn xoá số điện thoại đã gửi');
    expect(buttons().map((b) => b.value)).toEqual(['erase:confirm', 'erase:keep']);
    expect(await say(m.erase_confirm_no)).toContain(m.erase_kept);
    expect((await a.submissions.get(submission.id))?.form).toMatchObject({ phone: PHONE, email: EMAIL });
    expect((await a.submissions.get(submission.id))?.erasedAt).toBeUndefined();
    expect(await a.drafts.get('telegram', 'erase-2')).toBeDefined();
    expect((await a.subscribers.get('telegram', 'erase-2'))?.optedIn).toBe(true);
  });

  it('a question about deletion is answered, nothing erased', async () => {
    const { a, say, submit, buttons } = chat('erase-3', 'telegram', redis);
    const submission = await submit();
    await say('hồ sơ có bị xóa không?');
    expect(buttons().map((b) => b.value)).not.toContain('erase:confirm');
    // How to ask is answered from the knowledge base (knowledge/tro-ly-ocop.md#du-lieu-ca-nhan).
    expect(await say('làm sao để xóa dữ liệu?')).toContain('«xóa dữ liệu của tôi»');
    expect(buttons().map((b) => b.value)).not.toContain('erase:confirm');
    expect((await a.submissions.get(submission.id))?.form.phone).toBe(PHONE);
  });

  it("on Zalo, confirmed by typing the button's number", async () => {
    const { a, m, say, submit } = chat('erase-z', 'zalo', redis);
    const submission = await submit();
    expect(await say('xóa thông tin cá nhân của tôi')).toContain(submission.id);
    expect(await say('1')).toContain(m.erase_done);
    expect((await a.submissions.get(submission.id))?.form.phone).toBe(ERASED_VALUE);
  });
});

describe('the log', () => {
  it('holds no phone number or e-mail address', () => {
    const log = capturedLines().join('\n');
    expect(log).toContain('personal data erased');
    expect(log).not.toContain(PHONE);
    expect(log).not.toContain(EMAIL);
  });
});
