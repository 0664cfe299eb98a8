/** Every Redis key the application uses, built in one place from the configured prefix. */
import type { ChannelName } from '../../core/conversation.js';

export function createKeys(prefix: string) {
  return {
    conversation: (channel: ChannelName, userId: string) => `${prefix}:conv:${channel}:${userId}`,
  };
}
export type Keys = ReturnType<typeof createKeys>;
