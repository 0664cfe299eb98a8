/**
 * Unanswered questions an officer has dealt with ("Đã xử lý"): each handled group is kept with the wordings it
 * held, so those questions leave the open list. A question asked again after it was handled shows up again.
 */
import { foldText } from '../text/vietnamese.js';

export interface HandledQuestion {
  /** The group's key: its representative wording, folded. */
  key: string;
  /** The representative wording as shown. */
  text: string;
  /** Every folded wording the group held when it was handled. */
  keys: string[];
  /** How many questions the group held. */
  count: number;
  at: number;
  by: string;
  /** The officer's answer, when they answered rather than only marked it done. */
  answer?: string;
}

export interface QuestionReviewStore {
  markDone(handled: HandledQuestion): Promise<void>;
  /** Back to the open list. */
  reopen(key: string): Promise<void>;
  /** Most recently handled first. */
  handled(): Promise<HandledQuestion[]>;
}

/** How a wording is compared: lower case, no diacritics, words only ("Trâu ốm?" = "trau om"). */
export const questionKey = (text: string): string => foldText(text).trim();

/** True when the question belongs to a handled group and was asked before it was handled. */
export function isHandled(question: { text: string; at: number }, handled: readonly HandledQuestion[]): boolean {
  const key = questionKey(question.text);
  return handled.some((h) => question.at <= h.at && (h.key === key || h.keys.includes(key)));
}

export class MemoryQuestionReview implements QuestionReviewStore {
  private readonly items = new Map<string, HandledQuestion>();
  async markDone(handled: HandledQuestion): Promise<void> {
    this.items.set(handled.key, { ...handled, keys: [...handled.keys] });
  }
  async reopen(key: string): Promise<void> {
    this.items.delete(key);
  }
  async handled(): Promise<HandledQuestion[]> {
    return [...this.items.values()].sort((a, b) => b.at - a.at);
  }
}
