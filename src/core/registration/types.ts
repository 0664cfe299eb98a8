/**
 * The product-idea registration ("phiếu đăng ký ý tưởng sản phẩm") as data: the answers a producer gives,
 * the submission the backend stores, and its status lifecycle. Labels shown to people live in prompts/.
 */
import type { ChannelName } from '../channel-names.js';

export const OWNER_TYPES = ['cooperative', 'cooperative_group', 'enterprise', 'household', 'individual'] as const;
/** hợp tác xã, tổ hợp tác, doanh nghiệp, hộ kinh doanh/hộ sản xuất, cá nhân chưa đăng ký kinh doanh. */
export type OwnerType = (typeof OWNER_TYPES)[number];

export const RAW_MATERIAL_SOURCES = ['local', 'partly_local', 'outside'] as const;
export type RawMaterialSource = (typeof RAW_MATERIAL_SOURCES)[number];

export interface ProductGroupRef {
  /** Code of the QĐ 148 classification row, e.g. "I.2.b". */
  code: string;
  sector: string;
  group: string;
  subgroup: string;
}

/** The answers, in the order the form asks them. Optional fields may be skipped. */
export interface RegistrationForm {
  ownerName: string;
  ownerType: OwnerType;
  hasBusinessRegistration: boolean;
  contactName: string;
  /** Normalised Vietnamese mobile number, national form: 0912345678. */
  phone: string;
  email?: string;
  /** Canonical name with its prefix: "Xã Quảng Lâm", "Phường Thục Phán". */
  commune: string;
  productName: string;
  productGroup: ProductGroupRef;
  description: string;
  packaging: string;
  rawMaterialSource: RawMaterialSource;
  targetMarket: string;
  expectedOutput: string;
  supportWanted?: string;
}

/**
 * The one list of the form's fields, in the order they are asked (and numbered in the summary). The compiler
 * checks it against RegistrationForm both ways, and the zod schema (fields.ts) and the texts
 * (prompts/messages.yaml `form_fields`) are checked against it.
 */
export const FIELD_IDS = [
  'ownerName',
  'ownerType',
  'hasBusinessRegistration',
  'contactName',
  'phone',
  'email',
  'commune',
  'productName',
  'productGroup',
  'description',
  'packaging',
  'rawMaterialSource',
  'targetMarket',
  'expectedOutput',
  'supportWanted',
] as const;

export type FieldId = (typeof FIELD_IDS)[number];

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a field is in the form but not in FIELD_IDS, or the other way round. */
const FIELDS_ARE_COMPLETE: Exactly<FieldId, keyof RegistrationForm> = true;
void FIELDS_ARE_COMPLETE;

export const SUBMISSION_STATUSES = ['new', 'reviewing', 'needs_info', 'accepted', 'rejected'] as const;
/** mới → đang xem xét → cần bổ sung → đã tiếp nhận / từ chối. */
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Which status may follow which; accepted and rejected are final. */
export const STATUS_TRANSITIONS: Record<SubmissionStatus, readonly SubmissionStatus[]> = {
  new: ['reviewing', 'needs_info', 'accepted', 'rejected'],
  reviewing: ['needs_info', 'accepted', 'rejected'],
  needs_info: ['reviewing', 'accepted', 'rejected'],
  accepted: [],
  rejected: [],
};

export interface StatusChange {
  at: number;
  status: SubmissionStatus;
  note?: string;
  /** Who made the change: "producer" for the submission itself, else the officer's label. */
  by: string;
  /**
   * Not a status change but an event, the status unchanged: a photo the producer sent, or their personal data
   * erased at their request.
   */
  event?: 'photo' | 'erased';
  /** The attachment the event added. */
  attachmentId?: string;
}

/** A file the producer sent for their submission (a photo an officer asked for). Its bytes live in a BlobStore. */
export interface Attachment {
  /** Stable per platform update: a redelivered photo is attached once. */
  id: string;
  kind: 'photo';
  channel: ChannelName;
  /** The platform's reference to the file (Telegram file_id, Zalo photo URL). */
  fileId: string;
  /** Checked from the bytes, not taken from the platform: image/jpeg or image/png. */
  mime: AttachmentMime;
  /** Size in bytes. */
  bytes: number;
  receivedAt: number;
  caption?: string;
}

