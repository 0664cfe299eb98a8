/**
 * The texts and the eligibility questions of the two checks (prompts/checks.yaml), validated at start-up: a
 * missing text or an eligibility option without its step fails loudly, not in a conversation.
 */
import { z } from 'zod';
import { OWNER_TYPES } from '../registration/types.js';

export const SECTORS = ['food', 'herbal', 'craft', 'ornamental', 'tourism'] as const;
export type Sector = (typeof SECTORS)[number];

const text = z.string().trim().min(1);

const optionSchema = z
  .object({
    label: text,
    outcome: z.enum(['ok', 'step', 'blocker']),
    step: text.optional(),
    office: text.optional(),
    note: text.optional(),
    /** What the answer tells the registration form. */
    owner: z.enum(OWNER_TYPES).optional(),
    registered: z.boolean().optional(),
  })
  .refine((o) => o.outcome === 'ok' || (o.step !== undefined && o.office !== undefined), {
    message: 'a "step" or "blocker" option needs its step and its office',
  });

const questionSchema = z.object({
  id: text,
  text,
  sectors: z.array(z.enum(SECTORS)).optional(),
  options: z.array(optionSchema).min(2),
});

/** The texts of the self-score, by key. */
const SCORE_KEYS = [
  'intro',
  'product_question',
  'set_confirm',
  'set_confirm_yes',
  'set_confirm_other',
  'sector_question',
  'set_question',
  'set_name',
  'question',
  'requirement',
  'option_line',
  'choose_hint',
  'retry',
  'result_title',
  'result_parts',
  'result_open',
  'result_band',
  'result_band_range',
  'result_capped',
  'result_no_ocop',
  'next_title',
  'next_points',
  'next_missing',
  'missing_line',
  'missing_council',
  'next_gains',
  'gain_line',
  'skipped_line',
  'edit_hint',
  'caution',
  'send_button',
  'again_button',
  'sent_to_submission',
  'sent_pending',
  'nothing_to_send',
] as const;
type ScoreTextKey = (typeof SCORE_KEYS)[number];

export const checkTextsSchema = z.object({
  eligibility: z.object({
    intro: text,
    product_question: text,
    product_retry: text,
    sector_question: text,
    sector_labels: z.object(Object.fromEntries(SECTORS.map((s) => [s, text])) as Record<Sector, typeof text>),
    product_recognised: text,
    question: text,
    questions: z.array(questionSchema).min(1),
    verdict_ready: text,
    verdict_steps: text,
    verdict_blocked: text,
    verdict_also: text,
    step_line: text,
    notes_title: text,
    skipped_line: text,
    edit_hint: text,
    caution: text,
    register_button: text,
    score_button: text,
    again_button: text,
  }),
  score: z.object(Object.fromEntries(SCORE_KEYS.map((k) => [k, text])) as Record<ScoreTextKey, typeof text>),
  common: z.object({
    skip_button: text,
    back_button: text,
    first_question: text,
    cancel_confirm: text,
    cancel_yes: text,
    cancel_no: text,
    cancelled: text,
    paused: text,
    resume_prompt: text,
    resume_continue: text,
    resume_restart: text,
    side_resume: text,
    titles: z.object({ eligibility: text, score: text }),
  }),
});

export type CheckTexts = z.infer<typeof checkTextsSchema>;
export type EligibilityQuestion = CheckTexts['eligibility']['questions'][number];

/** The sector of a classification code: I and II food and drink, III herbal, IV crafts, V ornamental, VI tourism. */
export function sectorOfCode(code: string): Sector {
  const roman = code.split('.')[0];
  if (roman === 'III') return 'herbal';
  if (roman === 'IV') return 'craft';
  if (roman === 'V') return 'ornamental';
  if (roman === 'VI') return 'tourism';
  return 'food';
}
