/**
 * The user-facing texts (prompts/messages.yaml), validated so that a missing key fails at start-up, not in
 * the middle of a conversation.
 */
import { z } from 'zod';

const button = z.object({ label: z.string().min(1), value: z.string().min(1) });

export const messagesSchema = z.object({
  greeting: z.string(),
  help: z.string(),
  menu_prompt: z.string(),
  menu_buttons: z.array(button).min(1),
  topic_prompt: z.string(),
  topic_buttons: z.array(button).min(1),
  choose_hint: z.string(),
  stale_button: z.string(),
  register_unavailable: z.string(),
  profile_empty: z.string(),
  subscribed: z.string(),
  already_subscribed: z.string(),
  unsubscribed: z.string(),
  not_subscribed: z.string(),
  unsubscribe_button: z.string(),
  subscribe_unavailable: z.string(),
  flood: z.string(),
  bot_commands: z.array(z.object({ command: z.string().regex(/^[a-z0-9_]{1,32}$/), description: z.string().min(1).max(256) })),
  share_contact_button: z.string(),
  ask_product: z.string(),
  abstain: z.string(),
  empty_input: z.string(),
  too_long: z.string(),
  non_text: z.string(),
  non_text_replies: z.object({
    photo: z.string(),
    sticker: z.string(),
    voice: z.string(),
    location: z.string(),
    file: z.string(),
    contact: z.string(),
    other: z.string(),
  }),
  error: z.string(),
  source_label: z.string(),
  caution_secondary: z.string(),
  more_button: z.string(),
  more_value: z.string(),
  no_more: z.string(),
  more_intro: z.string(),
  classify_answer: z.string(),
  classify_subgroup: z.string(),
  classify_2019: z.string(),
  classify_note: z.string(),
  web_title: z.string(),
  web_subtitle: z.string(),
  web_placeholder: z.string(),
  web_send: z.string(),
  web_sources: z.string(),
  web_error: z.string(),
  web_you: z.string(),
  web_bot: z.string(),
});
export type Messages = z.infer<typeof messagesSchema>;
export type MessageKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
