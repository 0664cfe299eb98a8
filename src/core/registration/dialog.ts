/**
 * The registration dialog: a guided form in the conversation. One step per field, each answer validated
 * (a wrong one is asked again with an example; after three, help or a skip), "quay lại" goes back, "hủy"
 * cancels after confirmation, a question asked mid-form is answered and the form resumes, a numbered
 * summary allows "sửa 3", and submitting gives a reference code. The draft is saved after every step.
 */
import { randomUUID } from 'node:crypto';
import type { Button, ChannelName, InboundMessage, Reply } from '../conversation.js';
import type { AnswerService } from '../knowledge/answer-service.js';
import type { ProductClassifier } from '../knowledge/classifier.js';
import type { Logger } from '../logger.js';
import { format, type Messages } from '../messages.js';
import type { SubscriberStore } from '../subscribers.js';
import type { Input } from '../input.js';
import type { Reading } from '../understanding/reading.js';
import {
  displayValue,
  FIELD_ORDER,
  FOLLOW_UPS,
  FREE_TEXT_FIELDS,
  impliedAnswer,
  NAME_FIELDS,
  OPTIONAL_FIELDS,
  parseField,
  registrationFormSchema,
  stepButtons,
} from './fields.js';
import { parseYesNo } from '../understanding/yes-no.js';
import { leadingOwnerType, parseOwnerType, readsAsSentence, saysNothing } from './field-parsers.js';
import {
  OWNER_TYPES,
  RAW_MATERIAL_SOURCES,
  type FieldId,
  type RegistrationForm,
  type SelfAssessment,
  type StatusChange,
  type Submission,
  type SubmissionOutbox,
  type SubmissionStore,
} from './types.js';
import type { CommuneDirectory } from './commune-directory.js';
import { acceptCommune } from './commune-step.js';
import type { Draft, DraftStore } from './draft.js';
import { acceptGroup, askGroup } from './group-step.js';
import { looksLikeQuestion, type StepContext } from './step-context.js';
import { EDIT_PAYLOAD, summary } from './summary.js';

export type { Draft, DraftStore, Pending } from './draft.js';

export interface RegistrationDeps {
  messages: Messages;
  drafts: DraftStore;
  submissions: SubmissionStore;
  outbox?: SubmissionOutbox;
  directory: CommuneDirectory;
  classifier?: ProductClassifier;
  /** Answers questions asked in the middle of the form. */
  answers: AnswerService;
  subscribers?: SubscriberStore;
  reviewWorkingDays: number;
  logger: Logger;
  /** The self-score the user chose to send with their next submission (core/checks), taken once. */
  assessmentFor?: (channel: ChannelName, userId: string) => Promise<SelfAssessment | undefined>;
  now?: () => number;
}

const SUMMARY = FIELD_ORDER.length;
/** A user coming back after this long is asked whether to continue the draft. */
const RESUME_AFTER_MS = 60 * 60 * 1000;
const MAX_MISSES = 3;
/** Longer answers are cut in the echo line. */
const ECHO_MAX = 60;

type Command = 'back' | 'cancel' | 'skip' | 'pause' | 'submit';
const COMMAND_REQUESTS: Partial<Record<string, Command>> = {
  back: 'back',
  cancel: 'cancel',
  skip: 'skip',
  pause: 'pause',
  submit: 'submit',
  menu: 'pause',
  greeting: 'pause',
};

/** The step command of a message: a form button, or a typed request ("quay lại", "hủy", "bỏ qua", "menu"). */
function commandOf(input: Input): Command | undefined {
  if (input.payload !== undefined) {
    const m = /^form:(back|cancel|skip|pause|submit)$/.exec(input.payload);
    return m ? (m[1] as Command) : undefined;
  }
  return COMMAND_REQUESTS[input.reading.request.kind];
}

export class RegistrationDialog {
  private readonly m: Messages;
  private readonly now: () => number;
  /** What the commune and product-group sub-dialogs need. */
  private readonly steps: StepContext;

