/**
 * The platform-independent conversation engine: one entry point, `handle(message) → replies`, shared by the
 * web chat, the terminal chat and (later) Telegram and Zalo. It routes commands, answers questions through
 * the AnswerService and keeps per-user state in a ConversationStore.
 */
import type { Button, ConversationState, ConversationStore, InboundMessage, Reply } from './conversation.js';
import type { AnswerService } from './knowledge/answer-service.js';
import { formatSource, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { toSourceLink } from './knowledge/answerer.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { format, type Messages } from './messages.js';
import { foldText } from './text/vietnamese.js';

export interface Engine {
  handle(message: InboundMessage): Promise<Reply[]>;
}

export interface EngineOptions {
  answers: AnswerService;
  kb: KnowledgeBase;
  messages: Messages;
  store: ConversationStore;
  logger?: Logger;
  /** Longest message read, in characters. */
  maxTextLength?: number;
  now?: () => number;
}

type Command = 'start' | 'help' | 'more';

const COMMANDS: Record<Command, string[]> = {
  start: ['/start', 'start', '/menu', 'menu', 'bat dau', 'xin chao', 'chao', 'chao ban', 'hello', 'hi', 'alo'],
  help: ['/help', 'help', 'huong dan', 'tro giup', 'giup do', 'cach dung'],
  more: ['xem them', 'chi tiet', 'them nua', 'noi them'],
};

function commandOf(text: string): Command | undefined {
  const t = text.trim().toLowerCase();
  const folded = t.startsWith('/') ? t.split(/[\s@]/)[0]! : foldText(t);
  return (Object.keys(COMMANDS) as Command[]).find((c) => COMMANDS[c].includes(folded));
}

export function createEngine({
  answers,
  kb,
  messages,
  store,
  logger = silentLogger,
  maxTextLength = 1000,
  now = Date.now,
}: EngineOptions): Engine {
  const menuButtons: Button[] = messages.menu_buttons;
  const menu = (text: string): Reply => ({ text, buttons: menuButtons });

  async function answerQuestion(text: string, state: ConversationState): Promise<Reply[]> {
    const answer = await answers.ask(text);
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

  return {
    async handle(message) {
      const log = logger.child({ channel: message.channel });
      const text = message.text?.normalize('NFC').trim();
      if (message.text === undefined || (message.kind && message.kind !== 'text')) return [{ text: messages.non_text }];
      if (!text) return [{ text: messages.empty_input }];
      if (text.length > maxTextLength) return [{ text: format(messages.too_long, { length: text.length, max: maxTextLength }) }];

      const state: ConversationState = (await store.get(message.channel, message.userId)) ?? { turns: 0, updatedAt: now() };
      state.turns += 1;
      state.updatedAt = now();
      let replies: Reply[];
      const command = commandOf(text);
      try {
        if (command === 'start') replies = [{ text: messages.greeting }, menu(messages.menu_prompt)];
        else if (command === 'help') replies = [menu(messages.help)];
        else if (command === 'more') replies = more(state);
        else replies = await answerQuestion(text, state);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'engine failed to answer');
        return [{ text: messages.error }];
      }
      await store.set(message.channel, message.userId, state);
      return replies;
    },
  };
}
