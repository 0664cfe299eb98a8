/**
 * Two guided checks in the conversation, sharing one way of asking: "Kiểm tra điều kiện tham gia OCOP" (the
 * pre-conditions, a verdict and the steps, each with the office to ask) and "Tự chấm điểm sơ bộ" (one question per
 * criterion of the product's QĐ 148 sheet, then points per part, the star band and what the next star needs).
 *
 * Each question is answered by a button, its number, or words of an option typed with or without diacritics;
 * "quay lại" goes back, "bỏ qua" skips, "hủy" stops after confirmation, the menu pauses. The session is saved after
 * every answer (memory or Redis), so a user can come back days later, also after a restart.
 */
import { randomUUID } from 'node:crypto';
import type { Button, ChannelName, InboundMessage, Reply } from '../conversation.js';
import type { Input } from '../input.js';
import type { AnswerService } from '../knowledge/answer-service.js';
import type { ProductClassifier } from '../knowledge/classifier.js';
import { format } from '../messages.js';
import type { DraftStore } from '../registration/draft.js';
import { looksLikeQuestion } from '../registration/step-context.js';
import type { RegistrationForm, SelfAssessment, SubmissionStore } from '../registration/types.js';
import { askedCriteria, scoreSheet, STAR_BANDS, type ScoreResult } from '../scoring/score.js';
import { criteriaOf, type PlacedCriterion, type ScoringSheet, SET_CODES } from '../scoring/sheet.js';
import { eligibilityVerdict, questionsFor } from './eligibility.js';
import { matchOption } from './option-match.js';
import { fold } from '../text/vietnamese.js';
import { type CheckTexts, type EligibilityQuestion, type Sector, SECTORS, sectorOfCode } from './texts.js';

export type CheckKind = 'eligibility' | 'score';

export type CheckPending =
  | { kind: 'product' }
  | { kind: 'sector' }
  | { kind: 'set_confirm' }
  | { kind: 'set_sector' }
  | { kind: 'set_pick'; sector: Sector }
  | { kind: 'cancel' }
  | { kind: 'resume' };

export interface CheckSession {
  id: string;
  kind: CheckKind;
  product?: string;
  /** The product's classification code, when known. */
  code?: string;
  sector?: Sector;
  /** The scoring sheet (Bộ 1–26), for the self-score. */
  set?: number;
  /** Index of the question being asked. */
  step: number;
  /** The chosen option per question id (criterion id for the self-score); null for a skipped question. */
  answers: Record<string, number | null>;
  /** Questions answered, most recent last, for "quay lại". */
  trail: number[];
  pending?: CheckPending;
  startedAt: number;
  updatedAt: number;
  paused?: boolean;
  /** The result was shown; the session stays for "Gửi kết quả cho cán bộ" and for the form's carried answers. */
  finished?: boolean;
  /** Answering returns to the first unanswered question, or to the result ("sửa 3"). */
  editing?: boolean;
  /** The user asked to send the result with their next submission. */
  sendWithNextSubmission?: boolean;
  appliedUpdate?: string;
}

export interface CheckDeps {
  texts: CheckTexts;
  sessions: DraftStore<CheckSession>;
  sheets: readonly ScoringSheet[];
  classifier?: ProductClassifier;
  answers: AnswerService;
  submissions: SubmissionStore;
  now?: () => number;
}

/** A user coming back after this long is asked whether to continue. */
const RESUME_AFTER_MS = 60 * 60 * 1000;

type Command = 'back' | 'cancel' | 'skip' | 'pause';
const COMMANDS: Partial<Record<string, Command>> = {
  back: 'back',
  cancel: 'cancel',
  skip: 'skip',
  pause: 'pause',
  menu: 'pause',
  greeting: 'pause',
};

interface Question {
  id: string;
  text: string;
  options: { label: string; points?: number }[];
}

export class CheckDialog {
  private readonly t: CheckTexts;
  private readonly now: () => number;
  private readonly asked = new Map<number, PlacedCriterion[]>();