export const ATTACHMENT_MIMES = ['image/jpeg', 'image/png'] as const;
export type AttachmentMime = (typeof ATTACHMENT_MIMES)[number];

/** A producer's rough self-score on a QĐ 148 sheet, sent with their submission (see core/checks). */
export interface SelfAssessment {
  /** Bộ 1–26 and its name. */
  set: number;
  setName: string;
  product?: string;
  parts: { A: number; B: number; C: number };
  total: number;
  /** Points left to the council's criteria (sensory) and the transcription's gaps. */
  open: number;
  stars: number;
  /** The stars if the open points were all given. */
  starsAtCeiling: number;
  nextStars?: number;
  /** The mandatory criteria the next star still needs, and the option each needs. */
  missing: { id: string; title: string; needs: string }[];
  answered: number;
  skipped: number;
  at: number;
}

export interface Submission {
  /** Reference code given to the producer: OCOP-CB-2026-000123. */
  id: string;
  channel: ChannelName;
  userId: string;
  form: RegistrationForm;
  status: SubmissionStatus;
  createdAt: number;
  updatedAt: number;
  history: StatusChange[];
  /** The producer's self-score, when they chose to send one. */
  selfAssessment?: SelfAssessment;
  /** Photos the producer sent (metadata only; the bytes are served by the officer API). */
  attachments?: Attachment[];
  /** When the producer had their personal fields erased (ERASED_FIELDS hold ERASED_VALUE since). */
  erasedAt?: number;
}

/** The personal fields a producer may have erased (Nghị định 13/2023/NĐ-CP); the product idea stays. */
export const ERASED_FIELDS = ['contactName', 'phone', 'email'] as const satisfies readonly FieldId[];
/** Owners whose name is a person's ("Hộ kinh doanh Nông Văn Dũng", a private individual): erased too. */
export const PERSON_NAMED_OWNERS: ReadonlySet<OwnerType> = new Set<OwnerType>(['household', 'individual']);
/** What an erased field holds; the console and the CSV show it as their own words («đã xóa theo yêu cầu»). */
export const ERASED_VALUE = '[erased]';

export interface SubmissionFilter {
  status?: SubmissionStatus;
  /** Exact canonical commune name. */
  commune?: string;
  /** Classification code or its prefix ("I.2" matches "I.2.b"). */
  group?: string;
  /** Created at or after (ms). */
  from?: number;
  /** Created before (ms). */
  to?: number;
  /** With or without a self-score sent by the producer. */
  assessment?: 'with' | 'without';
}

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
  constructor(
    readonly from: SubmissionStatus,
    readonly to: SubmissionStatus,
  ) {
    super(`status ${from} cannot become ${to}`);
  }
}

/** Where submissions live durably (Redis with AOF in production). */
export interface SubmissionStore {
  /**
   * Stores a new submission once per idempotency key (the draft's id): a confirmation delivered twice
   * returns the first submission with created = false.
   */
  create(input: {
    channel: ChannelName;
    userId: string;
    form: RegistrationForm;
    idempotencyKey: string;
    at: number;
  }): Promise<{ submission: Submission; created: boolean }>;
  get(id: string): Promise<Submission | undefined>;
  listByUser(channel: ChannelName, userId: string): Promise<Submission[]>;
  /** Newest first. */
  list(filter?: SubmissionFilter): Promise<Submission[]>;
  /** Attaches (or replaces) the producer's self-score; undefined for an unknown id. */
  attachAssessment(id: string, assessment: SelfAssessment): Promise<Submission | undefined>;
  /**
   * Adds an attachment and its history line ("Người nộp gửi ảnh"); the same attachment id twice changes nothing.
   * Undefined for an unknown id. See applyAttachment.
   */
  addAttachment(id: string, attachment: Attachment): Promise<Submission | undefined>;
  /**
   * Replaces the personal fields with ERASED_VALUE and adds the history line (event 'erased', by the producer);
   * a second call changes nothing. Undefined for an unknown id. See applyErasure.
   */
  erasePersonalData(id: string, at: number): Promise<Submission | undefined>;
  /** Throws InvalidTransitionError when the lifecycle does not allow it; undefined for an unknown id. */
  changeStatus(
    id: string,
    change: { status: SubmissionStatus; note?: string; by: string; at: number },
  ): Promise<Submission | undefined>;
}

