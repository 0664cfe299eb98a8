/**
 * Grouping unanswered questions: the same question typed with or without diacritics, in Telex or in
 * shorthand lands in one group; different questions stay apart; counts, representative, channels and order
 * are right and do not depend on input order; 5000 questions are grouped fast enough for a page load.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelName } from '../../../src/core/conversation.js';
import { groupQuestions, type QuestionGroup } from '../../../src/core/insights/grouping.js';
import type { LoggedQuestion } from '../../../src/core/insights/question-log.js';
import { loadQuestions } from '../../support/questions.js';
import { generateVariants, rng } from '../../support/variants.js';

const asked = (texts: string[], channel: ChannelName = 'web', from = 1000): LoggedQuestion[] =>
  texts.map((text, i) => ({ channel, text, at: from + i }));

/** Each group as its wordings (representative first), for comparing partitions. */
const wordings = (groups: QuestionGroup[]) => groups.map((g) => [g.representative, ...g.examples]);
const sameGroup = (groups: QuestionGroup[], a: string, b: string) =>
  wordings(groups).some((w) => w.includes(a) && w.includes(b));

const PRICE = [
  'giá bán sản phẩm ocop bao nhiêu',
  'gia ban sp ocop bao nhieu',
  'gias banas sanr phaamr ocop',
  'Giá bán SP OCOP là bao nhiêu vậy ạ?',
];
const PROCEDURE = [
  'thủ tục đăng ký ocop cần những gì',
  'thu tuc dk ocop can gi',
  'thur tucj ddawng kys ocop',
  'cho em hỏi thủ tục đăng kí OCOP ạ',
];
const COOPERATIVE = [
  'hợp tác xã có được tham gia OCOP không',
  'htx co dc tham gia ocop ko',
  'HTX CÓ ĐƯỢC THAM GIA OCOP KHÔNG',
];
const UNRELATED = [
  'thời tiết Hà Nội ngày mai thế nào',
  // Shares "giá sản phẩm OCOP" with the price question: 4 of 8 syllables, which plain Jaccard would call similar.
  'quy trình đánh giá sản phẩm OCOP',
  'mật ong bạc hà bán ở đâu',
  'tỷ giá đô la hôm nay',
];