  constructor(private readonly deps: CheckDeps) {
    this.t = deps.texts;
    this.now = deps.now ?? Date.now;
  }

  /** The user's check while it is being answered (not paused, not finished). */
  async active(channel: ChannelName, userId: string): Promise<CheckSession | undefined> {
    const s = await this.deps.sessions.get(channel, userId);
    return s && !s.paused && !s.finished ? s : undefined;
  }

  /** What a finished eligibility check says for the registration form: the owner, the registration, the product. */
  async carriedToForm(channel: ChannelName, userId: string): Promise<Partial<RegistrationForm>> {
    const s = await this.deps.sessions.get(channel, userId);
    if (!s) return {};
    const out: Partial<RegistrationForm> = {};
    if (s.product) out.productName = s.product;
    if (s.kind === 'eligibility') {
      const q = this.t.eligibility.questions.find((x) => x.id === 'owner');
      const i = q ? s.answers[q.id] : undefined;
      const option = q && typeof i === 'number' ? q.options[i] : undefined;
      if (option?.owner) out.ownerType = option.owner;
      // Only what the answer says; what an owner type implies the form derives itself (fields.ts impliedAnswer).
      if (option?.registered !== undefined) out.hasBusinessRegistration = option.registered;
    }
    return out;
  }

  /** The self-score a user chose to send with their next submission (and forgets it). */
  async takeAssessmentForSubmission(channel: ChannelName, userId: string): Promise<SelfAssessment | undefined> {
    const s = await this.deps.sessions.get(channel, userId);
    if (!s?.sendWithNextSubmission || s.kind !== 'score') return undefined;
    await this.deps.sessions.set(channel, userId, { ...s, sendWithNextSubmission: false });
    return this.assessmentOf(s);
  }

  /** "Kiểm tra điều kiện" / "Tự chấm điểm": a new check, or the question whether to continue the saved one. */
  async start(msg: InboundMessage, kind: CheckKind, product?: string): Promise<Reply[]> {
    const existing = await this.deps.sessions.get(msg.channel, msg.userId);
    if (existing && existing.kind === kind && !existing.finished && existing.step > 0) {
      existing.paused = false;
      existing.pending = { kind: 'resume' };
      return this.save(msg, existing, [this.resumePrompt(existing)]);
    }
    const at = this.now();
    const session: CheckSession = {
      id: randomUUID(),
      kind,
      step: 0,
      answers: {},
      trail: [],
      startedAt: at,
      updatedAt: at,
    };
    // The product told before (in the request, or in the check just finished) is not asked again.
    // A new check of the same kind may be about another product: only the other kind's product carries over.
    const known = product ?? (existing && existing.kind !== kind ? existing.product : undefined);
    const replies = known ? this.takeProduct(session, known) : undefined;
    if (replies) return this.save(msg, session, replies);
    session.pending = { kind: 'product' };
    return this.save(msg, session, [{ text: this.productQuestion(kind) }]);
  }

