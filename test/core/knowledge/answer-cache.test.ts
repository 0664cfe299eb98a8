/** The answer cache: repeated questions skip retrieval and the LLM; fallbacks are not kept. */
import { describe, expect, it } from 'vitest';
import { createAnswerService } from '../../../src/core/knowledge/answer-service.js';
import type { AnswerRephraser } from '../../../src/core/knowledge/answerer.js';
import { assistant } from '../../support/app.js';

function countingRephraser(outcome: () => 'ok' | 'timeout'): AnswerRephraser & { calls: number } {
  const r = {
    calls: 0,
    async rephrase({ draft, passages }: Parameters<AnswerRephraser['rephrase']>[0]) {
      r.calls++;
      if (outcome() === 'timeout') return new Promise<undefined>(() => {});
      return { text: `${draft} [${passages[0]!.id}]`, citedIds: [passages[0]!.id] };
    },
  };
  return r;
}

describe('answer cache', () => {
  const { answerer } = assistant();

  it('answers a repeated question (any case or spacing) from the cache, without asking the LLM again', async () => {
    const llm = countingRephraser(() => 'ok');
    const service = createAnswerService({ answerer, rephraser: llm, cacheSize: 10 });
    const first = await service.ask('Chứng nhận OCOP có giá trị bao lâu?');
    const second = await service.ask('  chứng nhận ocop   có giá trị BAO LÂU? ');
    expect(second.text).toBe(first.text);
    expect(second.question).toBe('chứng nhận ocop   có giá trị BAO LÂU?');
    expect(llm.calls).toBe(1);
    // Diacritics matter: a question typed differently is a different question.
    await service.ask('chung nhan ocop co gia tri bao lau');
    expect(llm.calls).toBe(2);
  });

  it('does not keep an answer the LLM timed out on, and forgets the oldest beyond its size', async () => {
    let mode: 'ok' | 'timeout' = 'timeout';
    const llm = countingRephraser(() => mode);
    const service = createAnswerService({ answerer, rephraser: llm, cacheSize: 2, rephraseTimeoutMs: 50 });
    await service.ask('hồ sơ ocop nộp ở đâu');
    mode = 'ok';
    await service.ask('hồ sơ ocop nộp ở đâu');
    await service.ask('hồ sơ ocop nộp ở đâu');
    expect(llm.calls).toBe(2);
    await service.ask('mật ong thuộc nhóm nào');
    await service.ask('bao nhiêu điểm thì được 4 sao');
    await service.ask('hồ sơ ocop nộp ở đâu'); // evicted by the two newer questions
    expect(llm.calls).toBe(4);
  });

  it('is off with size 0', async () => {
    const llm = countingRephraser(() => 'ok');
    const service = createAnswerService({ answerer, rephraser: llm, cacheSize: 0 });
    await service.ask('hồ sơ ocop nộp ở đâu');
    await service.ask('hồ sơ ocop nộp ở đâu');
    expect(llm.calls).toBe(2);
  });

  it('never answers a follow-up from a question of the same words asked on its own', async () => {
    const service = createAnswerService({ answerer, cacheSize: 10 });
    const { reader } = answerer;
    const first = reader.read('Phần B trong phiếu chấm OCOP chấm về nội dung gì?');
    const previous = reader.topicOf(first, answerer.answer(first).sources[0]?.id, 0);
    const followUp = reader.readInContext('Phần C thì sao?', { previous, now: 0 });
    // Read after the answer about part B, the follow-up is part C's own passage; the same words alone are not.
    const alone = await service.ask(followUp.text);
    const inContext = await service.ask(followUp);
    expect(inContext.sources[0]?.id).toBe(answerer.answer(followUp).sources[0]?.id);
    expect(inContext.sources[0]?.id).not.toBe(alone.sources[0]?.id);
  });

  it('keeps the answer a short follow-up gets on its own, for whoever asks that message alone', async () => {
    const { reader } = answerer;
    const first = reader.read('Mật ong thuộc nhóm nào?');
    const previous = reader.topicOf(first, answerer.answer(first).sources[0]?.id, 0);
    const followUp = reader.readInContext('hồ sơ nộp ở đâu', { previous, now: 0 });
    expect(followUp.standalone).toBeDefined();
    let answered = 0;
    const computedAlone: string[] = [];
    const counting = Object.assign(Object.create(answerer) as typeof answerer, {
      answer: (q: Parameters<typeof answerer.answer>[0], alone: Parameters<typeof answerer.answer>[1]) => {
        answered++;
        return answerer.answer(q, (r, fresh) =>
          alone!(r, () => {
            computedAlone.push(r.text);
            return fresh();
          }),
        );
      },
    });
    const service = createAnswerService({ answerer: counting, cacheSize: 10 });
    const inContext = await service.ask(followUp);
    expect(inContext.text).toBe(answerer.answer(followUp).text);
    expect(computedAlone).toEqual(['hồ sơ nộp ở đâu']);
    // Asked alone next, the message is answered from the cache: the answerer is not called again.
    const alone = await service.ask('hồ sơ nộp ở đâu');
    expect(answered).toBe(1);
    expect(alone.text).toBe(answerer.answer('hồ sơ nộp ở đâu').text);
  });
});
