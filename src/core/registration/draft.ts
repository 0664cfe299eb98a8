/** A registration form being filled in, and where drafts are kept (memory or Redis, with a time to live). */
import type { ChannelName } from '../conversation.js';
import type { CommuneOption } from './commune-directory.js';
import type { FieldId, RegistrationForm } from './types.js';

/** A sub-question of the current step, or a question about the whole draft, awaiting its answer. */
export type Pending =
  | { kind: 'cancel' }
  | { kind: 'resume' }
  /** Units to pick from (close names, former communes of one name, the units of a former district). */
  | { kind: 'commune_choice'; options: CommuneOption[] }
  | { kind: 'district_same'; district: string; unit: string }
  | { kind: 'group_confirm'; code: string }
  | { kind: 'group_sector' }
  | { kind: 'group_pick'; sector: string };

export interface Draft {
  /** Also the idempotency key of the submission: a confirmation delivered twice submits once. */
  id: string;
  /** Index in FIELD_ORDER of the field being asked; FIELD_ORDER.length is the summary. */
  step: number;
  answers: Partial<RegistrationForm>;
  /** Wrong answers in a row at this step. */
  misses: number;
  pending?: Pending;
  /** Answering returns to the summary (the field was chosen with "sửa N"). */
  editing?: boolean;
  /** Fields answered before the form began (by the eligibility check): not asked on the way. */
  carried?: FieldId[];
  /** The notice of how personal data is used (Nghị định 13/2023/NĐ-CP) was shown: not shown again. */
  consentShown?: boolean;
  /** The owner type was read from the name ("HTX …", "Hộ kinh doanh …"): its question is not asked. */
  typeFromName?: boolean;
  /** Steps answered, most recent last, for "quay lại". */
  trail: number[];
  startedAt: number;
  updatedAt: number;
  /** The user left for the menu; choosing registration again asks whether to continue. */
  paused?: boolean;
  /** The update that produced this version of the draft: run again (a crash before its answer was sent), it
   * asks the current question again instead of taking the same text as the next field's answer. */
  appliedUpdate?: string;
}

/** Where unfinished work of a user lives: a registration draft, or an officer's announcement being composed. */
export interface DraftStore<T = Draft> {
  get(channel: ChannelName, userId: string): Promise<T | undefined>;
  /** Saves the draft and restarts its time to live. */
  set(channel: ChannelName, userId: string, draft: T): Promise<void>;
  delete(channel: ChannelName, userId: string): Promise<void>;
}
