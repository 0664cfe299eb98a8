/**
 * The platform-independent conversation engine: one entry point, `handle(message) → replies`, shared by the
 * web chat, the terminal chat, Telegram and Zalo.
 *
 * A pressed button carries a payload ("req:register", "ask:ocop-la-gi", "form:skip"…), never a label to parse.
 * Every typed message is read once by the language layer (understanding/reading.ts) in the context of the
 * conversation (a follow-up, a product the bot asked for); the officer commands, the registration form and the
 * routing below act on that reading. Replies are written with "bạn" and "tôi" and turned into the pronouns the
 * user speaks with.
 */
import {
  PUSH_CHANNELS,
  type Button,
  type ChannelName,
  type ConversationState,
  type ConversationStore,
  type InboundMessage,
  type Reply,
} from './conversation.js';
import type { QuestionLog } from './insights/question-log.js';
import type { AnswerService } from './knowledge/answer-service.js';
import type { Answer } from './knowledge/answerer.js';
import { formatSource, type KnowledgeBase, type PassageAction } from './knowledge/knowledge-base.js';
import { toSourceLink } from './knowledge/answerer.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { format, type Messages } from './messages.js';
import type { SubscriberStore } from './subscribers.js';
import type { RegistrationDialog } from './registration/dialog.js';
import type { CheckDialog } from './checks/dialog.js';
import type { OfficerCommands } from './officer/officer-commands.js';
import type { SubmissionPhotos } from './registration/photos.js';
import { foldText } from './text/vietnamese.js';
import type { Reading } from './understanding/reading.js';
import type { Input } from './input.js';
import type { AddressForm, RequestKind } from './understanding/vocabulary.js';
import { personalize } from './address-forms.js';

export interface Engine {
  /**
   * `saving`, when given, is called with the replies as the conversation state is saved, and awaited with it: the
   * caller's own record of the answer (the update journal's) then goes out in the same round trip as the state.
   */
  handle(message: InboundMessage, saving?: (replies: Reply[]) => Promise<void>): Promise<Reply[]>;
}

export interface EngineOptions {
  answers: AnswerService;
  kb: KnowledgeBase;
  messages: Messages;
  store: ConversationStore;
  /** Needed for "Nhận thông báo"; without it the bot says announcements are unavailable. */
  subscribers?: SubscriberStore;
  /** The product-idea registration form and "Hồ sơ của tôi". */
  registration: RegistrationDialog;
  /** "Kiểm tra điều kiện tham gia OCOP" and "Tự chấm điểm sơ bộ". */
  checks?: CheckDialog;
  /** /thongbao and /tiendo for the accounts in OFFICER_IDS. */
  officers?: OfficerCommands;
  /** Photos for a submission an officer marked "Cần bổ sung"; without it every photo gets the non-text reply. */
  photos?: Pick<SubmissionPhotos, 'receive'>;
  logger?: Logger;
  /** Counts the questions that reach retrieval and keeps the unanswered ones ("Câu hỏi chưa trả lời được"). */
  questions?: QuestionLog;
  /** Longest message read, in characters. */
  maxTextLength?: number;
  now?: () => number;
}

/** Requests answered outside the form while it stays open (the next message continues it). */
const LEAVE_FORM = new Set<RequestKind>(['help', 'profile', 'subscribe', 'unsubscribe', 'erase']);
/** Requests that leave a check (kept, paused by the next start): those, and another form or check. */
const LEAVE_CHECK = new Set<RequestKind>([...LEAVE_FORM, 'register', 'eligibility', 'selfscore']);

/** How many sets of offered buttons stay pressable. */
const CHOICE_HISTORY = 3;

/** Button payloads that only work where the bot can write first (announcements): not offered elsewhere. */
const PUSH_ONLY_PAYLOADS: ReadonlySet<string> = new Set(['req:subscribe', 'req:unsubscribe']);

/** The replies without the buttons that would only be refused on this channel (the web cannot get announcements). */
export function buttonsForChannel(replies: Reply[], channel: ChannelName): Reply[] {
  if (PUSH_CHANNELS.includes(channel)) return replies;
  return replies.map((reply) => {
    if (!reply.buttons?.some((b) => PUSH_ONLY_PAYLOADS.has(b.value))) return reply;
    const { buttons, ...rest } = reply;
    const kept = buttons.filter((b) => !PUSH_ONLY_PAYLOADS.has(b.value));
    return kept.length ? { ...rest, buttons: kept } : rest;
  });
}