  constructor(private readonly deps: RegistrationDeps) {
    this.m = deps.messages;
    this.now = deps.now ?? Date.now;
    this.steps = {
      m: deps.messages,
      directory: deps.directory,
      classifier: deps.classifier,
      stepText: (draft, question) => this.stepText(draft, question),
    };
  }

  /** The user's draft while they are filling it in (not paused). */
  async active(channel: ChannelName, userId: string): Promise<Draft | undefined> {
    const draft = await this.deps.drafts.get(channel, userId);
    return draft && !draft.paused ? draft : undefined;
  }

  /** "Đăng ký ý tưởng sản phẩm": a new form, or the question whether to continue the saved one. */
  async start(msg: InboundMessage, carried: Partial<RegistrationForm> = {}): Promise<Reply[]> {
    const existing = await this.deps.drafts.get(msg.channel, msg.userId);
    if (existing && (existing.trail.length > 0 || existing.step > 0)) {
      existing.paused = false;
      existing.pending = { kind: 'resume' };
      return this.save(msg, existing, [this.resumePrompt(existing)]);
    }
    const draft = this.newDraft();
    // What the eligibility check already asked (owner type, business registration, product) is not asked again.
    const known = FIELD_ORDER.filter((f) => carried[f] !== undefined);
    if (known.length) {
      draft.answers = { ...carried };
      draft.carried = known;
    }
    const intro = format(this.m.form_intro, { total: FIELD_ORDER.length });
    // Before the first personal field, once per user: what is collected, for whom, how long, how to have it
    // deleted. A user who cancelled a draft that showed it, or who submitted before, has read it.
    const seen =
      existing?.consentShown === true || (await this.deps.submissions.listByUser(msg.channel, msg.userId)).length > 0;
    draft.consentShown = true;
    return this.save(msg, draft, [
      { text: known.length ? `${intro}\n${format(this.m.form_carried, { count: known.length })}` : intro },
      ...(seen ? [] : [{ text: this.m.form_consent_notice }]),
      ...this.ask(draft),
    ]);
  }

  /**
   * Whether a message that reads as a request to leave the form ("hướng dẫn", "hỗ trợ") answers the current
   * step instead: "ko cần hỗ trợ" gives nothing, and "cần hỗ trợ thiết kế bao bì" answers the support question.
   */
  keeps(draft: Draft, input: Input): boolean {
    const field = FIELD_ORDER[draft.step];
    if (!field || !input.reading || draft.pending) return false;
    const typed = input.text ?? '';
    if ((OPTIONAL_FIELDS.has(field) || FREE_TEXT_FIELDS.has(field)) && saysNothing(typed, input.reading)) return true;
    return this.answersSupport(field, input);
  }

  /** "cần hỗ trợ thiết kế bao bì" at the support step: its answer, not a request for the bot's help. */
  private answersSupport(field: FieldId, input: Input): boolean {
    return field === 'supportWanted' && input.reading?.request.kind === 'help';
  }

  /** Leaves the form for the menu, keeping the draft. */
  async pause(msg: InboundMessage, draft: Draft): Promise<Reply> {
    draft.paused = true;
    draft.pending = undefined;
    await this.deps.drafts.set(msg.channel, msg.userId, { ...draft, updatedAt: this.now() });
    return { text: this.m.form_paused };
  }

