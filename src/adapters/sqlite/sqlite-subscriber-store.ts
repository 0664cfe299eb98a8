/**
 * Subscribers in the embedded SQLite database: one row per (channel, user). Like the other stores, only the
 * channels the bot can write to first (Telegram, Zalo) get records: a web or terminal visitor never does.
 */
import type { ChannelName } from '../../core/conversation.js';
import type { Subscriber, SubscriberStore } from '../../core/subscribers.js';
import type { SqliteDatabase } from './database.js';

/** Channels where the bot can write first (announcements, status changes): only they have subscribers. */
const PUSH_CHANNELS: ReadonlySet<ChannelName> = new Set(['telegram', 'zalo']);

interface Row {
  channel: string;
  user_id: string;
  display_name: string | null;
  chat_id: string | null;
  first_seen: number;
  last_seen: number;
  opted_in: number;
  active: number;
  inactive_reason: string | null;
  commune: string | null;
  product_group: string | null;
}

const fromRow = (r: Row): Subscriber => ({
  channel: r.channel as ChannelName,
  userId: r.user_id,
  displayName: r.display_name ?? undefined,
  chatId: r.chat_id ?? undefined,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  optedIn: r.opted_in === 1,
  active: r.active === 1,
  inactiveReason: r.inactive_reason ?? undefined,
  commune: r.commune ?? undefined,
  productGroup: r.product_group ?? undefined,
});

export class SqliteSubscriberStore implements SubscriberStore {
  private readonly upsert;
  private readonly one;
  private readonly all;
  private readonly optIn;
  private readonly activity;
  private readonly place;

  constructor(db: SqliteDatabase) {
    this.upsert = db.prepare(
      `INSERT INTO subscribers (channel, user_id, display_name, chat_id, first_seen, last_seen)
       VALUES (@channel, @userId, @displayName, @chatId, @at, @at)
       ON CONFLICT (channel, user_id) DO UPDATE SET
         display_name = COALESCE(excluded.display_name, display_name),
         chat_id = COALESCE(excluded.chat_id, chat_id),
         last_seen = excluded.last_seen,
         active = 1,
         inactive_reason = NULL`,
    );
    this.one = db.prepare<[string, string], Row>('SELECT * FROM subscribers WHERE channel = ? AND user_id = ?');
    this.all = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE channel = ? ORDER BY first_seen, user_id');
    this.optIn = db.prepare<[number, string, string]>(
      'UPDATE subscribers SET opted_in = ? WHERE channel = ? AND user_id = ?',
    );
    this.activity = db.prepare<[number, string | null, string, string]>(
      'UPDATE subscribers SET active = ?, inactive_reason = ? WHERE channel = ? AND user_id = ?',
    );
    this.place = db.prepare<[string | null, string | null, string, string]>(
      `UPDATE subscribers SET commune = COALESCE(?, commune), product_group = COALESCE(?, product_group)
       WHERE channel = ? AND user_id = ?`,
    );
  }

  async touch(
    channel: ChannelName,
    userId: string,
    seen: { displayName?: string; chatId?: string; at: number },
  ): Promise<void> {
    // Anyone can invent web user ids: recording them would let a script grow the database without limit.
    if (!PUSH_CHANNELS.has(channel)) return;
    this.upsert.run({
      channel,
      userId,
      displayName: seen.displayName || null,
      chatId: seen.chatId || null,
      at: seen.at,
    });
  }

  async get(channel: ChannelName, userId: string): Promise<Subscriber | undefined> {
    const row = this.one.get(channel, userId);
    return row && fromRow(row);
  }

  async setOptIn(channel: ChannelName, userId: string, optedIn: boolean): Promise<void> {
    this.optIn.run(optedIn ? 1 : 0, channel, userId);
  }

  async markInactive(channel: ChannelName, userId: string, reason: string): Promise<void> {
    this.activity.run(0, reason, channel, userId);
  }

  async markActive(channel: ChannelName, userId: string): Promise<void> {
    this.activity.run(1, null, channel, userId);
  }

  async update(
    channel: ChannelName,
    userId: string,
    fields: Pick<Subscriber, 'commune' | 'productGroup'>,
  ): Promise<void> {
    this.place.run(fields.commune ?? null, fields.productGroup ?? null, channel, userId);
  }

  async list(channel: ChannelName): Promise<Subscriber[]> {
    return this.all.all(channel).map(fromRow);
  }
}