/** Folded lengths of texts already measured: the same answers and passages come back with every repeated question. */
const foldedLengths = new Map<string, number>();
function foldedLength(text: string): number {
  let n = foldedLengths.get(text);
  if (n === undefined) {
    n = foldText(text).length;
    if (foldedLengths.size >= 5000) foldedLengths.clear();
    foldedLengths.set(text, n);
  }
  return n;
}

/** The answer leaves out a good part of its passage: "Xem thêm" shows the rest. */
const saysLess = (body: string, passageText: string) => foldedLength(passageText) > foldedLength(body) + 20;

/**
 * The payload of a choice picked by typing its number or its label (with or without diacritics). A number the
 * last reply's buttons do not have picks from the most recent earlier set that has it ("3" for the menu after
 * a reply whose only button was "Xem thêm").
 */
function typedChoice(text: string, state: ConversationState): string | undefined {
  const sets = state.choices ?? [];
  const last = sets.find((c) => c.seq === state.numberedSeq);
  const number = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (number) {
    const n = Number(number[1]);
    if (last && n >= 1 && n <= last.values.length) return last.values[n - 1];
    if (!last) return undefined;
    const earlier = [...sets].reverse().find((c) => c.seq !== last.seq && n >= 1 && n <= c.values.length);
    return earlier?.values[n - 1];
  }
  if (!last) return undefined;
  const folded = foldText(text);
  const i = last.labels.findIndex((label) => foldText(label) === folded);
  return i >= 0 ? last.values[i] : undefined;
}