  /** A message while a check is active. */
  async handle(msg: InboundMessage, session: CheckSession, input: Input): Promise<Reply[]> {
    if (msg.updateKey !== undefined && session.appliedUpdate === msg.updateKey) return this.ask(session);
    const line = input.reading?.request.kind === 'edit' ? input.reading.request.editLine : undefined;
    const edited = line !== undefined ? this.editSession(msg, session, line) : undefined;
    if (edited) return edited;
    if (this.now() - session.updatedAt > RESUME_AFTER_MS && session.pending?.kind !== 'resume' && session.step > 0) {
      session.pending = { kind: 'resume' };
      return this.save(msg, session, [this.resumePrompt(session)]);
    }
    const payload = input.payload;
    const command = payload?.startsWith('chk:')
      ? (COMMANDS[payload.slice(4)] as Command | undefined)
      : input.reading
        ? COMMANDS[input.reading.request.kind]
        : undefined;
    const pending = session.pending;
    const c = this.t.common;

    if (pending?.kind === 'cancel') {
      if (payload === 'chk:cancel_yes' || command === 'cancel' || input.reading?.yesNo === true) {
        await this.deps.sessions.delete(msg.channel, msg.userId);
        return [{ text: c.cancelled }];
      }
      session.pending = undefined;
      return this.save(msg, session, this.ask(session));
    }
    if (pending?.kind === 'resume') {
      session.pending = undefined;
      if (payload === 'chk:restart') {
        await this.deps.sessions.delete(msg.channel, msg.userId);
        return this.start(msg, session.kind, session.product);
      }
      if (payload === 'chk:continue' || input.reading?.yesNo === true)
        return this.save(msg, session, this.ask(session));
    }
    if (command === 'cancel') {
      session.pending = { kind: 'cancel' };
      return this.save(msg, session, [
        {
          text: c.cancel_confirm,
          buttons: [button(c.cancel_yes, 'chk:cancel_yes'), button(c.cancel_no, 'chk:cancel_no')],
        },
      ]);
    }
    if (command === 'pause') {
      session.paused = true;
      session.pending = undefined;
      return this.save(msg, session, [{ text: c.paused }]);
    }
    if (command === 'back') return this.save(msg, session, this.back(session));
    if (pending && pending.kind !== 'resume') {
      const replies = command === 'skip' ? this.ask(session) : this.answerPending(session, pending, input);
      if (replies) return this.save(msg, session, replies);
    }
    const questions = this.questions(session);
    const question = questions[session.step];
    if (!question) return this.save(msg, session, this.result(session));
    // An option's own words come first: "chưa có" is an answer here, not "skip".
    const option = this.optionOf(input, question);
    if (option !== undefined) {
      session.answers[question.id] = option;
      return this.save(msg, session, this.advance(session));
    }
    if (command === 'skip') {
      session.answers[question.id] = null;
      return this.save(msg, session, this.advance(session));
    }
    // A question about OCOP asked in between is answered, then the check asks its question again.
    if (looksLikeQuestion(input.reading)) {
      const answer = await this.deps.answers.ask(input.reading!);
      if (!answer.abstained)
        return this.save(msg, session, [
          { text: answer.text, sources: answer.sources },
          { text: c.side_resume },
          ...this.ask(session),
        ]);
    }
    const retry = this.ask(session);
    const hint = format(this.t.score.retry, { count: question.options.length });
    return this.save(msg, session, [{ text: hint }, ...retry]);
  }

  /**
   * "sửa 3" during a check or after its result: question 3 again; once answered, the check goes on from the first
   * question not answered yet, or shows the result again. Undefined when the user has no check of that size.
   */
  async edit(msg: InboundMessage, line: number): Promise<Reply[] | undefined> {
    const s = await this.deps.sessions.get(msg.channel, msg.userId);
    return s && this.editSession(msg, s, line);
  }

  private editSession(msg: InboundMessage, s: CheckSession, line: number): Promise<Reply[]> | undefined {
    if (s.pending || line < 1 || line > this.questions(s).length) return undefined;
    s.trail.push(s.step);
    s.step = line - 1;
    s.finished = false;
    s.paused = false;
    s.editing = true;
    return this.save(msg, s, this.ask(s));
  }

  /** "Gửi kết quả cho cán bộ": attached to the user's latest submission, or kept for the next one. */
  async send(msg: InboundMessage): Promise<Reply[]> {
    const s = await this.deps.sessions.get(msg.channel, msg.userId);
    if (s?.kind !== 'score' || !s.finished) return [{ text: this.t.score.nothing_to_send }];
    const assessment = this.assessmentOf(s);
    const [latest] = await this.deps.submissions.listByUser(msg.channel, msg.userId);
    if (latest && assessment) {
      await this.deps.submissions.attachAssessment(latest.id, assessment);
      return [{ text: format(this.t.score.sent_to_submission, { code: latest.id }) }];
    }
    await this.deps.sessions.set(msg.channel, msg.userId, { ...s, sendWithNextSubmission: true });
    return [{ text: this.t.score.sent_pending }];
  }

  // --- questions ---

  private sheet(session: CheckSession): ScoringSheet | undefined {
    return this.deps.sheets.find((s) => s.set === session.set);
  }

