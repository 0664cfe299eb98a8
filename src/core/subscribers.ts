/**
 * Everyone who talks to the bot, once per channel: who they are, when they were seen, whether they want
 * announcements and whether they can still be reached.
 */
import type { ChannelName } from './conversation.js';

export interface Subscriber {
  channel: ChannelName;
  userId: string;
  displayName?: string;
  /** Where to write to the user, when the platform's chat id differs from the user id. */
  chatId?: string;
  firstSeen: number;
  lastSeen: number;
  /** Wants announcements ("Nhận thông báo"). Off until the user asks. */
  optedIn: boolean;
  /** False once the platform says the user blocked the bot or no longer exists. */
  active: boolean;
  inactiveReason?: string;
  commune?: string;
  productGroup?: string;
}

export interface SubscriberStore {
  /** Records a message from the user: creates the subscriber on first contact, refreshes it after. */
  touch(
    channel: ChannelName,
    userId: string,
    seen: { displayName?: string; chatId?: string; at: number },
  ): Promise<void>;
  get(channel: ChannelName, userId: string): Promise<Subscriber | undefined>;
  setOptIn(channel: ChannelName, userId: string, optedIn: boolean): Promise<void>;
  /** The platform refused to deliver (blocked, deactivated) or reported the bot removed. */
  markInactive(channel: ChannelName, userId: string, reason: string): Promise<void>;
  markActive(channel: ChannelName, userId: string): Promise<void>;
  update(channel: ChannelName, userId: string, fields: Pick<Subscriber, 'commune' | 'productGroup'>): Promise<void>;
  list(channel: ChannelName): Promise<Subscriber[]>;
}