  /** A message while the form is active. */
  async handle(msg: InboundMessage, draft: Draft, input: Input): Promise<Reply[]> {
    // This very update was applied already (its answer was lost): the draft is where it should be.
    if (msg.updateKey !== undefined && draft.appliedUpdate === msg.updateKey) return this.ask(draft);
    if (this.now() - draft.updatedAt > RESUME_AFTER_MS && draft.pending?.kind !== 'resume') {
      draft.pending = { kind: 'resume' };
      return this.save(msg, draft, [this.resumePrompt(draft)]);
    }
    const command = commandOf(input);
    const pending = draft.pending;
    const text = input.text ?? '';
    if (pending?.kind === 'cancel') {
      const yes = input.payload === 'form:cancel_yes' || command === 'cancel' || input.reading?.yesNo === true;
      if (yes) {
        await this.deps.drafts.delete(msg.channel, msg.userId);
        return [{ text: this.m.form_cancelled, buttons: this.m.menu_buttons }];
      }
      draft.pending = undefined;
      return this.save(msg, draft, this.ask(draft));
    }
    if (pending?.kind === 'resume') {
      draft.pending = undefined;
      if (input.payload === 'form:restart') {
        const fresh = { ...this.newDraft(), consentShown: draft.consentShown };
        return this.save(msg, fresh, this.ask(fresh));
      }
      if (input.payload === 'form:continue' || input.reading?.yesNo === true)
        return this.save(msg, draft, this.ask(draft));
    }
    if (command === 'cancel') {
      draft.pending = { kind: 'cancel' };
      return this.save(msg, draft, [
        {
          text: this.m.form_cancel_confirm,
          buttons: [
            this.button(this.m.form_cancel_yes, 'form:cancel_yes'),
            this.button(this.m.form_cancel_no, 'form:cancel_no'),
          ],
        },
      ]);
    }
    if (command === 'pause')
      return [await this.pause(msg, draft), { text: this.m.menu_prompt, buttons: this.m.menu_buttons }];
    if (command === 'back') return this.save(msg, draft, this.back(draft));
    if (draft.step === SUMMARY) {
      if (command === 'submit') return this.submit(msg, draft);
      return this.save(msg, draft, await this.atSummary(draft, input));
    }

    const field = FIELD_ORDER[draft.step]!;
    // "ko", "k co", "khong co email", "ko can", "-": nothing to give. Never kept as the answer.
    const nothing =
      command === 'skip' || (input.payload === undefined && !msg.contactPhone && saysNothing(text, input.reading));
    if (nothing && OPTIONAL_FIELDS.has(field)) {
      delete draft.answers[field];
      return this.save(msg, draft, this.echoed(draft, field, this.advance(draft, field)));
    }
    // The owner type answered anyway after the name told it ("HTX …", then "htx"): the question it answers
    // was not asked, so it is no contact name; the step is asked again.
    if (
      (field === 'contactName' || field === 'hasBusinessRegistration') &&
      draft.typeFromName &&
      this.repeatsType(draft, input, text)
    )
      return this.save(msg, draft, this.ask(draft));
    if (nothing && FREE_TEXT_FIELDS.has(field))
      return this.save(msg, draft, [{ text: this.m.form_not_skippable }, ...this.ask(draft)]);
    // A question about OCOP in the middle of the form is answered, then the form asks its question again.
    if (!msg.contactPhone && looksLikeQuestion(input.reading) && !this.answersSupport(field, input)) {
      const side = await this.sideAnswer(input.reading!);
      if (side) return this.save(msg, draft, [side, { text: this.m.form_side_resume }, ...this.ask(draft)]);
    }
    // "tôi muốn đăng ký ý tưởng", "cho em hỏi cái này": a sentence, not a name.
    const maxWords = NAME_FIELDS[field];
    if (maxWords !== undefined && input.payload === undefined && readsAsSentence(input.reading, maxWords, text)) {
      draft.misses += 1;
      return this.save(msg, draft, [{ text: this.m.form_not_a_name }, ...this.ask(draft)]);
    }
    const accepted = this.accept(draft, field, input, msg.contactPhone ?? text);
    // A note on the answer ("xã Phúc Sen cũ nay thuộc xã Quảng Uyên") comes before the next question.
    if (accepted.done) {
      const typeLine = field === 'ownerName' ? this.typeFromName(draft) : undefined;
      const next = [...(accepted.replies ?? []), ...this.advance(draft, field)];
      return this.save(msg, draft, this.echoed(draft, field, next, typeLine));
    }
    if (accepted.replies) return this.save(msg, draft, accepted.replies);
    if (command === 'skip') return this.save(msg, draft, [{ text: this.m.form_not_skippable }, ...this.ask(draft)]);
    return this.save(msg, draft, this.miss(draft, field));
  }

