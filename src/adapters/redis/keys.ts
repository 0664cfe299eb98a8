/** Every Redis key the application uses, built in one place from the configured prefix. */
import type { ChannelName } from '../../core/conversation.js';

export function createKeys(prefix: string) {
  return {
    conversation: (channel: ChannelName, userId: string) => `${prefix}:conv:${channel}:${userId}`,
    /** One update's journal record (JSON while queued, "done" after), see core/update-journal.ts. */
    update: (dedupKey: string) => `${prefix}:upd:${dedupKey}`,
    /** List of one user's accepted, not yet handled updates (dedup keys), oldest first. */
    updateQueue: (channel: ChannelName, userId: string) => `${prefix}:updq:${channel}:${userId}`,
    /** Sorted set of users with work left (`<channel>:<user>`), scored by when to look again (ms). */
    updateDue: () => `${prefix}:upd-due`,
    /** List of parked updates (JSON, no text), newest first, trimmed; and how many were parked in all. */
    updateDeadLetters: () => `${prefix}:upd-dead`,
    updateParkedTotal: () => `${prefix}:upd-dead:total`,
    userLock: (channel: ChannelName, userId: string) => `${prefix}:lock:${channel}:${userId}`,
    flood: (channel: ChannelName, userId: string, window: number) => `${prefix}:flood:${channel}:${userId}:${window}`,
    /** Failed sign-ins to the officer API in the current window, per client address or per token prefix. */
    signInFailures: (id: string) => `${prefix}:signin-fail:${id}`,
    /** One officer account (JSON), no TTL; the hash username → account id; the sorted set of ids by creation. */
    officerAccount: (id: string) => `${prefix}:officer:acct:${id}`,
    officerUsernames: () => `${prefix}:officer:usernames`,
    officerAccountIndex: () => `${prefix}:officer:accts`,
    /** One console session (JSON) under a hash of its cookie id, expiring with the session. */
    officerSession: (key: string) => `${prefix}:officer:sess:${key}`,
    /** Requests per client address in the current window, per limited route group (chat, webhooks). */
    rateLimit: (id: string) => `${prefix}:rl:${id}`,
    /** The answer to one web chat message (by the page's message id), kept briefly so a retry is not run twice. */
    webReply: (userId: string, messageId: string) => `${prefix}:web-reply:${userId}:${messageId}`,
    subscriber: (channel: ChannelName, userId: string) => `${prefix}:sub:${channel}:${userId}`,
    subscriberIndex: (channel: ChannelName) => `${prefix}:subs:${channel}`,
    draft: (channel: ChannelName, userId: string) => `${prefix}:draft:${channel}:${userId}`,
    /** A user's eligibility check or self-score, while answered and after (for sending its result). */
    check: (channel: ChannelName, userId: string) => `${prefix}:check:${channel}:${userId}`,
    /** An announcement an officer is composing in chat. */
    officerDraft: (channel: ChannelName, userId: string) => `${prefix}:officer-draft:${channel}:${userId}`,
    /** One submission (JSON), no TTL. */
    submission: (id: string) => `${prefix}:reg:sub:${id}`,
    /** Sorted set of every submission id, scored by createdAt. */
    submissionIndex: () => `${prefix}:reg:all`,
    /** Sorted set of one user's submission ids, scored by createdAt. */
    submissionsByUser: (channel: ChannelName, userId: string) => `${prefix}:reg:user:${channel}:${userId}`,
    /** Idempotency key (the draft's id) → submission id, or a short-lived claim while it is being created. */
    submissionIdempotency: (idempotencyKey: string) => `${prefix}:reg:idem:${idempotencyKey}`,
    /** The bytes of one attachment ("<submission id>/<attachment id>"), binary, no TTL. */
    attachmentBlob: (key: string) => `${prefix}:reg:blob:${key}`,
    /** Reference-code counter for one year (Vietnam time). */
    submissionSequence: (year: number) => `${prefix}:reg:seq:${year}`,
    /** Set of submission ids stored but not yet delivered to the external system. */
    submissionOutboxPending: () => `${prefix}:reg:outbox:pending`,
    /** One announcement campaign: its description (JSON) and counters. */
    broadcast: (id: string) => `${prefix}:bc:${id}`,
    /** Per-recipient delivery state of a campaign ("sending:<ts>", "sent", "failed", "blocked", "cancelled"). */
    broadcastState: (id: string) => `${prefix}:bc:${id}:state`,
    /** The recipients a campaign was resolved to (JSON per entry). */
    broadcastRecipients: (id: string) => `${prefix}:bc:${id}:rcpt`,
    /** Sorted set of campaign ids by creation time. */
    broadcastIndex: () => `${prefix}:bc:all`,
    broadcastSequence: () => `${prefix}:bc:seq`,
    /** The next free send slot of a channel (ms, Redis clock): sends are spaced evenly across all workers. */
    broadcastSlot: (channel: string) => `${prefix}:bc:slot:${channel}`,
    /** Held for a moment after each announcement to a chat: at most one per chat per interval. */
    broadcastChatGate: (channel: string, chatId: string) => `${prefix}:bc:gate:${channel}:${chatId}`,
    /** BullMQ's own key prefix (BullMQ appends `:<queue>:<...>`). */
    bullPrefix: () => `${prefix}:bull`,
    /** List of unanswered questions (JSON), newest first, trimmed to the most recent N. */
    questionsUnanswered: () => `${prefix}:insights:unanswered`,
    /** Hash of one Vietnam-time day's question counters (`total`, `unanswered`), expiring after ~400 days. */
    questionsDay: (date: string) => `${prefix}:insights:day:${date}`,
    /** Sorted set of cited passage ids, scored by how many questions cited them. */
    questionTopics: () => `${prefix}:insights:topics`,
    /** Hash of cited passage id → its title. */
    questionTopicTitles: () => `${prefix}:insights:topic-titles`,
    /** Hash of handled unanswered-question groups: folded wording → the group (JSON). */
    questionsHandled: () => `${prefix}:insights:handled`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
