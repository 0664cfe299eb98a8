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
  };
}
export type Keys = ReturnType<typeof createKeys>;
