/**
 * Runs the labelled sets through the assistant and grades them: questions (must-groups, as ../shared/eval),
 * typed requests and look-alike questions (the outcome the writer wanted), and two-turn dialogues (the follow-up
 * answered in context). Shared by the tests (held-out baseline) and `npm run bench`.
 *
 * Sets live in test/fixtures/tuning (visible, tuned on) and test/fixtures/heldout (never tuned on: only their
 * figures are looked at).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/app.js';
import type { Answerer } from '../../src/core/knowledge/answerer.js';
import type { Reply } from '../../src/core/conversation.js';
import { personalize } from '../../src/core/address-forms.js';
import { buttonsForChannel } from '../../src/core/engine.js';
import type { Messages } from '../../src/core/messages.js';
import { answerBody, containsAll, gradeOne } from './grade.js';
import { FIXTURES } from './questions.js';

export type Typing = 'written' | 'phone';

export interface QuestionItem {
  id: string;
  q: string;
  kind: 'answer' | 'abstain';
  must: string[][];
  typing: Typing;
  topic?: string;
}

export type Outcome =
  | 'form_started'
  | 'clarify_register'
  | 'profile'
  | 'subscribe'
  | 'unsubscribe'
  | 'confirm_unsubscribe'
  | 'greeting'
  | 'small_talk'
  | 'help'
  | 'menu'
  | 'answer'
  | 'classify'
  | 'abstain'
  | 'other';

export interface RequestItem {
  id: string;
  text: string;
  accept: Outcome[];
  must?: string[][];
  typing: Typing;
}

export type Turn = { q: string; must?: string[][] } | { press: string; must?: string[][] };

export interface DialogueItem {
  id: string;
  typing: Typing;
  turns: Turn[];
}

export interface Failure {
  id: string;
  input: string;
  why: string;
  got?: string;
}

export interface SetResult {
  passed: number;
  total: number;
  byTyping: Record<Typing, { passed: number; total: number }>;
  failures: Failure[];
}

/** Every labelled set, tuning sets first, the held-out set last: the one list the scripts and the bench run. */
export const SET_NAMES = [
  'tuning',
  'tuning-2',
  'tuning-3',
  'tuning-4',
  'tuning-5',
  'tuning-6',
  'tuning-7',
  'tuning-8',
  'tuning-9',
  'tuning-10',
  'tuning-11',
  'tuning-12',
  'tuning-13',
  'tuning-14',
  'tuning-15',
  'tuning-16',
  'tuning-17',
  'tuning-18',
  'tuning-19',
  'tuning-20',
  'tuning-21',
  'tuning-22',
  'heldout',
  'outsiders',
  'outsiders-2',
  'outsiders-3',
  'outsiders-4',
  'outsiders-5',
  'outsiders-6',
] as const;

/**
 * Sets that are measured and never read item by item: `heldout` (written once with the dev set's mix) and
 * `outsiders` to `outsiders-6` (written by writers who saw neither the code nor any other set,
 * measured as they came).
 */
export const HELD_OUT_SETS: readonly SetName[] = [
  'heldout',
  'outsiders',
  'outsiders-2',
  'outsiders-3',
  'outsiders-4',
  'outsiders-5',
  'outsiders-6',
];

export type SetName = (typeof SET_NAMES)[number];

