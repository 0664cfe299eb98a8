/**
 * Strict validation of a Telegram webhook body before grammY sees it: the parts our handlers read (message,
 * callback_query, my_chat_member) must have the types the Bot API documents, so no handler can crash on a
 * malformed update. Unknown keys and update kinds we do not handle pass (they are ignored by the handlers).
 */
import type { Update } from 'grammy/types';
import { z } from 'zod';

/** Telegram ids fit in 52 bits: safe integers, possibly negative (groups). */
const id = z.number().int().refine(Number.isSafeInteger, 'not a safe integer');

const user = z.looseObject({
  id,
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
});

const chat = z.looseObject({ id, type: z.string() });

/** A present field of a kind we only test for (photo, sticker, voice...) must at least be an object or an array. */
const present = z.union([z.looseObject({}), z.array(z.unknown())]).optional();

const message = z.looseObject({
  message_id: id,
  date: z.number(),
  chat,
  from: user.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  contact: z
    .looseObject({ phone_number: z.string(), first_name: z.string().optional(), user_id: id.optional() })
    .optional(),
  photo: z.array(z.unknown()).optional(),
  sticker: present,
  voice: present,
  audio: present,
  video_note: present,
  location: present,
  venue: present,
  document: present,
  video: present,
  animation: present,
});

const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  chat_instance: z.string().optional(),
  data: z.string().optional(),
  // A MaybeInaccessibleMessage: only its chat is read.
  message: z.looseObject({ chat }).optional(),
});

const member = z.looseObject({ status: z.string(), user: user.optional() });

const myChatMember = z.looseObject({
  chat,
  from: user,
  date: z.number(),
  old_chat_member: member,
  new_chat_member: member,
});

export const telegramUpdateSchema = z.looseObject({
  update_id: id.nonnegative(),
  message: message.optional(),
  callback_query: callbackQuery.optional(),
  my_chat_member: myChatMember.optional(),
});

export type TelegramUpdateCheck = { ok: true; update: Update } | { ok: false; updateId?: number; problems: string[] };

/**
 * Checks a webhook body. A malformed one gives where it is wrong (paths and issue codes, never a value, so no
 * text or phone number reaches a log line) and its update_id when that part is readable.
 */
export function checkTelegramUpdate(body: unknown): TelegramUpdateCheck {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (parsed.success) return { ok: true, update: body as Update };
  const raw = typeof body === 'object' && body !== null ? (body as { update_id?: unknown }).update_id : undefined;
  return {
    ok: false,
    ...(typeof raw === 'number' && Number.isSafeInteger(raw) ? { updateId: raw } : {}),
    problems: parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.code}`),
  };
}