  private eligibilityQuestions(session: CheckSession): EligibilityQuestion[] {
    return questionsFor(this.t.eligibility.questions, session.sector ?? 'food');
  }

  /** The criteria asked on the session's sheet, listed once per sheet (every message asks for them). */
  private criteria(session: CheckSession): PlacedCriterion[] {
    const sheet = this.sheet(session);
    if (!sheet) return [];
    let asked = this.asked.get(sheet.set);
    if (!asked) {
      asked = askedCriteria(sheet);
      this.asked.set(sheet.set, asked);
    }
    return asked;
  }

  private questions(session: CheckSession): Question[] {
    if (session.kind === 'eligibility')
      return this.eligibilityQuestions(session).map((q) => ({
        id: q.id,
        text: q.text,
        options: q.options.map((o) => ({ label: o.label })),
      }));
    return this.criteria(session).map((c) => ({
      id: c.id,
      text: c.title,
      options: c.options.map((o) => ({ label: o.text, points: o.points })),
    }));
  }

  private optionOf(input: Input, question: Question): number | undefined {
    const pressed = /^chk:opt:(\d+)$/.exec(input.payload ?? '');
    if (pressed) {
      const i = Number(pressed[1]);
      return i < question.options.length ? i : undefined;
    }
    if (input.payload !== undefined || input.text === undefined) return undefined;
    return matchOption(
      input.text,
      question.options.map((o) => o.label),
    );
  }

  private ask(session: CheckSession): Reply[] {
    const pending = session.pending;
    if (pending?.kind === 'product') return [{ text: this.productQuestion(session.kind) }];
    if (pending?.kind === 'sector')
      return [this.sectorQuestion(session, 'chk:sector:', this.t.eligibility.sector_question)];
    if (pending?.kind === 'set_confirm') return [this.setConfirm(session)];
    if (pending?.kind === 'set_sector')
      return [this.sectorQuestion(session, 'chk:setsector:', this.t.score.sector_question)];
    if (pending?.kind === 'set_pick') return [this.setPick(pending.sector)];
    if (pending?.kind === 'resume') return [this.resumePrompt(session)];
    const questions = this.questions(session);
    const question = questions[session.step];
    if (!question) return this.result(session);
    return [this.questionReply(session, question, questions.length)];
  }

  private questionReply(session: CheckSession, question: Question, total: number): Reply {
    const c = this.t.common;
    const nav = [
      button(c.skip_button, 'chk:skip'),
      ...(session.trail.length ? [button(c.back_button, 'chk:back')] : []),
    ];
    if (session.kind === 'eligibility') {
      const text = format(this.t.eligibility.question, { n: session.step + 1, total, text: question.text });
      return { text, buttons: [...question.options.map((o, i) => button(o.label, `chk:opt:${i}`)), ...nav] };
    }
    const criterion = this.criteria(session)[session.step]!;
    const lines = [
      format(this.t.score.question, {
        n: session.step + 1,
        total,
        part: criterion.part,
        section: criterion.section.title,
        title: criterion.title,
      }),
      ...(criterion.requirement ? [format(this.t.score.requirement, { requirement: criterion.requirement })] : []),
    ];
    // Option texts are long: they are written out in the message, and the buttons carry their numbers.
    const options = question.options.map((o, i) =>
      format(this.t.score.option_line, { n: i + 1, text: o.label, points: o.points ?? 0 }),
    );
    return {
      text: `${lines.join('\n')}\n\n${options.join('\n')}\n\n${format(this.t.score.choose_hint, { count: options.length })}`,
      buttons: [...question.options.map((_, i) => button(String(i + 1), `chk:opt:${i}`)), ...nav],
      choicesInText: true,
    };
  }

  private advance(session: CheckSession): Reply[] {
    session.trail.push(session.step);
    if (session.editing) {
      const questions = this.questions(session);
      const open = questions.findIndex((q) => !(q.id in session.answers));
      session.step = open >= 0 ? open : questions.length;
      session.editing = open >= 0 ? session.editing : false;
    } else session.step += 1;
    return this.ask(session);
  }

