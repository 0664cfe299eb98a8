import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai-server.js';
import { testConfig } from '../support/app.js';

const QUESTION = 'Tổng kinh phí dự kiến của Đề án OCOP tỉnh Cao Bằng là bao nhiêu?';

describe('LLM phrasing through LangChain against a local OpenAI-compatible server', () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi(() => ({ content: '' }));
  });
  afterAll(() => fake.close());

  function assistantWithLlm(timeout = '3000') {
    return createAssistant(
      testConfig({
        OPENAI_API_KEY: 'test-key',
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_MODEL: 'local-model',
        LLM_TIMEOUT_MS: timeout,
      }),
      silentLogger,
    );
  }

  it('uses the model output when it cites a retrieved passage and invents no number', async () => {
    const a = assistantWithLlm();
    const extractive = a.answerer.answer(QUESTION);
    const cited = extractive.sources[0]!.id;
    fake.respond = () => ({ content: `Đề án OCOP Cao Bằng dự kiến tổng kinh phí 326 tỷ 325 triệu đồng [${cited}].` });
    const answer = await a.answers.ask(QUESTION);
    expect(answer.body).toBe('Đề án OCOP Cao Bằng dự kiến tổng kinh phí 326 tỷ 325 triệu đồng.');
    expect(answer.sources.map((s) => s.id)).toEqual([cited]);
    expect(answer.text).toContain('Nguồn:');
    const request = fake.requests.at(-1)!;
    expect(request.model).toBe('local-model');
    expect(request.authorization).toBe('Bearer test-key');
    expect(request.messages[0]!.content).toContain('Chỉ dùng thông tin trong các ĐOẠN TƯ LIỆU');
    expect(request.messages[1]!.content).toContain(`[${cited}]`);
  });

  it.each([
    ['no citation', () => 'Tổng kinh phí là 326 tỷ 325 triệu đồng.'],
    ['an unknown passage id', () => 'Tổng kinh phí là 326 tỷ 325 triệu đồng [bia-dat#khong-co].'],
    ['an invented number', (id: string) => `Tổng kinh phí là 999 tỷ đồng [${id}].`],
    ['the model says it lacks information', () => 'KHÔNG_ĐỦ_THÔNG_TIN'],
  ])('keeps the extractive answer when the output has %s', async (_name, make) => {
    const a = assistantWithLlm();
    const extractive = a.answerer.answer(QUESTION);
    fake.respond = () => ({ content: make(extractive.sources[0]!.id) });
    const answer = await a.answers.ask(QUESTION);
    expect(answer.text).toBe(extractive.text);
  });

  it('keeps the extractive answer when the server fails or is too slow', async () => {
    const a = assistantWithLlm('300');
    const extractive = a.answerer.answer(QUESTION);
    fake.respond = () => ({ status: 500 });
    expect((await a.answers.ask(QUESTION)).text).toBe(extractive.text);
    // A grounded answer that would be used, had it come in time: the extractive one shows the timeout won.
    const cited = extractive.sources[0]!.id;
    fake.respond = () => ({
      content: `Đề án OCOP Cao Bằng dự kiến tổng kinh phí 326 tỷ 325 triệu đồng [${cited}].`,
      delayMs: 3000,
    });
    expect((await a.answers.ask(QUESTION)).text).toBe(extractive.text);
  });

  it('never calls the model for a question it must not answer', async () => {
    const a = assistantWithLlm();
    const before = fake.requests.length;
    const answer = await a.answers.ask('Hướng dẫn tôi nấu phở bò');
    expect(answer.abstained).toBe(true);
    expect(fake.requests.length).toBe(before);
  });
});
