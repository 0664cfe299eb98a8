/**
 * The web chat's answers by message id, kept for a few minutes: the page gives each message an id and sends it
 * again with a retry, so a message the server did answer (and whose answer was lost on the way) is not run twice.
 */

/** How long an answer is kept for a retry of its message. */
export const WEB_REPLY_TTL_SECONDS = 10 * 60;
/** How long a claim holds while its message is answered: a process that died answering it frees it after this. */
export const WEB_REPLY_CLAIM_SECONDS = 30;

/** 'new': this request runs the message. 'pending': another request is running it. 'done': its answer. */
export type ReplyClaim = { state: 'new' } | { state: 'pending' } | { state: 'done'; body: unknown };

export interface WebReplyMemo {
  /** Claims a message for this request, or says who has it: one claim per user and message id. */
  claim(userId: string, messageId: string): Promise<ReplyClaim>;
  /** Keeps the answer of a claimed message, for its retries. */
  save(userId: string, messageId: string, body: unknown): Promise<void>;
  /** Lets a claimed message go unanswered (it failed): its retry runs it again. */
  release(userId: string, messageId: string): Promise<void>;
}