  private back(session: CheckSession): Reply[] {
    const previous = session.trail.pop();
    if (previous === undefined) return [{ text: this.t.common.first_question }, ...this.ask(session)];
    session.pending = undefined;
    session.step = previous;
    return this.ask(session);
  }

  // --- product, sector and sheet ---

  private productQuestion(kind: CheckKind): string {
    return kind === 'eligibility' ? this.t.eligibility.product_question : this.t.score.product_question;
  }

  /** Takes a product name: its group from the classifier, or the question of its kind. */
  private takeProduct(session: CheckSession, typed: string): Reply[] | undefined {
    const cleaned = typed.trim().replace(/\s+/g, ' ').slice(0, 120);
    if (!cleaned) return undefined;
    const found = this.deps.classifier?.classify(cleaned);
    // Typed without diacritics ("mien dong"), the product is named as the table writes it ("miến dong").
    const product = found && fold(cleaned) === cleaned.toLowerCase() ? found.matched : cleaned;
    session.product = product;
    if (found) {
      session.code = found.category.code;
      session.sector = sectorOfCode(found.category.code);
      session.set = SET_CODES.indexOf(found.category.code as (typeof SET_CODES)[number]) + 1 || undefined;
    }
    if (session.kind === 'eligibility') {
      if (!found) {
        session.pending = { kind: 'sector' };
        return this.ask(session);
      }
      session.pending = undefined;
      const recognised = format(this.t.eligibility.product_recognised, {
        product,
        subgroup: found.category.subgroup,
        sector: found.category.sector,
      });
      const count = this.eligibilityQuestions(session).length;
      return [{ text: `${recognised}\n\n${format(this.t.eligibility.intro, { count })}` }, ...this.ask(session)];
    }
    session.pending = session.set ? { kind: 'set_confirm' } : { kind: 'set_sector' };
    return this.ask(session);
  }

  private answerPending(session: CheckSession, pending: CheckPending, input: Input): Reply[] | undefined {
    const payload = input.payload ?? '';
    const typed = input.text ?? '';
    if (pending.kind === 'product') {
      if (payload) return undefined;
      return this.takeProduct(session, typed) ?? [{ text: this.t.eligibility.product_retry }];
    }
    const sectorPicked = (prefix: string): Sector | undefined => {
      const m = new RegExp(`^${prefix}(\\w+)$`).exec(payload);
      if (m && (SECTORS as readonly string[]).includes(m[1]!)) return m[1] as Sector;
      const i = payload
        ? undefined
        : matchOption(
            typed,
            SECTORS.map((s) => this.t.eligibility.sector_labels[s]),
          );
      return i === undefined ? undefined : SECTORS[i];
    };
    if (pending.kind === 'sector') {
      const sector = sectorPicked('chk:sector:');
      if (!sector) return this.ask(session);
      session.sector = sector;
      session.pending = undefined;
      const count = this.eligibilityQuestions(session).length;
      return [{ text: format(this.t.eligibility.intro, { count }) }, ...this.ask(session)];
    }
    if (pending.kind === 'set_confirm') {
      if (payload === 'chk:set_yes' || input.reading?.yesNo === true) return this.beginScoring(session);
      if (payload === 'chk:set_other' || input.reading?.yesNo === false) {
        session.pending = { kind: 'set_sector' };
        return this.ask(session);
      }
      return this.ask(session);
    }
    if (pending.kind === 'set_sector') {
      const sector = sectorPicked('chk:setsector:');
      if (!sector) return this.ask(session);
      const sets = this.setsOf(sector);
      if (sets.length === 1) {
        session.set = sets[0]!.set;
        return this.beginScoring(session);
      }
      session.pending = { kind: 'set_pick', sector };
      return this.ask(session);
    }
    if (pending.kind === 'set_pick') {
      const sets = this.setsOf(pending.sector);
      const m = /^chk:set:(\d+)$/.exec(payload);
      const i = m
        ? sets.findIndex((s) => s.set === Number(m[1]))
        : payload
          ? -1
          : (matchOption(
              typed,
              sets.map((s) => s.name),
            ) ?? -1);
      if (i < 0) return this.ask(session);
      session.set = sets[i]!.set;
      return this.beginScoring(session);
    }
    return undefined;
  }

