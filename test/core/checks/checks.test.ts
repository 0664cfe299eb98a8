/** The two checks' pieces: typed options, the eligibility verdict, and the dialog's navigation with a fake clock. */
import { describe, expect, it } from 'vitest';
import { MemoryDraftStore } from '../../../src/adapters/memory/memory-draft-store.js';
import { MemorySubmissionStore } from '../../../src/adapters/memory/memory-submission-store.js';
import { loadCheckTexts, loadScoringSheets } from '../../../src/adapters/files/load-files.js';
import { createAssistant } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { CheckDialog, type CheckSession } from '../../../src/core/checks/dialog.js';
import { eligibilityVerdict, questionsFor } from '../../../src/core/checks/eligibility.js';
import { matchOption } from '../../../src/core/checks/option-match.js';
import type { InboundMessage } from '../../../src/core/conversation.js';
import type { Input } from '../../../src/core/input.js';
import { silentLogger } from '../../../src/core/logger.js';

const root = new URL('../../../', import.meta.url).pathname;
const texts = loadCheckTexts(`${root}prompts`);
const sheets = loadScoringSheets(`${root}knowledge`);

describe('matchOption', () => {
  const owner = texts.eligibility.questions.find((q) => q.id === 'owner')!.options.map((o) => o.label);
  it.each([
    ['1', 0],
    ['2.', 1],
    ['số 3', 2],
    ['htx', 0],
    ['hop tac xa', 0],
    ['to hop tac', 1],
    ['cong ty', 2],
    ['doanh nghiep', 2],
    ['ho gia dinh chua co dang ky kinh doanh', 4],
    ['hộ đã có đăng ký kinh doanh', 3],
  ])('%j picks option %i', (typed, expected) => {
    expect(matchOption(typed, owner)).toBe(expected);
  });
  it.each(['ko', 'có', '9', 'chưa', 'hộ gia đình', 'xin chào'])('%j is too unsure to pick', (typed) => {
    expect(matchOption(typed, owner)).toBeUndefined();
  });
});

describe('eligibilityVerdict', () => {
  const qs = questionsFor(texts.eligibility.questions, 'food');
  const pick = (id: string, label: string) => {
    const q = qs.find((x) => x.id === id)!;
    return q.options.findIndex((o) => o.label === label);
  };
  it('asks tourism fewer questions than food (no food-safety certificate, no label)', () => {
    const tourism = questionsFor(texts.eligibility.questions, 'tourism').map((q) => q.id);
    expect(tourism).not.toContain('food_safety');
    expect(tourism).not.toContain('label');
    expect(qs.map((q) => q.id)).toContain('food_safety');
  });
  it('ready when every answer is fine', () => {
    const answers = Object.fromEntries(qs.map((q) => [q.id, 0]));
    expect(eligibilityVerdict(qs, answers)).toMatchObject({ kind: 'ready', steps: [], blockers: [], skipped: 0 });
  });
  it('not eligible yet with raw material from elsewhere, and the same step once however often it is reached', () => {
    const answers: Record<string, number | null> = Object.fromEntries(qs.map((q) => [q.id, 0]));
    answers.origin = pick('origin', 'Mua toàn bộ từ nơi khác, nhập khẩu, hoặc không rõ nguồn gốc');
    answers.quality_declaration = pick('quality_declaration', 'Chưa có');
    answers.internal_control = null;
    const v = eligibilityVerdict(qs, answers);
    expect(v.kind).toBe('blocked');
    expect(v.blockers).toHaveLength(1);
    expect(v.blockers[0]!.step).toContain('nguyên liệu');
    expect(v.steps).toHaveLength(1);
    expect(v.skipped).toBe(1);
  });
});