export function createEngine({
  answers,
  kb,
  messages,
  store,
  subscribers,
  registration,
  checks,
  officers,
  photos,
  logger = silentLogger,
  questions,
  maxTextLength = 1000,
  now = Date.now,
}: EngineOptions): Engine {
  const reader = answers.reader;
  const menu = (text: string): Reply => ({ text, buttons: messages.menu_buttons });
  const button = (label: string, value: string): Button => ({ label, value });
  const actionButton = (action: PassageAction): Button =>
    button(messages.action_buttons[action], `req:${action === 'classify' ? 'classify' : action}`);

  function logQuestion(channel: ChannelName, answer: Answer, userId?: string): void {
    if (!questions) return;
    // Fire and forget: the log never delays or breaks the answer.
    const cited = answer.abstained ? undefined : answer.sources[0];
    const record = {
      channel,
      ...(userId ? { userId } : {}),
      text: answer.reading.typed,
      abstained: answer.abstained,
      topicId: cited?.id,
      topicTitle: cited?.title,
      at: now(),
    };
    void Promise.resolve()
      .then(() => questions.record(record))
      .catch((err: unknown) =>
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'question not logged'),
      );
  }

  async function answerQuestion(
    reading: Reading,
    state: ConversationState,
    channel: ChannelName,
    userId?: string,
  ): Promise<Reply[]> {
    const answer = await answers.ask(reading);
    state.expecting = undefined;
    // "Hôm nay tôi hơi mệt, nhưng vẫn cố tìm hiểu thêm.": a remark that asks nothing and matches nothing is
    // acknowledged, not answered with "I do not know", and is not logged as an unanswered question.
    const remark =
      !reading.asks &&
      !reading.followUp &&
      reading.request.concepts.some((c) => c === 'feeling' || c === 'thanks' || c === 'ack');
    if (answer.abstained && answer.abstainReason === 'unknown' && remark) return [{ text: messages.small_talk.ack }];
    logQuestion(channel, answer, userId);
    if (answer.abstained) {
      logger.info(
        { event: 'abstained', reason: answer.abstainReason, confidence: Number(answer.confidence.toFixed(2)) },
        'question not answered',
      );
      if (answer.needsProduct) {
        state.expecting = 'product';
        return [{ text: messages.ask_product }];
      }
      return [menu(answer.text)];
    }
    const cited = answer.sources[0];
    state.lastPassageId = cited?.id;
    state.topic = reader.topicOf(answer.reading, cited?.id, now(), answer.body);
    const passage = cited ? kb.passageById.get(cited.id) : undefined;
    const hasMore = answer.kind === 'retrieval' && passage !== undefined && saysLess(answer.body, passage.text);
    const buttons = [
      ...(answer.action ? [actionButton(answer.action)] : []),
      ...(checks && !answer.action ? ownCheck(answer.reading).map(actionButton) : []),
      ...(hasMore ? [button(messages.more_button, messages.more_value)] : []),
    ];
    return [{ text: answer.text, sources: answer.sources, keepPronouns: true, ...(buttons.length ? { buttons } : {}) }];
  }

  /**
   * "Sản phẩm của tôi đủ điều kiện chưa", "sp nhà em được mấy điểm": a question about one's own product's
   * conditions or score is answered, and the check that answers it for that product is offered.
   */
  function ownCheck(reading: Reading): PassageAction[] {
    if (!reading.ownProduct) return [];
    if (reading.answerTypes.includes('eligibility')) return ['eligibility'];
    if (
      reading.entities.stars.length ||
      reading.entities.points.length ||
      /\b(sao|diem)\b/.test(foldText(reading.text))
    )
      return ['selfscore'];
    return [];
  }

  function more(state: ConversationState): Reply[] {
    const passage = state.lastPassageId ? kb.passageById.get(state.lastPassageId) : undefined;
    if (!passage) return [{ text: messages.no_more }];
    state.lastPassageId = undefined;
    const text = `${messages.more_intro}\n${passage.heading}\n${passage.text}\n\n${messages.source_label}: ${formatSource(passage.source)}`;
    return [{ text, sources: [toSourceLink(passage)], keepPronouns: true }];
  }

  async function subscription(message: InboundMessage, wanted: boolean, confirm = false): Promise<Reply[]> {
    if (!subscribers || !PUSH_CHANNELS.includes(message.channel)) {
      return confirm ? [menu(messages.nothing_to_stop)] : [{ text: messages.subscribe_unavailable }];
    }
    const current = await subscribers.get(message.channel, message.userId);
    if (confirm) {
      // "dung", "huy", "thôi" alone: stop announcements only when asked twice, and only if there is any to stop.
      if (!current?.optedIn) return [menu(messages.nothing_to_stop)];
      return [
        {
          text: messages.confirm_unsubscribe,
          buttons: [
            button(messages.confirm_unsubscribe_yes, 'req:unsubscribe'),
            button(messages.confirm_unsubscribe_no, 'sub:keep'),
          ],
        },
      ];
    }
    if (current?.optedIn === wanted) {
      return wanted
        ? [{ text: messages.already_subscribed, buttons: [button(messages.unsubscribe_button, 'req:unsubscribe')] }]
        : [{ text: messages.not_subscribed }];
    }
    await subscribers.setOptIn(message.channel, message.userId, wanted);
    return [{ text: wanted ? messages.subscribed : messages.unsubscribed }];
  }

  /** What a request (from a button or a reading) does outside the form. */
  async function request(
    kind: RequestKind,
    message: InboundMessage,
    state: ConversationState,
    reading?: Reading,
  ): Promise<Reply[] | undefined> {
    switch (kind) {
      case 'greeting':
        return [{ text: messages.greeting }, menu(messages.menu_prompt)];
      case 'menu':
      case 'unclear':
        return [menu(messages.menu_prompt)];
      case 'help':
        // How to get announcements only where they can be received.
        return [
          menu(
            PUSH_CHANNELS.includes(message.channel)
              ? `${messages.help}\n${messages.help_announcements}`
              : messages.help,
          ),
        ];
      case 'topics':
        return [{ text: messages.topic_prompt, buttons: messages.topic_buttons }];
      case 'more':
        return more(state);
      case 'thanks':
      case 'ack':
      case 'goodbye':
      case 'identity':
      case 'wrong':
        return [{ text: messages.small_talk[kind] }];
      case 'classify':
        state.expecting = 'product';
        return [{ text: messages.ask_product }];
      case 'register':
        if (reading?.request.clarify) {
          // "nhà em làm homestay, có đăng ký OCOP được không" → "thì thuộc nhóm nào": the product stays the topic.
          if (reading.product) state.topic = reader.topicOf(reading, undefined, now());
          return [
            {
              text: messages.clarify_register,
              buttons: [
                button(messages.clarify_register_now, 'req:register'),
                button(messages.clarify_register_learn, 'ask:cach-dang-ky'),
              ],
            },
          ];
        }
        return registration.start(message, await checks?.carriedToForm(message.channel, message.userId));
      case 'profile':
        return registration.profile(message);
      case 'erase':
        return registration.eraseOffer(message);
      case 'eligibility':
      case 'selfscore':
        if (!checks) return undefined;
        return checks.start(message, kind === 'eligibility' ? 'eligibility' : 'score', reading?.product?.matched);
      case 'submit':
        return registration.submitWithoutDraft(message);
      case 'subscribe':
        return subscription(message, true);
      case 'unsubscribe':
        return subscription(message, false, reading?.request.confirm === true);
      case 'edit':
        // "sửa 3" after a check's result: that question again (nothing to edit: it is read as a question).
        return reading?.request.editLine !== undefined ? checks?.edit(message, reading.request.editLine) : undefined;
      case 'cancel':
      case 'back':
      case 'pause':
        // Nothing is being filled in: "thôi" is never mind; a bare "hủy" may mean the announcements.
        if (reading?.request.neverMind) return [{ text: messages.small_talk.ack }];
        if (reading?.request.ofSubmission) return [menu(messages.nothing_to_stop)];
        return subscription(message, false, true);
      default:
        return undefined;
    }
  }

  async function route(input: Input, message: InboundMessage, state: ConversationState): Promise<Reply[]> {
    if (input.payload !== undefined) {
      const [ns, ...rest] = input.payload.split(':');
      const value = rest.join(':');
      if (ns === 'req') {
        const replies = await request(value as RequestKind, message, state);
        if (replies) return replies;
      }
      if (ns === 'ask' && messages.ask_questions[value])
        return answerQuestion(reader.read(messages.ask_questions[value]!), state, message.channel, message.userId);
      if (input.payload === 'sub:keep') return [{ text: messages.kept_subscription }];
      if (input.payload === 'erase:confirm') return registration.erase(message);
      if (input.payload === 'erase:keep') return [{ text: messages.erase_kept }];
      if (input.payload === 'chk:send' && checks) return checks.send(message);
      // A form or officer button pressed after the form or the announcement ended.
      return [menu(messages.stale_button)];
    }
    const { reading } = input;
    if (reading.request.kind !== 'question') {
      const replies = await request(reading.request.kind, message, state, reading);
      if (replies) return replies;
    }
    return answerQuestion(reading, state, message.channel, message.userId);
  }

  /** Gives every offered button a short ref and remembers the latest sets, so presses can be resolved. */
  function offerChoices(replies: Reply[], state: ConversationState): Reply[] {
    const history = state.choices ?? [];
    let seq = history.at(-1)?.seq ?? 0;
    const offered = replies.map((reply) => {
      if (!reply.buttons?.length) return reply;
      seq += 1;
      history.push({ seq, values: reply.buttons.map((b) => b.value), labels: reply.buttons.map((b) => b.label) });
      return { ...reply, buttons: reply.buttons.map((b, i): Button => ({ ...b, ref: `${seq}.${i}` })) };
    });
    // Numbers typed next refer to the last reply's buttons; without buttons there, they are ordinary text.
    state.numberedSeq = replies.at(-1)?.buttons?.length ? seq : undefined;
    state.choices = history.slice(-CHOICE_HISTORY);
    return offered;
  }

  function pressed(ref: string, state: ConversationState): string | undefined {
    const [seq, index] = ref.split('.').map(Number);
    return state.choices?.find((c) => c.seq === seq)?.values[index ?? -1];
  }

  function speak(replies: Reply[], form: AddressForm | undefined): Reply[] {
    const forms = messages.address_forms;
    return replies.map(({ keepPronouns, ...reply }) =>
      keepPronouns
        ? reply
        : {
            ...reply,
            text: personalize(reply.text, forms.default, forms[form ?? 'default']),
            ...(reply.buttons
              ? {
                  buttons: reply.buttons.map((b) => ({
                    ...b,
                    label: personalize(b.label, forms.default, forms[form ?? 'default']),
                  })),
                }
              : {}),
          },
    );
  }

  return {
    async handle(message, saving) {
      const log = logger.child({ channel: message.channel });
      // Debug only, and masked by the logger like every line: what was typed, to follow a conversation.
      log.debug(
        { kind: message.kind ?? 'text', text: message.text, contact: message.contactPhone },
        'message received',
      );
      // Two independent reads, one round trip.
      const [saved, draft, check] = await Promise.all([
        store.get(message.channel, message.userId),
        registration.active(message.channel, message.userId),
        checks?.active(message.channel, message.userId),
      ]);
      const state: ConversationState = saved ?? { turns: 0, updatedAt: now() };
      let input: Input | undefined;
      let replies: Reply[] | undefined;
      // A photo goes to the submission waiting for it before anything else (the form, the caption as text).
      if (message.photo && photos) {
        let accepted: Reply[] | undefined;
        try {
          accepted = await photos.receive(message);
        } catch (err) {
          log.error({ err: (err as Error).message }, 'photo not received');
          return speak([{ text: messages.photo_replies.failed }], state.address);
        }
        if (accepted) return speak(accepted, state.address);
      }
      if (message.buttonRef !== undefined) {
        const payload = pressed(message.buttonRef, state);
        if (payload === undefined) replies = [menu(messages.stale_button)];
        else input = { payload };
      } else if (message.kind === 'contact' && message.contactPhone && draft) {
        input = { reading: reader.read(message.contactPhone), text: message.contactPhone };
      } else if (message.text === undefined || (message.kind && message.kind !== 'text')) {
        const kind = message.kind && message.kind !== 'text' ? message.kind : 'other';
        return speak([{ text: messages.non_text_replies[kind] }], state.address);
      } else {
        const typed = message.text.normalize('NFC').trim();
        if (!typed) return speak([{ text: messages.empty_input }], state.address);
        if (typed.length > maxTextLength)
          return speak(
            [{ text: format(messages.too_long, { length: typed.length, max: maxTextLength }) }],
            state.address,
          );
        const payload = typedChoice(typed, state);
        if (payload !== undefined) input = { payload };
        else {
          const inForm = draft !== undefined || check !== undefined;
          const reading = reader.readInContext(typed, {
            expecting: inForm ? undefined : state.expecting,
            previous: inForm ? undefined : state.topic,
            now: now(),
          });
          // Form answers (names, places) say nothing of how the user speaks.
          if (reading.address && !inForm) state.address = reading.address;
          input = { reading, text: typed };
        }
      }
      state.turns += 1;
      state.updatedAt = now();
      try {
        if (input) {
          const officerReplies = await officers?.handle(message, input);
          // The answer to "xóa dữ liệu của tôi" is for the engine, whether a form or a check is open.
          const erasing = input.payload?.startsWith('erase:') ?? false;
          if (officerReplies) replies = officerReplies;
          else if (erasing) replies = await route(input, message, state);
          else if (
            draft &&
            !(
              input.reading &&
              LEAVE_FORM.has(input.reading.request.kind) &&
              !input.reading.request.confirm &&
              !registration.keeps(draft, input)
            )
          ) {
            replies = await registration.handle(message, draft, input);
          } else if (
            check &&
            checks &&
            !(input.reading && LEAVE_CHECK.has(input.reading.request.kind) && !input.reading.request.confirm) &&
            !(input.payload?.startsWith('req:') ?? false)
          ) {
            replies = await checks.handle(message, check, input);
          } else replies = await route(input, message, state);
        }
      } catch (err) {
        log.error({ err: (err as Error).message }, 'engine failed to answer');
        return speak([{ text: messages.error }], state.address);
      }
      replies = offerChoices(speak(buttonsForChannel(replies!, message.channel), state.address), state);
      // The state first: issued in the same tick, both go to the store in one write, in this order.
      await Promise.all([store.set(message.channel, message.userId, state), saving?.(replies)]);
      return replies;
    },
  };
}
