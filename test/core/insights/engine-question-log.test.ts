/**
 * The engine records every question that reaches retrieval in the question log: unanswered ones with their
 * text, answered ones with the cited passage as topic. Menu commands are not questions, and a failing or
 * hanging log never breaks or holds up the answer.
 */
import { describe, expect, it } from 'vitest';
import { MemoryQuestionLog } from '../../../src/adapters/memory/memory-question-log.js';
import { MemoryConversationStore } from '../../../src/adapters/memory/memory-conversation-store.js';
import type { InboundMessage } from '../../../src/core/conversation.js';
import { createEngine } from '../../../src/core/engine.js';
import type { QuestionLog } from '../../../src/core/insights/question-log.js';
import type { Logger } from '../../../src/core/logger.js';
import { app } from '../../support/app.js';

const NOW = Date.UTC(2026, 2, 5, 3, 0);

/** The engine as the app builds it, plus a question log. */
function engineWith(questions: QuestionLog, logger?: Logger) {
  const a = app();
  const engine = createEngine({
    answers: a.answers,
    kb: a.kb,
    messages: a.messages,
    store: new MemoryConversationStore(3600),
    subscribers: a.subscribers,
    registration: a.registration,
    questions,
    now: () => NOW,
    ...(logger ? { logger } : {}),
  });
  return { a, engine };
}

const say = (text: string, channel: InboundMessage['channel'] = 'zalo'): InboundMessage => ({
  channel,
  userId: 'u',
  text,
  kind: 'text',
});
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('engine → question log', () => {
  it('records an abstained question as unanswered, with its channel, masked text and time', async () => {
    const log = new MemoryQuestionLog();
    const { a, engine } = engineWith(log);
    const [reply] = await engine.handle(say('Con trâu nhà tôi bị ốm thì chữa thế nào, gọi 0912345678'));
    expect(reply!.text).toBe(a.messages.abstain);
    await settle();
    expect(await log.unanswered()).toEqual([
      { channel: 'zalo', text: 'Con trâu nhà tôi bị ốm thì chữa thế nào, gọi ***', at: NOW, userId: 'u' },
    ]);
    expect(await log.daily(1, NOW)).toEqual([{ date: '2026-03-05', total: 1, unanswered: 1 }]);
  });

  it('counts an answered question under the passage it cites, and keeps it out of the unanswered list', async () => {
    const log = new MemoryQuestionLog();
    const { engine } = engineWith(log);
    const [reply] = await engine.handle(say('chứng nhận ocop có giá trị bao lâu', 'telegram'));
    const cited = reply!.sources![0]!;
    await settle();
    expect(await log.unanswered()).toEqual([]);
    expect(await log.topTopics(5)).toEqual([{ id: cited.id, title: cited.title, count: 1 }]);
    expect(await log.daily(1, NOW)).toEqual([{ date: '2026-03-05', total: 1, unanswered: 0 }]);
  });

  it('does not record menu commands or small talk', async () => {
    const log = new MemoryQuestionLog();
    const { engine } = engineWith(log);
    for (const text of ['/start', 'huong dan', 'menu', 'cảm ơn em nhiều', 'ok', 'alo ad oi', 'tạm biệt'])
      await engine.handle(say(text));
    await settle();
    expect(await log.daily(1, NOW)).toEqual([{ date: '2026-03-05', total: 0, unanswered: 0 }]);
  });

  it('answers even when the log fails or never finishes, and logs the failure', async () => {
    const warnings: string[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      error() {},
      warn: (obj, msg) => void warnings.push(`${msg} ${JSON.stringify(obj)}`),
      child: () => logger,
    };
    const failing: QuestionLog = {
      record: () => {
        throw new Error('redis down');
      },
      unanswered: async () => [],
      daily: async () => [],
      topTopics: async () => [],
    };
    const { a, engine } = engineWith(failing, logger);
    expect((await engine.handle(say('Con trâu nhà tôi bị ốm thì chữa thế nào')))[0]!.text).toBe(a.messages.abstain);
    await settle();
    expect(warnings).toEqual(['question not logged {"err":"redis down"}']);

    const hanging: QuestionLog = { ...failing, record: () => new Promise<void>(() => {}) };
    const slow = engineWith(hanging).engine;
    const reply = await Promise.race([
      slow.handle(say('Con trâu nhà tôi bị ốm thì chữa thế nào')),
      new Promise((r) => setTimeout(() => r('timed out'), 2000)),
    ]);
    expect(reply).not.toBe('timed out');
  });
});
