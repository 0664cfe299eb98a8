/**
 * Zalo Bot Platform update shapes (bot-api.zaloplatforms.com). Parsing is lenient on purpose: the live platform
 * differs from its docs (ids may arrive as numbers, the webhook body may or may not be wrapped in {ok, result}),
 * so unknown keys are kept, ids are coerced to strings and malformed optional fields are dropped.
 */
import { z } from 'zod';

/** An id: a non-empty string, or a number coerced to a string. */
const idSchema = z
  .union([z.string(), z.number().finite()])
  .transform((v) => String(v))
  .pipe(z.string().min(1));

/** An optional field that becomes undefined when missing, null or of the wrong type. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Epoch milliseconds; a numeric string is accepted too. */
const dateSchema = z.union([z.number().finite(), z.string().regex(/^\d+$/).transform(Number)]);

export const zaloMessageSchema = z.looseObject({
  message_id: idSchema,
  date: lenient(dateSchema),
  from: z.looseObject({
    id: idSchema,
    display_name: lenient(z.string()),
    is_bot: lenient(z.boolean()),
  }),
  chat: z.looseObject({
    id: idSchema,
    chat_type: lenient(z.string()),
  }),
  text: lenient(z.string()),
  photo: lenient(z.string()),
  photo_url: lenient(z.string()),
  caption: lenient(z.string()),
  sticker: lenient(z.string()),
  url: lenient(z.string()),
  message_type: lenient(z.string()),
});

/** `message` is optional since v2.5 of the docs: an event without one is valid (and not answered). */
export const zaloUpdateSchema = z.looseObject({
  event_name: z.string().min(1),
  message: zaloMessageSchema.optional(),
});

export type ZaloMessage = z.infer<typeof zaloMessageSchema>;
export type ZaloUpdate = z.infer<typeof zaloUpdateSchema>;

/** Known `event_name` values (others, e.g. from future platform versions, still parse). */
export const ZALO_EVENTS = {
  text: 'message.text.received',
  image: 'message.image.received',
  sticker: 'message.sticker.received',
  unsupported: 'message.unsupported.received',
} as const;

/**
 * Parses a webhook body or a getUpdates answer. Accepts the documented `{ok: true, result: {event_name, message}}`
 * and the observed top-level `{event_name, message}`. Returns undefined for anything malformed; never throws.
 */
export function parseZaloUpdate(body: unknown): ZaloUpdate | undefined {
  const check = checkZaloUpdate(body);
  return check.ok ? check.update : undefined;
}

export type ZaloUpdateCheck = { ok: true; update: ZaloUpdate } | { ok: false; problems: string[] };

/** parseZaloUpdate with the reasons of a refusal: paths and issue codes only, never a value (texts, names). */
export function checkZaloUpdate(body: unknown): ZaloUpdateCheck {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problems: ['(body)'] };
    const record = body as Record<string, unknown>;
    const candidate = Object.hasOwn(record, 'event_name') ? record : record.ok === true ? record.result : undefined;
    const parsed = zaloUpdateSchema.safeParse(candidate);
    if (parsed.success) return { ok: true, update: parsed.data };
    return {
      ok: false,
      problems: parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.code}`),
    };
  } catch {
    return { ok: false, problems: ['(body): unreadable'] };
  }
}