  private beginScoring(session: CheckSession): Reply[] {
    session.pending = undefined;
    const sheet = this.sheet(session)!;
    const intro = format(this.t.score.intro, {
      set_name: this.setName(sheet),
      count: this.criteria(session).length,
    });
    return [{ text: intro }, ...this.ask(session)];
  }

  private setsOf(sector: Sector): ScoringSheet[] {
    return this.deps.sheets.filter((s) => sectorOfCode(s.code) === sector);
  }

  private setName(sheet: ScoringSheet): string {
    return format(this.t.score.set_name, { n: sheet.set, name: sheet.name });
  }

  private sectorQuestion(session: CheckSession, prefix: string, question: string): Reply {
    return {
      text: format(question, { product: session.product ?? '' }),
      buttons: SECTORS.map((s) => button(this.t.eligibility.sector_labels[s], `${prefix}${s}`)),
    };
  }

  private setConfirm(session: CheckSession): Reply {
    const sheet = this.sheet(session)!;
    return {
      text: format(this.t.score.set_confirm, { product: session.product ?? '', set_name: this.setName(sheet) }),
      buttons: [
        button(this.t.score.set_confirm_yes, 'chk:set_yes'),
        button(this.t.score.set_confirm_other, 'chk:set_other'),
      ],
    };
  }

  private setPick(sector: Sector): Reply {
    return {
      text: this.t.score.set_question,
      buttons: this.setsOf(sector).map((s) => button(this.setName(s), `chk:set:${s.set}`)),
    };
  }

  // --- results ---

  private result(session: CheckSession): Reply[] {
    session.finished = true;
    session.pending = undefined;
    return session.kind === 'eligibility' ? this.eligibilityResult(session) : this.scoreResult(session);
  }

  private eligibilityResult(session: CheckSession): Reply[] {
    const e = this.t.eligibility;
    const verdict = eligibilityVerdict(this.eligibilityQuestions(session), session.answers);
    const product = session.product ?? '';
    const stepLines = (steps: { step: string; office: string }[], from = 1) =>
      steps.map((s, i) => format(e.step_line, { n: from + i, step: s.step, office: s.office }));
    const parts: string[] = [];
    if (verdict.kind === 'ready') parts.push(format(e.verdict_ready, { product }));
    if (verdict.kind === 'steps')
      parts.push(
        [format(e.verdict_steps, { product, count: verdict.steps.length }), ...stepLines(verdict.steps)].join('\n'),
      );
    if (verdict.kind === 'blocked') {
      parts.push([format(e.verdict_blocked, { product }), ...stepLines(verdict.blockers)].join('\n'));
      if (verdict.steps.length)
        parts.push(
          [
            format(e.verdict_also, { count: verdict.steps.length }),
            ...stepLines(verdict.steps, verdict.blockers.length + 1),
          ].join('\n'),
        );
    }
    if (verdict.notes.length) parts.push([e.notes_title, ...verdict.notes.map((n) => `• ${n}`)].join('\n'));
    if (verdict.skipped) parts.push(format(e.skipped_line, { count: verdict.skipped }));
    parts.push(e.edit_hint, e.caution);
    return [
      {
        text: parts.join('\n\n'),
        buttons: [
          ...(verdict.kind !== 'blocked' ? [button(e.register_button, 'req:register')] : []),
          button(e.score_button, 'req:selfscore'),
          button(e.again_button, 'req:eligibility'),
        ],
      },
    ];
  }