describe('CheckDialog', () => {
  const { answerer, answers } = createAssistant(parseConfig({ LOG_LEVEL: 'silent' }), silentLogger);
  function dialog() {
    let now = Date.UTC(2026, 11, 1, 3);
    const sessions = new MemoryDraftStore<CheckSession>(3600 * 24 * 30);
    const d = new CheckDialog({
      texts,
      sessions,
      sheets,
      ...(answerer.classifier ? { classifier: answerer.classifier } : {}),
      answers,
      submissions: new MemorySubmissionStore(),
      now: () => now,
    });
    const msg: InboundMessage = { channel: 'web', userId: 'u' };
    const say = async (text: string) => {
      const s = (await d.active('web', 'u'))!;
      expect(s).toBeDefined();
      const input: Input = { reading: answers.reader.read(text), text };
      return (await d.handle(msg, s, input)).map((r) => r.text).join('\n');
    };
    const press = async (payload: string) => {
      const s = (await d.active('web', 'u'))!;
      return (await d.handle(msg, s, { payload })).map((r) => r.text).join('\n');
    };
    return { d, msg, say, press, sessions, advance: (ms: number) => (now += ms) };
  }

  it('asks the kind of product when the classifier does not know it', async () => {
    const { d, msg, say, press } = dialog();
    await d.start(msg, 'eligibility');
    expect(await say('sản phẩm xyz lạ lắm')).toContain('thuộc loại nào');
    // A tourism service is asked neither the food-safety certificate nor the label.
    const first = await press('chk:sector:tourism');
    expect(first).toContain('Câu 1/4');
  });

  it('a question asked in between is answered, and the check asks its question again', async () => {
    const { d, msg, say } = dialog();
    await d.start(msg, 'eligibility', 'mật ong');
    const reply = await say('hồ sơ OCOP nộp ở đâu?');
    expect(reply).toContain('Nguồn:');
    expect(reply).toContain(texts.common.side_resume);
    expect(reply).toContain('Câu 1/8');
  });

  it('"hủy" asks first, "tiếp tục" keeps the answers; a pause of more than an hour asks whether to go on', async () => {
    const { d, msg, say, press, advance } = dialog();
    await d.start(msg, 'score', 'mật ong');
    expect(await press('chk:set_yes')).toContain('Câu 1/');
    expect(await press('chk:opt:2')).toContain('Câu 2/');
    expect(await say('hủy')).toContain(texts.common.cancel_confirm);
    expect(await press('chk:cancel_no')).toContain('Câu 2/');
    advance(2 * 3600_000);
    expect(await say('1')).toContain(texts.common.resume_prompt.split('«')[0]!);
    expect(await press('chk:continue')).toContain('Câu 2/');
    expect(await say('hủy')).toContain(texts.common.cancel_confirm);
    expect(await press('chk:cancel_yes')).toBe(texts.common.cancelled);
    expect(await d.active('web', 'u')).toBeUndefined();
  });

  it('an unclear answer is asked again with the numbers to type', async () => {
    const { d, msg, say } = dialog();
    await d.start(msg, 'score', 'mật ong');
    const s = (await d.active('web', 'u'))!;
    await d.handle(msg, s, { payload: 'chk:set_yes' });
    const reply = await say('hôm nay trời đẹp');
    expect(reply).toContain('gõ số thứ tự');
    expect(reply).toContain('Câu 1/');
  });

  it('"sửa 2" after the result asks question 2 again, then shows the result with the new answer', async () => {
    const { d, msg, press } = dialog();
    await d.start(msg, 'eligibility', 'mật ong');
    let reply = '';
    for (let i = 0; i < 8; i++) reply = await press('chk:opt:0');
    expect(reply).toContain('bạn có thể đăng ký tham gia OCOP');
    expect(await d.active('web', 'u')).toBeUndefined();
    const again = (await d.edit(msg, 2))!.map((r) => r.text).join('\n');
    expect(again).toContain('Câu 2/8');
    const result = await press('chk:opt:2');
    expect(result).toContain('chưa đủ điều kiện tham gia OCOP');
    expect(await d.edit(msg, 9)).toBeUndefined();
  });

  it.each([
    ['chk:opt:0', { ownerType: 'cooperative' }],
    // A tổ hợp tác may or may not hold a registration: the check does not say, so the form asks it.
    ['chk:opt:1', { ownerType: 'cooperative_group' }],
    ['chk:opt:4', { ownerType: 'household', hasBusinessRegistration: false }],
  ])('an owner answered %s carries over only what the answer says', async (pressed, expected) => {
    const { d, msg, press } = dialog();
    await d.start(msg, 'eligibility', 'mật ong');
    await press(pressed);
    expect(await d.carriedToForm('web', 'u')).toEqual({ productName: 'mật ong', ...expected });
  });
});
