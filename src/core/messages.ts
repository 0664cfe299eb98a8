/**
 * The user-facing texts (prompts/messages.yaml), validated so that a missing key fails at start-up, not in
 * the middle of a conversation.
 */
import { z } from 'zod';
import { OWNER_TYPES, RAW_MATERIAL_SOURCES, SUBMISSION_STATUSES, type FieldId } from './registration/types.js';

const button = z.object({ label: z.string().min(1), value: z.string().min(1) });
const formField = z.object({ label: z.string().min(1), question: z.string().min(1), retry: z.string().min(1), help: z.string().min(1) });
const FORM_FIELD_IDS = [
  'ownerName', 'ownerType', 'hasBusinessRegistration', 'contactName', 'phone', 'email', 'commune', 'productName',
  'productGroup', 'description', 'packaging', 'rawMaterialSource', 'targetMarket', 'expectedOutput', 'supportWanted',
] as const satisfies readonly FieldId[];
const byKey = <K extends string, T extends z.ZodType>(keys: readonly K[], value: T) =>
  z.object(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, T>);

export const messagesSchema = z.object({
  greeting: z.string(),
  help: z.string(),
  menu_prompt: z.string(),
  menu_buttons: z.array(button).min(1),
  topic_prompt: z.string(),
  topic_buttons: z.array(button).min(1),
  choose_hint: z.string(),
  choose_hint_one: z.string(),
  stale_button: z.string(),
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
  form_fields: byKey(FORM_FIELD_IDS, formField),
  owner_type_labels: byKey(OWNER_TYPES, z.string().min(1)),
  raw_material_labels: byKey(RAW_MATERIAL_SOURCES, z.string().min(1)),
  yes_label: z.string(),
  no_label: z.string(),
  form_intro: z.string(),
  form_step: z.string(),
  form_skip_button: z.string(),
  form_back_button: z.string(),
  form_cancel_button: z.string(),
  form_pause_button: z.string(),
  form_first_step: z.string(),
  form_paused: z.string(),
  form_cancel_confirm: z.string(),
  form_cancel_yes: z.string(),
  form_cancel_no: z.string(),
  form_cancelled: z.string(),
  form_not_skippable: z.string(),
  form_three_misses: z.string(),
  form_resume_prompt: z.string(),
  form_resume_product: z.string(),
  form_resume_continue: z.string(),
  form_resume_restart: z.string(),
  form_side_resume: z.string(),
  form_commune_suggest: z.string(),
  form_commune_unknown: z.string(),
  form_commune_keep: z.string(),
  form_former_district: z.string(),
  form_former_district_same: z.string(),
  form_former_district_other: z.string(),
  form_group_proposed: z.string(),
  form_group_confirm: z.string(),
  form_group_other: z.string(),
  form_group_pick_sector: z.string(),
  form_group_pick: z.string(),
  form_summary_intro: z.string(),
  form_summary_empty: z.string(),
  form_summary_hint: z.string(),
  form_submit_button: z.string(),
  form_edit_which: z.string(),
  form_submitted: z.string(),
  form_already_submitted: z.string(),
  form_no_draft: z.string(),
  status_labels: byKey(SUBMISSION_STATUSES, z.string().min(1)),
  profile_intro: z.string(),
  profile_item: z.string(),
  profile_note: z.string(),
  status_changed_notice: z.string(),
  admin_csv_headers: byKey(['id', 'created_at', 'status', 'updated_at', 'channel', 'product_group_code', 'last_note'] as const, z.string().min(1)),
});
export type Messages = z.infer<typeof messagesSchema>;
export type MessageKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];
export { FORM_FIELD_IDS };

/** Fills `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
