/** The channels a conversation can happen on: a leaf module, so that types everywhere can name them. */
export type ChannelName = 'web' | 'cli' | 'telegram' | 'zalo';
export const CHANNELS: readonly ChannelName[] = ['web', 'cli', 'telegram', 'zalo'];
/** Channels where the bot can write first (announcements, status changes). */
export const PUSH_CHANNELS: readonly ChannelName[] = ['telegram', 'zalo'];
