/**
 * The steps of the registration form: for each field, how it is asked (buttons, contact request), how an
 * answer is read and validated, and how it is shown in the summary. Texts come from prompts/messages.yaml
 * (`form_fields`); the dialog (dialog.ts) decides the order of things.
 */
import { z } from 'zod';
import type { Button } from '../conversation.js';
import type { ProductCategory, ProductClassifier } from '../knowledge/classifier.js';
import type { Messages } from '../messages.js';
import { foldText } from '../text/vietnamese.js';
import {
  FIELD_IDS,
  OWNER_TYPES,
  RAW_MATERIAL_SOURCES,
  type FieldId,
  type OwnerType,
  type ProductGroupRef,
  type RegistrationForm,
} from './types.js';
import { normalizeEmail, normalizePhone, parseOwnerType, parseRawMaterialSource, parseYesNo } from './field-parsers.js';

/** The fields in the order they are asked (and numbered in the summary). */
export const FIELD_ORDER: readonly FieldId[] = FIELD_IDS;

export const OPTIONAL_FIELDS: ReadonlySet<FieldId> = new Set(['email', 'supportWanted']);

/** Required fields answered in free text: an answer that gives nothing ("ko", "chưa có") would pass as text. */
export const FREE_TEXT_FIELDS: ReadonlySet<FieldId> = new Set([
  'ownerName',
  'contactName',
  'productName',
  'description',
  'packaging',
  'targetMarket',
  'expectedOutput',
]);

/** Name fields, and the most words a name of each has: a longer answer is a sentence. */
export const NAME_FIELDS: Readonly<Partial<Record<FieldId, number>>> = {
  ownerName: 20,
  contactName: 7,
  productName: 15,
};

/** Owner types whose business registration follows from the type itself. */
const REGISTRATION_IMPLIED: Partial<Record<OwnerType, boolean>> = {
  cooperative: true,
  enterprise: true,
  individual: false,
};

/** Answers that must be asked again when the answer they depend on is edited. */
export const FOLLOW_UPS: Partial<Record<FieldId, FieldId>> = {
  ownerType: 'hasBusinessRegistration',
  productName: 'productGroup',
};

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/** The whole form, checked once more before it is submitted. */
export const registrationFormSchema = z.object({
  ownerName: text(2, 200),
  ownerType: z.enum(OWNER_TYPES),
  hasBusinessRegistration: z.boolean(),
  contactName: text(2, 100),
  phone: z.string().regex(/^0[35789]\d{8}$/),
  email: z.email().optional(),
  commune: text(2, 100),
  productName: text(2, 200),
  productGroup: z.object({ code: z.string().min(1), sector: z.string(), group: z.string(), subgroup: z.string() }),
  description: text(10, 1000),
  packaging: text(2, 300),
  rawMaterialSource: z.enum(RAW_MATERIAL_SOURCES),
  targetMarket: text(2, 300),
  expectedOutput: text(1, 200).regex(/\d/),
  supportWanted: text(1, 500).optional(),
}) satisfies z.ZodType<RegistrationForm> & { shape: Record<FieldId, z.ZodType> };

/** Whether the step is answered without a question (business registration implied by the owner type). */
export function impliedAnswer(field: FieldId, answers: Partial<RegistrationForm>): unknown {
  if (field === 'hasBusinessRegistration' && answers.ownerType) return REGISTRATION_IMPLIED[answers.ownerType];
  return undefined;
}

export type Parsed = { ok: true; value: unknown } | { ok: false };

/** Reads a typed answer for fields that need no sub-dialog (commune and product group have their own). */
export function parseField(field: FieldId, input: string): Parsed {
  const value = ((): unknown => {
    const free = (schema: z.ZodType) => {
      const r = schema.safeParse(input.normalize('NFC').trim().replace(/\s+/g, ' '));
      return r.success ? r.data : undefined;
    };
    switch (field) {
      case 'ownerType':
        return parseOwnerType(input);
      case 'hasBusinessRegistration':
        return parseYesNo(input);
      case 'phone':
        return normalizePhone(input);
      case 'email':
        return normalizeEmail(input);
      case 'rawMaterialSource':
        return parseRawMaterialSource(input);
      default: {
        const schema = registrationFormSchema.shape[field];
        return free('unwrap' in schema && field === 'supportWanted' ? schema.unwrap() : schema);
      }
    }
  })();
  return value === undefined ? { ok: false } : { ok: true, value };
}

/** The buttons of a step; their payloads are what the dialog reads ("opt:cooperative", "form:yes", "form:skip"). */
export function stepButtons(field: FieldId, messages: Messages): Button[] | undefined {
  const b = (label: string, value: string): Button => ({ label, value });
  switch (field) {
    case 'ownerType':
      return OWNER_TYPES.map((t) => b(messages.owner_type_labels[t], `opt:${t}`));
    case 'hasBusinessRegistration':
      return [b(messages.yes_label, 'form:yes'), b(messages.no_label, 'form:no')];
    case 'rawMaterialSource':
      return RAW_MATERIAL_SOURCES.map((s) => b(messages.raw_material_labels[s], `opt:${s}`));
    default:
      return OPTIONAL_FIELDS.has(field) ? [b(messages.form_skip_button, 'form:skip')] : undefined;
  }
}

export function toGroupRef(c: ProductCategory): ProductGroupRef {
  return { code: c.code, sector: c.sector, group: c.group, subgroup: c.subgroup };
}

/** Button label for a classification row: its most specific name. */
export const groupLabel = (c: Pick<ProductCategory, 'code' | 'subgroup'>) => `${c.subgroup} (${c.code})`;

/** A typed or pressed choice among classification rows: by code, or by label or sub-group name. */
export function pickCategory(input: string, options: readonly ProductCategory[]): ProductCategory | undefined {
  const f = foldText(input);
  return options.find((c) => foldText(c.code) === f || foldText(groupLabel(c)) === f || foldText(c.subgroup) === f);
}

export function sectorsOf(classifier: ProductClassifier): string[] {
  return [...new Set(classifier.categories.map((c) => c.sector))];
}

/** How an answer reads in the summary. */
export function displayValue(field: FieldId, form: Partial<RegistrationForm>, messages: Messages): string | undefined {
  const v = form[field];
  if (v === undefined) return undefined;
  switch (field) {
    case 'ownerType':
      return messages.owner_type_labels[v as OwnerType];
    case 'hasBusinessRegistration':
      return v ? messages.yes_label : messages.no_label;
    case 'rawMaterialSource':
      return messages.raw_material_labels[form.rawMaterialSource!];
    case 'productGroup': {
      const g = v as ProductGroupRef;
      return `${g.sector} › ${g.group} › ${g.subgroup} (${g.code})`;
    }
    default:
      return String(v);
  }
}
