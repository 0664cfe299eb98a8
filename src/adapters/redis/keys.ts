/** Every Redis key the application uses, built in one place from the configured prefix. */
import type { ChannelName } from '../../core/conversation.js';

export function createKeys(prefix: string) {
  return {
    conversation: (channel: ChannelName, userId: string) => `${prefix}:conv:${channel}:${userId}`,
    /** One update's processing mark ("processing" while claimed, "done" after). */
    update: (dedupKey: string) => `${prefix}:upd:${dedupKey}`,
    userLock: (channel: ChannelName, userId: string) => `${prefix}:lock:${channel}:${userId}`,
    flood: (channel: ChannelName, userId: string, window: number) => `${prefix}:flood:${channel}:${userId}:${window}`,
    subscriber: (channel: ChannelName, userId: string) => `${prefix}:sub:${channel}:${userId}`,
    subscriberIndex: (channel: ChannelName) => `${prefix}:subs:${channel}`,
    draft: (channel: ChannelName, userId: string) => `${prefix}:draft:${channel}:${userId}`,
    /** One submission (JSON), no TTL. */
    submission: (id: string) => `${prefix}:reg:sub:${id}`,
    /** Sorted set of every submission id, scored by createdAt. */
    submissionIndex: () => `${prefix}:reg:all`,
    /** Sorted set of one user's submission ids, scored by createdAt. */
    submissionsByUser: (channel: ChannelName, userId: string) => `${prefix}:reg:user:${channel}:${userId}`,
    /** Idempotency key (the draft's id) → submission id, or a short-lived claim while it is being created. */
    submissionIdempotency: (idempotencyKey: string) => `${prefix}:reg:idem:${idempotencyKey}`,
    /** Reference-code counter for one year (Vietnam time). */
    submissionSequence: (year: number) => `${prefix}:reg:seq:${year}`,
    /** Set of submission ids stored but not yet delivered to the external system. */
    submissionOutboxPending: () => `${prefix}:reg:outbox:pending`,
    /** BullMQ's own key prefix (BullMQ appends `:<queue>:<...>`). */
    bullPrefix: () => `${prefix}:bull`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
