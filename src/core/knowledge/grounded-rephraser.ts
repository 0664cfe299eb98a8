/**
 * Lets an LLM phrase an answer from the retrieved passages, and keeps its output only when it is grounded:
 * it must cite at least one passage id it was given, cite no other, and contain no number that the passages
 * do not contain. Anything else (including the model saying it lacks information, a timeout or an error)
 * returns undefined, and the caller keeps the extractive answer.
 */
import type { AnswerRephraser } from './answerer.js';
import type { Passage } from './knowledge-base.js';

/** The one thing the core needs from a chat model. */
export interface LlmClient {
  complete(system: string, user: string): Promise<string>;
}

const CITATION = /\[([a-z0-9-]+#[a-z0-9-]+)\]/g;
const NOT_ENOUGH = 'KHÔNG_ĐỦ_THÔNG_TIN';

function numbersIn(text: string): Set<string> {
  return new Set((text.replace(/(\d)[.,](?=\d{3}\b)/g, '$1').match(/\d+/g) ?? []).filter((n) => n.length > 0));
}

export function createGroundedRephraser(llm: LlmClient, systemPrompt: string): AnswerRephraser {
  return {
    async rephrase({ question, draft, passages }) {
      if (passages.length === 0) return undefined;
      const context = passages.map((p) => `[${p.id}] ${p.heading}\n${p.text}`).join('\n\n');
      const user = `ĐOẠN TƯ LIỆU:\n${context}\n\nCÂU TRẢ LỜI NHÁP (trích từ tư liệu):\n${draft}\n\nCÂU HỎI:\n${question}`;
      const raw = (await llm.complete(systemPrompt, user)).trim();
      return validateGrounded(raw, passages);
    },
  };
}

/** Checks an LLM answer against the passages; returns the text without citation marks and the cited ids. */
export function validateGrounded(
  raw: string,
  passages: readonly Passage[],
): { text: string; citedIds: string[] } | undefined {
  if (!raw || raw.includes(NOT_ENOUGH)) return undefined;
  const known = new Map(passages.map((p) => [p.id, p]));
  const cited = [...new Set([...raw.matchAll(CITATION)].map((m) => m[1]!))];
  if (cited.length === 0 || cited.some((id) => !known.has(id))) return undefined;
  const allowed = numbersIn(cited.map((id) => `${known.get(id)!.heading} ${known.get(id)!.text}`).join(' '));
  const text = raw
    .replace(/\s*\[[a-z0-9-]+#[a-z0-9-]+\]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  for (const n of numbersIn(text)) if (!allowed.has(n)) return undefined;
  return { text, citedIds: cited };
}
