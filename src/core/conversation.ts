/**
 * The neutral message model shared by every channel (web chat, terminal, Telegram, Zalo).
 * A channel turns its platform's update into an InboundMessage and renders Reply values back, degrading
 * what the platform lacks (Zalo has no buttons, so choices become numbered lines).
 */

import type { ChannelName } from './channel-names.js';
import type { TopicContext } from './understanding/reading.js';
import type { AddressForm } from './understanding/vocabulary.js';

export { CHANNELS, type ChannelName, PUSH_CHANNELS } from './channel-names.js';

export type MessageKind = 'text' | 'photo' | 'sticker' | 'voice' | 'location' | 'file' | 'contact' | 'other';

export interface InboundMessage {
  channel: ChannelName;
  /** The user's id on that channel. */
  userId: string;
  /** Typed text. Undefined for a photo, sticker, voice note, or a pressed button. */
  text?: string;
  /** What was sent. A missing kind with text means text. */
  kind?: MessageKind;
  /** A pressed button, by the `ref` the engine gave it (channels with real buttons). */
  buttonRef?: string;
  /** A photo, by the platform's reference to its file (the largest size on Telegram), with its caption. */
  photo?: { fileId: string; caption?: string };
  /** A phone number shared with the platform's contact button (Telegram). */
  contactPhone?: string;
  /** The platform update this message came in (its dedup key): a second run of the same update changes nothing. */
  updateKey?: string;
}

export interface Button {
  label: string;
  /** What pressing the button means, as if the user had typed it. */
  value: string;
  /** A short ASCII reference the engine resolves back to `value` (fits Telegram's 64-byte callback_data). */
  ref?: string;
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
  /** Ask for the user's phone number with the platform's contact button where there is one. */
  requestContact?: boolean;
  /** The message text numbers the choices itself: a channel without buttons does not list them again. */
  choicesInText?: boolean;
  /** Quoted knowledge: its pronouns are not changed to the user's (see address-forms.ts). Engine-internal. */
  keepPronouns?: boolean;
}

/** The buttons offered in one reply, kept so that a press (or a typed "2") can be resolved later. */
export interface OfferedChoices {
  seq: number;
  values: string[];
  labels: string[];
}

/** Per-user conversation state kept between messages. */
export interface ConversationState {
  /** The passage quoted last, for "xem thêm". */
  lastPassageId?: string;
  /** The most recent sets of offered buttons, newest last (a few, so an older keyboard still works). */
  choices?: OfferedChoices[];
  /** The set a typed number ("2") picks from: the last reply's buttons, if it had any. */
  numberedSeq?: number;
  /** What the bot asked for last: a product name (the "Sản phẩm của tôi thuộc nhóm nào?" button). */
  expecting?: 'product';
  /** The last question answered, for follow-ups ("còn giai đoạn 2021-2025 thì sao?"). */
  topic?: TopicContext;
  /** How the user speaks of themselves, to answer with the matching pronouns. */
  address?: AddressForm;
  turns: number;
  updatedAt: number;
}

/** Where conversation state lives: memory for a single process, Redis for several. */
export interface ConversationStore {
  get(channel: ChannelName, userId: string): Promise<ConversationState | undefined>;
  set(channel: ChannelName, userId: string, state: ConversationState): Promise<void>;
  close?(): Promise<void>;
}