export function loadJsonl<T>(set: SetName, file: string): T[] {
  return readFileSync(join(FIXTURES, set, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function emptyResult(): SetResult {
  return {
    passed: 0,
    total: 0,
    byTyping: { written: { passed: 0, total: 0 }, phone: { passed: 0, total: 0 } },
    failures: [],
  };
}

function tally(r: SetResult, typing: Typing, pass: boolean, failure: Failure): void {
  r.total += 1;
  r.byTyping[typing].total += 1;
  if (pass) {
    r.passed += 1;
    r.byTyping[typing].passed += 1;
  } else r.failures.push(failure);
}

export const share = (x: { passed: number; total: number }) => (x.total ? x.passed / x.total : 0);

/** Questions through the answerer alone (as `ocop-bot ask` answers them). */
export function runQuestions(answerer: Answerer, items: readonly QuestionItem[]): SetResult {
  const r = emptyResult();
  for (const item of items) {
    const a = answerer.answer(item.q);
    const graded = gradeOne(item, {
      answer: a.text,
      sources: a.sources.map((s) => ({ title: s.title })),
      abstained: a.abstained,
    });
    tally(r, item.typing, graded.pass, {
      id: item.id,
      input: item.q,
      why: graded.why ?? '',
      got: a.text.slice(0, 240),
    });
  }
  return r;
}

/** Every way a reply text may read once its pronouns follow the user's (address_forms). */
function variants(messages: Messages, text: string): string[] {
  const forms = Object.values(messages.address_forms);
  return [...new Set(forms.map((f) => personalize(text, messages.address_forms.default, f)))];
}

/** What the assistant did with a message, read from its replies. */
export function outcomeOf(messages: Messages, replies: readonly Reply[], explainerId: string | undefined): Outcome {
  const texts = replies.map((r) => r.text);
  const is = (text: string) => texts.some((t) => variants(messages, text).includes(t));
  const starts = (text: string) =>
    texts.some((t) => variants(messages, text).some((v) => t.startsWith(v.split('{')[0]!)));
  const step = new RegExp(
    `^${
      messages.form_step
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\\\{n\\\}|\\\{total\\\}/g, '\\d+')
        .split('\\{question')[0]
    }`,
  );
  if (
    texts.some(
      (t) => step.test(t) || variants(messages, messages.form_intro.split('{')[0]!).some((v) => t.startsWith(v)),
    ) ||
    starts(messages.form_resume_prompt)
  )
    return 'form_started';
  if (is(messages.clarify_register)) return 'clarify_register';
  if (starts(messages.profile_intro) || is(messages.profile_empty)) return 'profile';
  if (is(messages.subscribed) || is(messages.already_subscribed) || is(messages.subscribe_unavailable))
    return 'subscribe';
  if (is(messages.unsubscribed) || is(messages.not_subscribed)) return 'unsubscribe';
  if (is(messages.confirm_unsubscribe)) return 'confirm_unsubscribe';
  if (is(messages.greeting)) return 'greeting';
  // The reply of the "Sản phẩm của tôi thuộc nhóm nào?" button: the classifier asks for the product's name.
  if (is(messages.ask_product)) return 'classify';
  if (Object.values(messages.small_talk).some(is)) return 'small_talk';
  if (starts(messages.help)) return 'help';
  if (is(messages.menu_prompt) || is(messages.topic_prompt)) return 'menu';
  const cited = replies.find((r) => r.sources?.length);
  if (cited) return cited.sources![0]!.id === explainerId ? 'classify' : 'answer';
  if (is(messages.abstain) || Object.values(messages.abstain_reasons).some(is) || is(messages.nothing_to_stop))
    return 'abstain';
  // What the knowledge base says is not known, offered with the menu and no source: not answered.
  // The menu as any channel shows it (the web leaves out the buttons that need announcements).
  const menuLabels = new Set(
    (['telegram', 'web'] as const).map((channel) =>
      buttonsForChannel([{ text: '', buttons: messages.menu_buttons }], channel)[0]!
        .buttons!.map((b) => b.label)
        .join('|'),
    ),
  );
  if (replies.some((r) => !r.sources?.length && menuLabels.has(r.buttons?.map((b) => b.label).join('|') ?? '')))
    return 'abstain';
  return 'other';
}

function textOf(replies: readonly Reply[]): { answer: string; sources: { title?: string }[] } {
  const cited = replies.find((r) => r.sources?.length);
  return {
    answer: cited?.text ?? replies.map((r) => r.text).join('\n'),
    sources: cited?.sources?.map((s) => ({ title: s.title })) ?? [],
  };
}

/** The explainer passage a classification cites (to tell a classification from a retrieval answer). */
export function classificationSource(app: Pick<App, 'kb'>): string | undefined {
  return app.kb.docs.find((d) => d.meta.id === 'phan-loai-san-pham')?.passages[0]?.id;
}

/** Typed requests and look-alike questions, each from a new user on Telegram who has opted in to announcements. */
export async function runRequests(app: App, items: readonly RequestItem[]): Promise<SetResult> {
  const r = emptyResult();
  const explainer = classificationSource(app);
  let n = 0;
  for (const item of items) {
    const userId = `eval-${Date.now().toString(36)}-${n++}`;
    await app.subscribers.touch('telegram', userId, { at: Date.now() });
    await app.subscribers.setOptIn('telegram', userId, true);
    const replies = await app.engine.handle({ channel: 'telegram', userId, text: item.text, kind: 'text' });
    const outcome = outcomeOf(app.messages, replies, explainer);
    let pass = item.accept.includes(outcome);
    let why = `got ${outcome}, wanted ${item.accept.join('|')}`;
    if (pass && outcome === 'answer' && item.must?.length) {
      const missing = containsAll(answerBody({ ...textOf(replies), abstained: false }), item.must);
      if (missing) {
        pass = false;
        why = missing;
      }
    }
    tally(r, item.typing, pass, {
      id: item.id,
      input: item.text,
      why,
      got: replies
        .map((x) => x.text)
        .join(' | ')
        .slice(0, 240),
    });
  }
  return r;
}

/** Two-turn dialogues: the last turn's answer must contain its facts (read with the earlier turns). */
export async function runDialogues(app: App, items: readonly DialogueItem[]): Promise<SetResult> {
  const r = emptyResult();
  let n = 0;
  for (const item of items) {
    const userId = `eval-d-${Date.now().toString(36)}-${n++}`;
    let replies: Reply[] = [];
    for (const turn of item.turns) {
      if ('press' in turn) {
        let target = replies.flatMap((x) => x.buttons ?? []).find((b) => b.label === turn.press);
        if (!target) {
          replies = await app.engine.handle({ channel: 'web', userId, text: '/menu', kind: 'text' });
          target = replies.flatMap((x) => x.buttons ?? []).find((b) => b.label === turn.press);
        }
        replies = target?.ref
          ? await app.engine.handle({ channel: 'web', userId, buttonRef: target.ref })
          : await app.engine.handle({ channel: 'web', userId, text: turn.press, kind: 'text' });
      } else {
        replies = await app.engine.handle({ channel: 'web', userId, text: turn.q, kind: 'text' });
      }
    }
    const last = item.turns.at(-1)!;
    const got = textOf(replies);
    const graded = gradeOne(
      { kind: 'answer', must: last.must ?? [] },
      { ...got, abstained: !replies.some((x) => x.sources?.length) },
    );
    const input = item.turns.map((t) => ('press' in t ? `[${t.press}]` : t.q)).join(' → ');
    tally(r, item.typing, graded.pass, { id: item.id, input, why: graded.why ?? '', got: got.answer.slice(0, 240) });
  }
  return r;
}