describe('groupQuestions', () => {
  it.each([
    ['with and without diacritics, Telex, abbreviations and filler', PRICE],
    ['"đăng ký" / "dk" / "ddawng kys" / "đăng kí"', PROCEDURE],
    ['"hợp tác xã" / "htx", capitals', COOPERATIVE],
  ])('puts one question typed in different ways in one group: %s', (_name, variants) => {
    const questions = asked([
      ...variants,
      ...UNRELATED,
      ...PRICE.concat(PROCEDURE, COOPERATIVE).filter((q) => !variants.includes(q)),
    ]);
    const groups = groupQuestions(questions, { maxExamples: 10 });
    const group = groups.find((g) => variants.includes(g.representative));
    expect(group, JSON.stringify(wordings(groups))).toBeDefined();
    expect([group!.representative, ...group!.examples].sort()).toEqual([...variants].sort());
    expect(group!.count).toBe(variants.length);
  });

  it('keeps unrelated questions apart, also those sharing the domain words every question has', () => {
    const groups = groupQuestions(asked([...PRICE, ...PROCEDURE, ...COOPERATIVE, ...UNRELATED]), { maxExamples: 10 });
    expect(groups).toHaveLength(3 + UNRELATED.length);
    for (const text of UNRELATED) expect(groups.find((g) => g.representative === text)?.count).toBe(1);
    expect(sameGroup(groups, PRICE[0]!, 'quy trình đánh giá sản phẩm OCOP')).toBe(false);
    expect(sameGroup(groups, PRICE[0]!, PROCEDURE[0]!)).toBe(false);
  });

  it('counts every asking, picks the most asked wording (ties: the latest) and orders groups by size, then recency', () => {
    const questions: LoggedQuestion[] = [
      { channel: 'zalo', text: 'gia ban sp ocop bao nhieu', at: 100 },
      { channel: 'telegram', text: 'Gia ban SP OCOP bao nhieu?', at: 200 },
      { channel: 'web', text: 'giá bán sản phẩm ocop bao nhiêu', at: 300 },
      { channel: 'zalo', text: 'thu tuc dk ocop can gi', at: 400 },
      { channel: 'zalo', text: 'thủ tục đăng ký ocop cần những gì', at: 500 },
      { channel: 'web', text: 'thời tiết Hà Nội ngày mai thế nào', at: 50 },
      { channel: 'cli', text: 'tỷ giá đô la hôm nay', at: 600 },
    ];
    const groups = groupQuestions(questions);
    expect(groups).toEqual([
      // Asked 2 times in the same words (case and punctuation aside): shown as last typed.
      {
        representative: 'Gia ban SP OCOP bao nhieu?',
        count: 3,
        examples: ['giá bán sản phẩm ocop bao nhiêu'],
        channels: ['web', 'telegram', 'zalo'],
        lastAt: 300,
      },
      // Two wordings once each: the latest one represents the group.
      {
        representative: 'thủ tục đăng ký ocop cần những gì',
        count: 2,
        examples: ['thu tuc dk ocop can gi'],
        channels: ['zalo'],
        lastAt: 500,
      },
      // Equal counts: the most recent group first.
      { representative: 'tỷ giá đô la hôm nay', count: 1, examples: [], channels: ['cli'], lastAt: 600 },
      { representative: 'thời tiết Hà Nội ngày mai thế nào', count: 1, examples: [], channels: ['web'], lastAt: 50 },
    ]);
  });

  it('caps the examples and ignores blank questions; text with no words groups only with itself', () => {
    const many = [
      'giá bán sản phẩm ocop',
      'gia ban sp ocop',
      'giá bán sp OCOP?',
      'gia ban san pham ocop a',
      'giá bán sản phẩm ocop ạ',
      'gias bans sp ocop',
    ];
    const groups = groupQuestions(asked([...many, '   ', '🙏🙏', '🙏🙏', '???']), { maxExamples: 2 });
    expect(groups.find((g) => g.count === many.length)?.examples).toHaveLength(2);
    expect(groups.map((g) => g.count).sort()).toEqual([1, 2, 6]);
  });

  it('is deterministic: the same questions in any order give the same groups', () => {
    const { answerable } = loadQuestions();
    const questions = generateVariants(answerable.slice(0, 60), 7).map((v, i) => ({
      channel: 'web' as const,
      text: v.q,
      at: 1000 + (i % 17),
    }));
    const expected = groupQuestions(questions);
    const r = rng(42);
    for (let round = 0; round < 3; round++) {
      const shuffled = [...questions].sort(() => r() - 0.5);
      expect(groupQuestions(shuffled)).toEqual(expected);
    }
  });

  it("groups 5000 questions, each question's typing variants mostly together", () => {
    const { answerable, offTopic } = loadQuestions();
    const base = [...answerable, ...offTopic];
    // 458 questions × 8 ways of typing them × 2 seeds (typos and Telex differ), ~4000 distinct texts.
    const variants = [...generateVariants(base, 1), ...generateVariants(base, 2)].slice(0, 5000);
    const channels: ChannelName[] = ['telegram', 'zalo', 'web'];
    const questions = variants.map(
      (v, i): LoggedQuestion => ({ channel: channels[i % 3]!, text: v.q, at: 1_700_000_000_000 + i * 1000 }),
    );
    expect(questions).toHaveLength(5000);

    // Its speed is measured by `npm run bench`, not here: a busy CI machine must not decide a test.
    const groups: QuestionGroup[] = groupQuestions(questions, { maxExamples: 100 });

    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(5000);
    // Most questions keep all their typing variants in one group.
    const baseOf = new Map(variants.map((v) => [v.q.replace(/\s+/g, ' ').trim(), v.base]));
    const groupsOfBase = new Map<string, Set<number>>();
    groups.forEach((g, i) => {
      for (const text of [g.representative, ...g.examples]) {
        const b = baseOf.get(text)!;
        groupsOfBase.set(b, (groupsOfBase.get(b) ?? new Set()).add(i));
      }
    });
    const split = [...groupsOfBase.values()].filter((s) => s.size > 1).length;
    expect(split / groupsOfBase.size).toBeLessThan(0.1);
    // ...and a group rarely mixes different questions (those it does mix are near paraphrases).
    const mixed = groups.filter(
      (g) => new Set([g.representative, ...g.examples].map((t) => baseOf.get(t))).size > 1,
    ).length;
    expect(mixed / groups.length).toBeLessThan(0.1);
    expect(groups.length).toBeGreaterThan(base.length * 0.8);
  });
});
