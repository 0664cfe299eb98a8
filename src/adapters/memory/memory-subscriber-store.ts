/** Subscribers in process memory: for one process without Redis, and for tests. Lost on restart. */
import type { ChannelName } from '../../core/conversation.js';
import type { Subscriber, SubscriberStore } from '../../core/subscribers.js';

/** Channels where the bot can write first (announcements, status changes): only they have subscribers. */
const PUSH_CHANNELS: ReadonlySet<ChannelName> = new Set(['telegram', 'zalo']);

export class MemorySubscriberStore implements SubscriberStore {
  private readonly subscribers = new Map<string, Subscriber>();

  async touch(
    channel: ChannelName,
    userId: string,
    seen: { displayName?: string; chatId?: string; at: number },
  ): Promise<void> {
    // A web or terminal visitor cannot be written to first, and anyone can invent web user ids.
    if (!PUSH_CHANNELS.has(channel)) return;
    const known = this.subscribers.get(`${channel}:${userId}`);
    this.subscribers.set(`${channel}:${userId}`, {
      ...(known ?? { channel, userId, firstSeen: seen.at, optedIn: false }),
      displayName: seen.displayName ?? known?.displayName,
      chatId: seen.chatId ?? known?.chatId,
      lastSeen: seen.at,
      active: true,
      inactiveReason: undefined,
    });
  }

  async get(channel: ChannelName, userId: string): Promise<Subscriber | undefined> {
    const s = this.subscribers.get(`${channel}:${userId}`);
    return s && { ...s };
  }

  async setOptIn(channel: ChannelName, userId: string, optedIn: boolean): Promise<void> {
    this.patch(channel, userId, { optedIn });
  }

  async markInactive(channel: ChannelName, userId: string, reason: string): Promise<void> {
    this.patch(channel, userId, { active: false, inactiveReason: reason });
  }

  async markActive(channel: ChannelName, userId: string): Promise<void> {
    this.patch(channel, userId, { active: true, inactiveReason: undefined });
  }

  async update(
    channel: ChannelName,
    userId: string,
    fields: Pick<Subscriber, 'commune' | 'productGroup'>,
  ): Promise<void> {
    this.patch(channel, userId, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
  }

  async list(channel: ChannelName): Promise<Subscriber[]> {
    return [...this.subscribers.values()].filter((s) => s.channel === channel).map((s) => ({ ...s }));
  }

  private patch(channel: ChannelName, userId: string, fields: Partial<Subscriber>): void {
    const known = this.subscribers.get(`${channel}:${userId}`);
    if (known) Object.assign(known, fields);
  }
}
