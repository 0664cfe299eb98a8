/**
 * The platform-independent conversation engine: one entry point, `handle(message) → replies`, shared by the
 * web chat, the terminal chat, Telegram and Zalo. It resolves button presses and numbered choices, routes
 * menu intents, answers questions through the AnswerService and keeps per-user state in a ConversationStore.
 */
import {
  PUSH_CHANNELS,
  type Button,
  type ChannelName,
  type ConversationState,
  type ConversationStore,
  type InboundMessage,
  type OfferedChoices,
  type Reply,
} from './conversation.js';
import type { QuestionLog } from './insights/question-log.js';
import type { AnswerService } from './knowledge/answer-service.js';
import { formatSource, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { toSourceLink } from './knowledge/answerer.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { format, type Messages } from './messages.js';
import type { SubscriberStore } from './subscribers.js';
import { REGISTRATION_SUBMIT_WORDS, type RegistrationDialog } from './registration/dialog.js';
import type { OfficerCommands } from './officer/officer-commands.js';
import { foldText } from './text/vietnamese.js';

export interface Engine {
  handle(message: InboundMessage): Promise<Reply[]>;
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
  /** /thongbao and /tiendo for the accounts in OFFICER_IDS. */
  officers?: OfficerCommands;
  logger?: Logger;
  /** Counts the questions that reach retrieval and keeps the unanswered ones ("Câu hỏi chưa trả lời được"). */
  questions?: QuestionLog;
  /** Longest message read, in characters. */
  maxTextLength?: number;
  now?: () => number;
}

type Intent = 'start' | 'help' | 'more' | 'topics' | 'register' | 'profile' | 'subscribe' | 'unsubscribe' | 'submit';

/** Typed commands and menu values, folded (no diacritics, lower case, no punctuation). */
const INTENTS: Record<Intent, string[]> = {
  start: ['/start', 'start', '/menu', 'menu', 'bat dau', 'xin chao', 'chao', 'chao ban', 'hello', 'hi', 'alo'],
  help: ['/help', 'help', 'huong dan', 'tro giup', 'giup do', 'cach dung'],
  more: ['xem them', 'chi tiet', 'them nua', 'noi them'],
  topics: ['hoi ve ocop', '/hoi'],
  register: [
    'dang ky y tuong san pham', 'dang ky y tuong', 'dang ky ocop', '/dangky', 'toi muon dang ky y tuong', 'toi muon dang ky ocop',
    'dang ky san pham', 'dang ky san pham ocop', 'toi muon dang ky', 'muon dang ky y tuong', 'dang ky tham gia ocop',
  ],
  submit: REGISTRATION_SUBMIT_WORDS,
  profile: ['ho so cua toi', 'xem ho so', '/hoso'],
  subscribe: ['nhan thong bao', 'dang ky nhan tin', 'dang ky nhan thong bao', 'nhan tin', '/nhanthongbao'],
  unsubscribe: ['huy nhan thong bao', 'huy nhan tin', 'huy dang ky nhan tin', 'huy', 'dung', 'dung nhan tin', 'dung nhan thong bao', 'stop', '/stop', '/huythongbao'],
};

/** How many sets of offered buttons stay pressable. */
const CHOICE_HISTORY = 3;

function intentOf(text: string): Intent | undefined {
  const t = text.trim().toLowerCase();
  const key = t.startsWith('/') ? t.split(/[\s@]/)[0]! : foldText(t);
  return (Object.keys(INTENTS) as Intent[]).find((i) => INTENTS[i].includes(key));
}

/** The value of a choice picked by typing its number or its label (with or without diacritics). */
function typedChoice(text: string, offered: OfferedChoices | undefined): string | undefined {
  if (!offered) return undefined;
  const number = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  if (number) return offered.values[Number(number[1]) - 1];
  const folded = foldText(text);
  const i = offered.labels.findIndex((label) => foldText(label) === folded);
  return i >= 0 ? offered.values[i] : undefined;
}

export function createEngine({
  answers,
  kb,
  messages,
  store,
  subscribers,
  registration,
  officers,
  logger = silentLogger,
  questions,
  maxTextLength = 1000,
  now = Date.now,
}: EngineOptions): Engine {
  const menu = (text: string): Reply => ({ text, buttons: messages.menu_buttons });

  async function answerQuestion(text: string, state: ConversationState, channel: ChannelName): Promise<Reply[]> {
    const answer = await answers.ask(text);
    if (questions) {
      // Fire and forget: the log never delays or breaks the answer.
      const cited = answer.abstained ? undefined : answer.sources[0];
      const record = { channel, text, abstained: answer.abstained, topicId: cited?.id, topicTitle: cited?.title, at: now() };
      void Promise.resolve()
        .then(() => questions.record(record))
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'question not logged'));
    }
    if (answer.abstained) {
      logger.info({ event: 'abstained', confidence: Number(answer.confidence.toFixed(2)) }, 'question not answered');
      return [menu(answer.needsProduct ? messages.ask_product : messages.abstain)];
    }
    const cited = answer.sources[0];
    state.lastPassageId = cited?.id;
    const passage = cited ? kb.passageById.get(cited.id) : undefined;
    const hasMore = passage !== undefined && foldText(passage.text).length > foldText(answer.body).length + 20;
    return [{
      text: answer.text,
      sources: answer.sources,
      ...(hasMore ? { buttons: [{ label: messages.more_button, value: messages.more_value }] } : {}),
    }];
  }

  function more(state: ConversationState): Reply[] {
    const passage = state.lastPassageId ? kb.passageById.get(state.lastPassageId) : undefined;
    if (!passage) return [{ text: messages.no_more }];
    state.lastPassageId = undefined;
    const text = `${messages.more_intro}\n${passage.heading}\n${passage.text}\n\n${messages.source_label}: ${formatSource(passage.source)}`;
    return [{ text, sources: [toSourceLink(passage)] }];
  }

  async function subscription(message: InboundMessage, wanted: boolean): Promise<Reply[]> {
    if (!subscribers || !PUSH_CHANNELS.includes(message.channel)) return [{ text: messages.subscribe_unavailable }];
    const current = await subscribers.get(message.channel, message.userId);
    if (current?.optedIn === wanted) {
      return wanted
        ? [{ text: messages.already_subscribed, buttons: [{ label: messages.unsubscribe_button, value: messages.unsubscribe_button }] }]
        : [{ text: messages.not_subscribed }];
    }
    await subscribers.setOptIn(message.channel, message.userId, wanted);
    return [{ text: wanted ? messages.subscribed : messages.unsubscribed }];
  }

  async function route(text: string, message: InboundMessage, state: ConversationState): Promise<Reply[]> {
    switch (intentOf(text)) {
      case 'start':
        return [{ text: messages.greeting }, menu(messages.menu_prompt)];
      case 'help':
        return [menu(messages.help)];
      case 'more':
        return more(state);
      case 'topics':
        return [{ text: messages.topic_prompt, buttons: messages.topic_buttons }];
      case 'register':
        return registration.start(message);
      case 'profile':
        return registration.profile(message);
      case 'submit':
        return registration.submitWithoutDraft(message);
      case 'subscribe':
        return subscription(message, true);
      case 'unsubscribe':
        return subscription(message, false);
      default:
        return answerQuestion(text, state, message.channel);
    }
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

  return {
    async handle(message) {
      const log = logger.child({ channel: message.channel });
      const state: ConversationState = (await store.get(message.channel, message.userId)) ?? { turns: 0, updatedAt: now() };
      let text: string | undefined;
      let replies: Reply[];
      if (message.buttonRef !== undefined) {
        text = pressed(message.buttonRef, state);
        if (text === undefined) replies = [menu(messages.stale_button)];
      } else if (message.kind === 'contact' && message.contactPhone && (await registration.active(message.channel, message.userId))) {
        text = message.contactPhone;
      } else if (message.text === undefined || (message.kind && message.kind !== 'text')) {
        const kind = message.kind && message.kind !== 'text' ? message.kind : 'other';
        return [{ text: messages.non_text_replies[kind] }];
      } else {
        const typed = message.text.normalize('NFC').trim();
        if (!typed) return [{ text: messages.empty_input }];
        if (typed.length > maxTextLength) return [{ text: format(messages.too_long, { length: typed.length, max: maxTextLength }) }];
        const numbered = state.choices?.find((c) => c.seq === state.numberedSeq);
        text = typedChoice(typed, numbered) ?? typed;
      }
      state.turns += 1;
      state.updatedAt = now();
      try {
        const officerReplies = text !== undefined ? await officers?.handle(message, text, state) : undefined;
        if (officerReplies) replies = officerReplies;
        else if (text !== undefined) {
          const draft = await registration.active(message.channel, message.userId);
          replies = draft && intentOf(text) !== 'help'
            ? await registration.handle(message, draft, text)
            : await route(text, message, state);
        }
      } catch (err) {
        log.error({ err: (err as Error).message }, 'engine failed to answer');
        return [{ text: messages.error }];
      }
      replies = offerChoices(replies!, state);
      await store.set(message.channel, message.userId, state);
      return replies;
    },
  };
}
