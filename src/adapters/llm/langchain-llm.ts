/** An OpenAI-compatible chat model through LangChain.js (@langchain/openai), for any base URL. */
import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { LlmClient } from '../../core/knowledge/grounded-rephraser.js';

export interface LangchainLlmOptions {
  apiKey: string;
  model: string;
  baseURL?: string;
  timeoutMs: number;
}

export function createLangchainLlm({ apiKey, model, baseURL, timeoutMs }: LangchainLlmOptions): LlmClient {
  const chat = new ChatOpenAI({
    apiKey,
    model,
    temperature: 0,
    timeout: timeoutMs,
    maxRetries: 1,
    configuration: baseURL ? { baseURL } : {},
  });
  return {
    async complete(system, user) {
      const result = await chat.invoke([new SystemMessage(system), new HumanMessage(user)]);
      return typeof result.content === 'string'
        ? result.content
        : result.content.map((part) => ('text' in part ? String(part.text) : '')).join('');
    },
  };
}