  private scoreResult(session: CheckSession): Reply[] {
    const s = this.t.score;
    const sheet = this.sheet(session)!;
    const r = scoreSheet(sheet, session.answers);
    const open = r.open.A + r.open.B + r.open.C;
    const lines = [
      format(s.result_title, { set_name: this.setName(sheet) }),
      format(s.result_parts, { a: r.parts.A, b: r.parts.B, c: r.parts.C, total: r.total }),
      ...(open ? [format(s.result_open, { open })] : []),
      r.starsAtCeiling > r.stars
        ? format(s.result_band_range, { stars: r.stars, ceiling_stars: r.starsAtCeiling })
        : format(s.result_band, { stars: r.stars }),
      ...(r.band > r.stars ? [format(s.result_capped, { band: r.band, stars: r.stars })] : []),
      ...(r.stars < 3 ? [s.result_no_ocop] : []),
    ];
    const next = nextLines(this.t, r);
    const skipped = r.skipped.length ? [format(s.skipped_line, { count: r.skipped.length })] : [];
    return [
      {
        text: [lines.join('\n'), ...(next ? [next] : []), ...skipped, s.edit_hint, s.caution].join('\n\n'),
        buttons: [
          button(s.send_button, 'chk:send'),
          button(this.t.eligibility.register_button, 'req:register'),
          button(s.again_button, 'req:selfscore'),
        ],
      },
    ];
  }

  private assessmentOf(session: CheckSession): SelfAssessment | undefined {
    const sheet = this.sheet(session);
    if (!sheet) return undefined;
    const r = scoreSheet(sheet, session.answers);
    return {
      set: sheet.set,
      setName: sheet.name,
      ...(session.product ? { product: session.product } : {}),
      parts: r.parts,
      total: r.total,
      open: r.open.A + r.open.B + r.open.C,
      stars: r.stars,
      starsAtCeiling: r.starsAtCeiling,
      missing: (r.next?.missing ?? [])
        .filter((m) => !m.council)
        .map((m) => ({ id: m.criterion.id, title: m.criterion.title, needs: m.option })),
      ...(r.next ? { nextStars: r.next.stars } : {}),
      answered: criteriaOf(sheet).filter((c) => typeof session.answers[c.id] === 'number').length,
      skipped: r.skipped.length,
      at: this.now(),
    };
  }

  private resumePrompt(session: CheckSession): Reply {
    const c = this.t.common;
    const total = this.questions(session).length;
    return {
      text: format(c.resume_prompt, { title: c.titles[session.kind], done: Math.min(session.step, total), total }),
      buttons: [button(c.resume_continue, 'chk:continue'), button(c.resume_restart, 'chk:restart')],
    };
  }

  private async save(msg: InboundMessage, session: CheckSession, replies: Reply[]): Promise<Reply[]> {
    session.updatedAt = this.now();
    session.appliedUpdate = msg.updateKey;
    await this.deps.sessions.set(msg.channel, msg.userId, session);
    return replies;
  }
}

function button(label: string, value: string): Button {
  return { label, value };
}

/** "Tính độc đáo (Chất lượng: Có nét riêng, …)" → "Tính độc đáo": a criterion named in a list. */
function shortTitle(title: string): string {
  return title.replace(/\s*\(.*$/s, '') || title;
}

/** What the next star up needs: points, the mandatory criteria missing, the best gains. */
function nextLines(t: CheckTexts, r: ScoreResult): string | undefined {
  const next = r.next;
  if (!next) return undefined;
  const s = t.score;
  const from = STAR_BANDS.find((b) => b.stars === next.stars)!.from;
  const lines = [format(s.next_title, { stars: next.stars })];
  if (next.pointsNeeded > 0) lines.push(format(s.next_points, { points: next.pointsNeeded, stars: next.stars, from }));
  if (next.missing.length) {
    lines.push(s.next_missing);
    for (const m of next.missing)
      lines.push(
        format(m.council ? s.missing_council : s.missing_line, {
          title: shortTitle(m.criterion.title),
          option: m.option,
        }),
      );
  }
  if (next.gains.length) {
    lines.push(s.next_gains);
    for (const g of next.gains)
      lines.push(format(s.gain_line, { title: shortTitle(g.criterion.title), now: g.now, max: g.criterion.max }));
  }
  return lines.join('\n');
}
