/**
 * The neutral message model shared by every channel (web chat, terminal, and later Telegram and Zalo).
 * A channel turns its platform's update into an InboundMessage and renders Reply values back.
 */

export type ChannelName = 'web' | 'cli' | 'telegram' | 'zalo';

export interface InboundMessage {
  channel: ChannelName;
  /** The user's id on that channel. */
  userId: string;
  /** Typed text, or a pressed button's value. Undefined for a photo, sticker, voice note... */
  text?: string;
  /** What was sent when it was not text (for a helpful reply). */
  kind?: 'text' | 'photo' | 'sticker' | 'voice' | 'location' | 'file' | 'other';
}

export interface Button {
  label: string;
  value: string;
}

export interface SourceLink {
  id: string;
  title: string;
  doc: string;
  date?: string;
  url?: string;
}

export interface Reply {
  text: string;
  buttons?: Button[];
  /** The passages the text is based on, for channels that can show links. */
  sources?: SourceLink[];
}

/** Per-user conversation state kept between messages. */
export interface ConversationState {
  /** The passage quoted last, for "xem thêm". */
  lastPassageId?: string;
  turns: number;
  updatedAt: number;
}

/** Where conversation state lives: memory for a single process, Redis for several. */
export interface ConversationStore {
  get(channel: ChannelName, userId: string): Promise<ConversationState | undefined>;
  set(channel: ChannelName, userId: string, state: ConversationState): Promise<void>;
  close?(): Promise<void>;
}