  /** "Hồ sơ của tôi": the user's submissions with status and the officer's latest note. */
  async profile(msg: InboundMessage): Promise<Reply[]> {
    const items = await this.deps.submissions.listByUser(msg.channel, msg.userId);
    if (!items.length) return [{ text: this.m.profile_empty, buttons: this.m.menu_buttons }];
    const lines = items.map((s) => {
      const note = [...s.history].reverse().find((h) => h.note && h.by !== 'producer')?.note;
      return (
        format(this.m.profile_item, {
          code: s.id,
          product: s.form.productName,
          date: new Date(s.createdAt).toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }),
          status: this.m.status_labels[s.status],
        }) +
        (note ? format(this.m.profile_note, { note }) : '') +
        (s.erasedAt !== undefined ? this.m.profile_erased : '')
      );
    });
    return [{ text: `${this.m.profile_intro}\n${lines.join('\n')}`, buttons: this.m.menu_buttons }];
  }

  /**
   * "xóa dữ liệu của tôi": what would be erased (the personal fields of each submission not erased yet, the draft,
   * the announcements), and two buttons; nothing is changed until "erase:confirm".
   */
  async eraseOffer(msg: InboundMessage): Promise<Reply[]> {
    const { open, draft, subscribed } = await this.personalData(msg);
    if (!open.length && !draft && !subscribed) return [{ text: this.m.erase_nothing, buttons: this.m.menu_buttons }];
    const lines = [
      this.m.erase_offer_intro,
      ...(open.length ? [format(this.m.erase_item_submissions, { codes: open.map((s) => s.id).join(', ') })] : []),
      ...(draft ? [this.m.erase_item_draft] : []),
      ...(subscribed ? [this.m.erase_item_subscription] : []),
      this.m.erase_offer_outro,
    ];
    return [
      {
        text: lines.join('\n'),
        buttons: [
          { label: this.m.erase_confirm_yes, value: 'erase:confirm' },
          { label: this.m.erase_confirm_no, value: 'erase:keep' },
        ],
      },
    ];
  }

  /** "erase:confirm": each submission's personal fields, the draft and the announcements, gone. */
  async erase(msg: InboundMessage): Promise<Reply[]> {
    const { open, draft, subscribed } = await this.personalData(msg);
    const at = this.now();
    for (const s of open) await this.deps.submissions.erasePersonalData(s.id, at);
    if (draft) await this.deps.drafts.delete(msg.channel, msg.userId);
    if (subscribed) await this.deps.subscribers?.setOptIn(msg.channel, msg.userId, false);
    // The codes only: never a phone number in the logs.
    this.deps.logger.info({ submissions: open.map((s) => s.id), draft: !!draft, subscribed }, 'personal data erased');
    return [{ text: this.m.erase_done, buttons: this.m.menu_buttons }];
  }

  private async personalData(msg: InboundMessage) {
    const [items, draft, subscriber] = await Promise.all([
      this.deps.submissions.listByUser(msg.channel, msg.userId),
      this.deps.drafts.get(msg.channel, msg.userId),
      this.deps.subscribers?.get(msg.channel, msg.userId),
    ]);
    return { open: items.filter((s) => s.erasedAt === undefined), draft, subscribed: subscriber?.optedIn === true };
  }

  /** "Gửi đăng ký" with no draft left: it was submitted already (a repeated confirmation), or there is none. */
  async submitWithoutDraft(msg: InboundMessage): Promise<Reply[]> {
    const [latest] = await this.deps.submissions.listByUser(msg.channel, msg.userId);
    if (latest && this.now() - latest.createdAt < RESUME_AFTER_MS)
      return [{ text: format(this.m.form_already_submitted, { code: latest.id }) }];
    return [{ text: this.m.form_no_draft, buttons: this.m.menu_buttons }];
  }

  /** The message a producer gets when an officer changes the status of their submission. */
  statusNotice(submission: Submission, change: StatusChange): Reply {
    const text = format(this.m.status_changed_notice, {
      code: submission.id,
      product: submission.form.productName,
      status: this.m.status_labels[change.status],
    });
    return { text: change.note ? `${text}${format(this.m.profile_note, { note: change.note })}` : text };
  }

  // --- steps ---

  private ask(draft: Draft): Reply[] {
    if (draft.step === SUMMARY) return [summary(this.m, draft)];
    const field = FIELD_ORDER[draft.step]!;
    if (field === 'productGroup') return askGroup(this.steps, draft);
    return [
      {
        text: this.stepText(draft, this.m.form_fields[field].question),
        buttons: stepButtons(field, this.m),
        ...(field === 'phone' ? { requestContact: true } : {}),
      },
    ];
  }

  private stepText(draft: Draft, question: string): string {
    return format(this.m.form_step, { n: draft.step + 1, total: FIELD_ORDER.length, question });
  }

  /** Reads an answer; `done` when the field got its value, `replies` when a sub-question was asked. */
  private accept(draft: Draft, field: FieldId, input: Input, typed: string): { done?: boolean; replies?: Reply[] } {
    if (field === 'commune') return acceptCommune(this.steps, draft, input, typed);
    if (field === 'productGroup') return acceptGroup(this.steps, draft, input, typed);
    const set = (value: unknown) => {
      (draft.answers as Record<string, unknown>)[field] = value;
      return { done: true };
    };
    const option = /^opt:(.+)$/.exec(input.payload ?? '')?.[1];
    if (field === 'ownerType' && option && (OWNER_TYPES as readonly string[]).includes(option)) return set(option);
    if (field === 'rawMaterialSource' && option && (RAW_MATERIAL_SOURCES as readonly string[]).includes(option))
      return set(option);
    if (field === 'hasBusinessRegistration') {
      if (input.payload === 'form:yes' || input.payload === 'form:no') return set(input.payload === 'form:yes');
      const yesNo = input.reading?.yesNo ?? parseYesNo(typed);
      return yesNo === undefined ? {} : set(yesNo);
    }
    if (input.payload !== undefined) return {};
    const parsed = parseField(field, typed);
    return parsed.ok ? set(parsed.value) : {};
  }

  /** Moves past an answered field: to the next one that needs asking, or back to the summary after an edit. */
  private advance(draft: Draft, field: FieldId): Reply[] {
    draft.misses = 0;
    draft.pending = undefined;
    draft.trail.push(draft.step);
    if (draft.editing) {
      // An edit can make a later answer wrong (another product → another group): that one is asked again.
      const followUp = FOLLOW_UPS[field];
      if (followUp && !this.applyImplied(draft, followUp)) {
        draft.step = FIELD_ORDER.indexOf(followUp);
        return this.ask(draft);
      }
      draft.editing = false;
      draft.step = SUMMARY;
      return this.ask(draft);
    }
    let next = draft.step + 1;
    while (
      next < SUMMARY &&
      (this.isCarried(draft, FIELD_ORDER[next]!) || this.applyImplied(draft, FIELD_ORDER[next]!))
    )
      next += 1;
    draft.step = next;
    return this.ask(draft);
  }

  /**
   * The owner type a name says ("HTX Nông nghiệp Phia Đén" → cooperative): set, and not asked on the way. The
   * line that tells the user so, for the echo.
   */
  private typeFromName(draft: Draft): string | undefined {
    const type = leadingOwnerType(draft.answers.ownerName ?? '');
    if (!type) return undefined;
    const changed = draft.answers.ownerType !== type;
    draft.answers.ownerType = type;
    draft.typeFromName = true;
    draft.carried = [...new Set([...(draft.carried ?? []), 'ownerType' as const])];
    // Another type makes the business-registration answer stale (an edit from the summary).
    if (changed && draft.answers.hasBusinessRegistration !== undefined) {
      delete draft.answers.hasBusinessRegistration;
      this.applyImplied(draft, 'hasBusinessRegistration');
    }
    return format(this.m.form_echo_type_from_name, {
      label: this.m.form_fields.ownerType.label,
      value: this.m.owner_type_labels[type],
    });
  }

  private repeatsType(draft: Draft, input: Input, text: string): boolean {
    const option = /^opt:(.+)$/.exec(input.payload ?? '')?.[1];
    if (option) return option === draft.answers.ownerType;
    return (
      input.payload === undefined &&
      parseOwnerType(text) === draft.answers.ownerType &&
      leadingOwnerType(text) === undefined
    );
  }

  /**
   * The saved answer in one short line ("✓ Tên chủ thể: HTX …") before the next question; not before the summary,
   * which shows them all.
   */
  private echoed(draft: Draft, field: FieldId, replies: Reply[], extra?: string): Reply[] {
    if (!replies.length || (draft.step === SUMMARY && !extra)) return replies;
    const value = displayValue(field, draft.answers, this.m) ?? this.m.form_summary_empty;
    const short = value.length > ECHO_MAX ? `${value.slice(0, ECHO_MAX - 1).trimEnd()}…` : value;
    const line = format(this.m.form_echo, { label: this.m.form_fields[field].label, value: short });
    const [first, ...rest] = replies;
    return [{ ...first!, text: [line, extra, first!.text].filter(Boolean).join('\n') }, ...rest];
  }

  /** A field the eligibility check answered: skipped on the way (the summary shows it, "sửa N" changes it). */
  private isCarried(draft: Draft, field: FieldId): boolean {
    return draft.carried?.includes(field) === true && draft.answers[field] !== undefined;
  }

  private applyImplied(draft: Draft, field: FieldId): boolean {
    const implied = impliedAnswer(field, draft.answers);
    if (implied === undefined) return false;
    (draft.answers as Record<string, unknown>)[field] = implied;
    return true;
  }

  private back(draft: Draft): Reply[] {
    draft.pending = undefined;
    draft.misses = 0;
    if (draft.editing || draft.step === SUMMARY) {
      draft.editing = false;
      if (draft.step !== SUMMARY && draft.answers[FIELD_ORDER[draft.step]!] !== undefined) {
        draft.step = SUMMARY;
        return this.ask(draft);
      }
    }
    const previous = draft.trail.pop();
    if (previous === undefined) return [{ text: this.m.form_first_step }, ...this.ask(draft)];
    draft.step = previous;
    return this.ask(draft);
  }

  private miss(draft: Draft, field: FieldId): Reply[] {
    draft.misses += 1;
    const spec = this.m.form_fields[field];
    if (draft.misses >= MAX_MISSES) {
      draft.misses = 0;
      const buttons = [
        ...(OPTIONAL_FIELDS.has(field) ? [this.button(this.m.form_skip_button, 'form:skip')] : []),
        this.button(this.m.form_pause_button, 'form:pause'),
        this.button(this.m.form_cancel_button, 'form:cancel'),
      ];
      return [{ text: format(this.m.form_three_misses, { help: spec.help }), buttons }, ...this.ask(draft)];
    }
    const retry = this.ask(draft);
    retry[0] = { ...retry[0]!, text: spec.retry };
    return retry;
  }

  private async sideAnswer(reading: Reading): Promise<Reply | undefined> {
    const answer = await this.deps.answers.ask(reading);
    if (answer.abstained) return undefined;
    return { text: answer.text, sources: answer.sources };
  }

  // --- summary and submission ---

  private async atSummary(draft: Draft, input: Input): Promise<Reply[]> {
    const reading = input.reading;
    const pressed = input.payload?.startsWith(EDIT_PAYLOAD)
      ? FIELD_ORDER.indexOf(input.payload.slice(EDIT_PAYLOAD.length) as FieldId) + 1
      : undefined;
    const n = pressed || (reading?.request.kind === 'edit' ? reading.request.editLine : undefined);
    if (n !== undefined && n >= 1 && n <= FIELD_ORDER.length) {
      draft.step = n - 1;
      draft.editing = true;
      const field = FIELD_ORDER[n - 1]!;
      // The value being changed, before the question that changes it.
      const current = format(this.m.form_edit_current, {
        n,
        label: this.m.form_fields[field].label,
        value: displayValue(field, draft.answers, this.m) ?? this.m.form_summary_empty,
      });
      return [{ text: current }, ...this.ask(draft)];
    }
    if (n !== undefined || (reading?.request.concepts.includes('edit') && reading.tokens.length <= 3))
      return [{ text: this.m.form_edit_which }];
    if (looksLikeQuestion(reading)) {
      const side = await this.sideAnswer(reading!);
      if (side) return [side, summary(this.m, draft)];
    }
    return [summary(this.m, draft)];
  }

  private async submit(msg: InboundMessage, draft: Draft): Promise<Reply[]> {
    const parsed = registrationFormSchema.safeParse(draft.answers);
    if (!parsed.success) {
      // A field is missing or no longer valid (older draft): ask it again.
      const field = parsed.error.issues[0]!.path[0] as FieldId;
      draft.step = FIELD_ORDER.indexOf(field);
      draft.editing = true;
      return this.save(msg, draft, this.ask(draft));
    }
    const { submission, created } = await this.deps.submissions.create({
      channel: msg.channel,
      userId: msg.userId,
      form: parsed.data,
      idempotencyKey: draft.id,
      at: this.now(),
    });
    if (created) {
      const assessment = await this.deps.assessmentFor?.(msg.channel, msg.userId);
      if (assessment) await this.deps.submissions.attachAssessment(submission.id, assessment);
      await this.deps.outbox
        ?.enqueue(submission)
        .catch((err: Error) =>
          this.deps.logger.error(
            { err: err.message, submission: submission.id },
            'outbox enqueue failed; the pending set keeps it',
          ),
        );
      await this.deps.subscribers?.update(msg.channel, msg.userId, {
        commune: submission.form.commune,
        productGroup: submission.form.productGroup.code,
      });
      this.deps.logger.info(
        { event: 'submission', submission: submission.id, channel: msg.channel },
        'registration submitted',
      );
    }
    await this.deps.drafts.delete(msg.channel, msg.userId);
    if (!created) return [{ text: format(this.m.form_already_submitted, { code: submission.id }) }];
    const text = format(this.m.form_submitted, {
      code: submission.id,
      // "Xã Quảng Lâm" reads "UBND xã Quảng Lâm" in a sentence.
      commune: submission.form.commune.replace(/^(Xã|Phường)(?=\s)/u, (p) => p.toLowerCase()),
      days: this.deps.reviewWorkingDays,
      phone: submission.form.phone,
    });
    return [{ text, buttons: this.m.menu_buttons }];
  }

  // --- helpers ---

  private resumePrompt(draft: Draft): Reply {
    const product = draft.answers.productName
      ? format(this.m.form_resume_product, { product: draft.answers.productName })
      : '';
    const done = Math.min(draft.step, FIELD_ORDER.length);
    return {
      text: format(this.m.form_resume_prompt, { product, done, total: FIELD_ORDER.length }),
      buttons: [
        this.button(this.m.form_resume_continue, 'form:continue'),
        this.button(this.m.form_resume_restart, 'form:restart'),
      ],
    };
  }

  private newDraft(): Draft {
    const at = this.now();
    return { id: randomUUID(), step: 0, answers: {}, misses: 0, trail: [], startedAt: at, updatedAt: at };
  }

  private button(label: string, value: string): Button {
    return { label, value };
  }

  private async save(msg: InboundMessage, draft: Draft, replies: Reply[]): Promise<Reply[]> {
    draft.updatedAt = this.now();
    draft.appliedUpdate = msg.updateKey;
    await this.deps.drafts.set(msg.channel, msg.userId, draft);
    return replies;
  }
}