/** Forwards new submissions to an external system (BACKEND_WEBHOOK_URL), reliably. */
export interface SubmissionOutbox {
  enqueue(submission: Submission): Promise<void>;
  close?(): Promise<void>;
}

/** Vietnam (Asia/Ho_Chi_Minh) is UTC+7 all year: no daylight saving time. */
export const VIETNAM_UTC_OFFSET_MS = 7 * 3600 * 1000;

/** The calendar year of an instant in Vietnam time (a submission at 23:30 on 31 Dec UTC is already next year). */
export function vietnamYear(at: number): number {
  return new Date(at + VIETNAM_UTC_OFFSET_MS).getUTCFullYear();
}

/** OCOP-CB-2026-000123: the year in Vietnam time and the year's sequence number, 6 digits. */
export function referenceCode(year: number, sequence: number): string {
  return `OCOP-CB-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The submission after a status change, or InvalidTransitionError. Pure: both stores use it. */
export function applyStatusChange(
  submission: Submission,
  change: { status: SubmissionStatus; note?: string; by: string; at: number },
): Submission {
  if (!STATUS_TRANSITIONS[submission.status].includes(change.status))
    throw new InvalidTransitionError(submission.status, change.status);
  const entry: StatusChange = {
    at: change.at,
    status: change.status,
    by: change.by,
    ...(change.note ? { note: change.note } : {}),
  };
  return { ...submission, status: change.status, updatedAt: change.at, history: [...submission.history, entry] };
}

/** The submission with one more attachment and its history line; unchanged when it is already there. Pure. */
export function applyAttachment(submission: Submission, attachment: Attachment): Submission {
  const attachments = submission.attachments ?? [];
  if (attachments.some((a) => a.id === attachment.id)) return submission;
  const entry: StatusChange = {
    at: attachment.receivedAt,
    status: submission.status,
    by: 'producer',
    event: 'photo',
    attachmentId: attachment.id,
  };
  return {
    ...submission,
    updatedAt: Math.max(submission.updatedAt, attachment.receivedAt),
    attachments: [...attachments, attachment],
    history: [...submission.history, entry],
  };
}

/** The submission with its personal fields erased, its history line and erasedAt; unchanged if already erased. Pure. */
export function applyErasure(submission: Submission, at: number): Submission {
  if (submission.erasedAt !== undefined) return submission;
  const form: RegistrationForm = { ...submission.form, contactName: ERASED_VALUE, phone: ERASED_VALUE };
  if (submission.form.email !== undefined) form.email = ERASED_VALUE;
  if (PERSON_NAMED_OWNERS.has(submission.form.ownerType)) form.ownerName = ERASED_VALUE;
  const entry: StatusChange = { at, status: submission.status, by: 'producer', event: 'erased' };
  return {
    ...submission,
    form,
    erasedAt: at,
    updatedAt: Math.max(submission.updatedAt, at),
    history: [...submission.history, entry],
  };
}

/** True when a submission passes every condition of the filter. */
export function matchesFilter(s: Submission, filter: SubmissionFilter = {}): boolean {
  if (filter.status && s.status !== filter.status) return false;
  if (filter.commune && s.form.commune !== filter.commune) return false;
  if (filter.group) {
    // Prefix by whole segments: "I.2" matches "I.2" and "I.2.b", not "I.20".
    const group = filter.group.replace(/\.+$/, '');
    const code = s.form.productGroup.code;
    if (code !== group && !code.startsWith(`${group}.`)) return false;
  }
  if (filter.from !== undefined && s.createdAt < filter.from) return false;
  if (filter.to !== undefined && s.createdAt >= filter.to) return false;
  if (filter.assessment && (s.selfAssessment !== undefined) !== (filter.assessment === 'with')) return false;
  return true;
}

/** Newest first; the same instant falls back to the reference code, newest sequence first. */
export function newestFirst(a: Submission, b: Submission): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}
