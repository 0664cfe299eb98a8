/**
 * What a message asks the assistant to do: answer a question, start the registration form, show "Hồ sơ của tôi",
 * subscribe or unsubscribe, greet, help, a step of the form (back, cancel, skip, edit…), or an officer command.
 *
 * A request is read from the concepts the message contains (vocabulary.ts CONCEPTS), weighed by REQUEST_FRAMES,
 * so that every way of saying "I want to register my product idea" reads alike, and a question about a request
 * ("đăng ký ý tưởng cần giấy tờ gì?") reads as a question. When doing and explaining are close, the reading says
 * so (`clarify`), and the engine asks with two buttons.
 */
import type { Token } from './analyze.js';
import type { Entities } from './entities.js';
import {
  AMBIGUOUS_CANCEL,
  NEVER_MIND,
  HYPOTHETICAL_WORDS,
  AMBIGUOUS_UNSUBSCRIBE,
  TOO_MANY_MESSAGES,
  REFERENCE_CODE_WORDS,
  ANSWER_FILLERS,
  HANDLING_VERBS,
  FORM_OBJECTS,
  FRAME_NEEDS,
  NOT_THE_CONCEPT,
  REQUEST_FILLERS,
  REQUIREMENT_CUES,
  SENDERS,
  SOFT_HERE_NOW,
  ASKING_LEAVE,
  ELIGIBILITY_SUBJECTS,
  NEW_PRODUCT_PHRASES,
  NEXT_STEP_CUES,
  SENDING_VERBS,
  SUBMISSION_NOUNS,
  REGISTER_UNSPECIFIED,
  HELP_USING,
  PRESS_WHERE,
  COMMANDS,
  CONCEPTS,
  REQUEST_FRAMES,
  REQUEST_MARGIN,
  REQUEST_THRESHOLD,
  REQUEST_THRESHOLDS,
  WHOLE_MESSAGE_REQUESTS,
  EMOTICONS,
  type Concept,
  type RequestKind,
} from './vocabulary.js';
import { fold, tonedKey } from '../text/vietnamese.js';
import { escapeRegExp, foldedPhrases } from '../text/regexp.js';
import { phraseAt, PhraseSet, phraseWords, type PhraseWord, type Span } from './phrases.js';
import type { AnswerType } from './vocabulary.js';

export interface RequestReading {
  kind: RequestKind;
  /** 0..1. */
  confidence: number;
  /** Doing and explaining are close: ask which ("Điền phiếu đăng ký ngay" / "Tìm hiểu cách đăng ký"). */
  clarify?: boolean;
  /** A setting would change on a word that may mean something else ("dung": dừng / đúng): confirm first. */
  confirm?: boolean;
  /** "thôi", "không hủy nữa": never mind (the form's cancel; outside it, nothing to do). */
  neverMind?: boolean;
  /** "hủy gửi hồ sơ": the cancelling names the form or what it sends, never the announcements. */
  ofSubmission?: boolean;
  /** What follows a command ("/tiendo TB-2026-000001"). */
  argument?: string;
  /** "sửa 3": the summary line to edit. */
  editLine?: number;
  /** The concepts found, for tests and diagnostics. */
  concepts: Concept[];
  /** Each frame's score, for diagnostics (`npm run explain`). */
  scores?: Partial<Record<RequestKind, number>>;
}

type Matcher = { concept: Concept; words: PhraseWord[] };
const MATCHERS: Matcher[] = (Object.keys(CONCEPTS) as Concept[])
  .flatMap((concept) => CONCEPTS[concept].map((p) => ({ concept, words: phraseWords(p) })))
  .sort((a, b) => b.words.length - a.words.length);
/** Matchers by their first folded word, each list in MATCHERS order, so a message looks only at what can match. */
const MATCHERS_BY_FIRST = new Map<string, { m: Matcher; order: number }[]>();
MATCHERS.forEach((m, order) => {
  const first = m.words[0]?.folded ?? '';
  MATCHERS_BY_FIRST.set(first, [...(MATCHERS_BY_FIRST.get(first) ?? []), { m, order }]);
});

const FILLERS = new Set([...ANSWER_FILLERS, ...REQUEST_FILLERS].map(fold));
const WHOLE = new Map<string, RequestKind>(
  (Object.entries(WHOLE_MESSAGE_REQUESTS) as [RequestKind, readonly string[]][]).flatMap(([kind, list]) =>
    list.map((p) => [p, kind] as [string, RequestKind]),
  ),
);
const AMBIGUOUS_STOP = new Set(AMBIGUOUS_UNSUBSCRIBE);
const AMBIGUOUS_CANCEL_SET = new Set(AMBIGUOUS_CANCEL);
/** "nếu … thì", "giả sử … thì", "lỡ … thì": a condition, then what follows from it. Folded. */
const HYPOTHETICAL = new RegExp(`(?:^| )(?:${HYPOTHETICAL_WORDS.join('|')}) (?:[a-z]+ ){1,12}thi(?: |$)`);
const NEVER_MINDS = new Set(NEVER_MIND);
const SMALL_TALK = ['thanks', 'ack', 'goodbye'] as const satisfies readonly (Concept & RequestKind)[];
const CHAT = [...SMALL_TALK, 'feeling', 'later'] as const satisfies readonly Concept[];
const UNSPECIFIED = new Set(REGISTER_UNSPECIFIED);
const FORM_WORDS = new Set(FORM_OBJECTS);
const SOFT_NOW = new Set(SOFT_HERE_NOW);
const LEAVE = new Set(ASKING_LEAVE);
const OWNER_SUBJECTS = PhraseSet.of(ELIGIBILITY_SUBJECTS);
const NEXT_STEPS = PhraseSet.of(NEXT_STEP_CUES);
const USING = PhraseSet.of(HELP_USING);
const PRESS = PhraseSet.of(PRESS_WHERE);

/** "hộ gia đình", "cá nhân", "tổ hợp tác": a kind of owner whose right to take part may be asked. */
export function namesOwnerKind(tokens: readonly Token[]): boolean {
  return OWNER_SUBJECTS.in(tokens);
}
const FORM_STEPS = ['back', 'cancel', 'skip', 'pause', 'submit'] as const satisfies readonly (Concept & RequestKind)[];

const EXCLUSIONS = (Object.entries(NOT_THE_CONCEPT) as [Concept, readonly string[]][]).map(([concept, list]) => ({
  concept,
  phrases: PhraseSet.of(list),
}));

const overlaps = ([s, e]: Span, [s2, e2]: Span) => s < e2 && s2 < e;

/** Where each concept matched, longest phrases first, without overlaps within a concept. */
function findConcepts(tokens: readonly Token[]): Map<Concept, Span[]> {
  const found = new Map<Concept, Span[]>();
  // The same order as trying every matcher at every position: matchers in order, then positions.
  const hits: { m: Matcher; order: number; i: number }[] = [];
  tokens.forEach((t, i) => {
    for (const c of MATCHERS_BY_FIRST.get(t.folded) ?? []) if (phraseAt(tokens, i, c.m.words)) hits.push({ ...c, i });
  });
  hits.sort((a, b) => a.order - b.order || a.i - b.i);
  for (const { m, i } of hits) {
    const spans = found.get(m.concept) ?? [];
    if (spans.some(([s, e]) => i < e && s < i + m.words.length)) continue;
    spans.push([i, i + m.words.length]);
    found.set(m.concept, spans);
  }
  const drop = (concept: Concept, away: Span[]) => {
    const kept = (found.get(concept) ?? []).filter((span) => !away.some((a) => overlaps(span, a)));
    if (kept.length) found.set(concept, kept);
    else found.delete(concept);
  };
  for (const { concept, phrases } of EXCLUSIONS) {
    const away = phrases.spans(tokens);
    if (away.length) drop(concept, away);
  }
  // "đã gửi ý tưởng", "đăng ký rồi": what was done is not asked for again.
  if (found.has('submitted')) drop('registerVerb', found.get('submitted')!);
  // "tạo hồ sơ đăng ký mới", "làm hồ sơ": the file inside a verb of making it is what is to be made, not the
  // writer's submissions.
  const within = (found.get('registerVerb') ?? []).filter(([s, e]) =>
    (found.get('profileObject') ?? []).some(([ps, pe]) => s <= ps && pe <= e),
  );
  if (within.length) {
    for (const concept of ['profileObject', 'personalData'] as const) drop(concept, within);
    found.set('registerObject', [...(found.get('registerObject') ?? []), ...within]);
  }
  // "tôi chỉ muốn nhận thông báo thôi": "chỉ … thôi" is "only", no word of stopping.
  const only = onlyThoi(tokens);
  if (only.length) for (const concept of ['unsubscribeVerb', 'cancel'] as const) drop(concept, only);
  return found;
}

/** Each "thôi" that closes a clause begun with "chỉ" before it ("em chỉ hỏi thôi", "chỉ muốn nhận tin thôi"). */
function onlyThoi(tokens: readonly Token[]): Span[] {
  const spans: Span[] = [];
  tokens.forEach((t, i) => {
    if (t.folded !== 'thoi' || i < 2) return;
    const next = tokens[i + 1];
    if (next && (next.sentence ?? 0) === (t.sentence ?? 0) && !next.particle) return;
    for (let j = i - 1; j >= Math.max(0, i - 10) && (tokens[j]!.sentence ?? 0) === (t.sentence ?? 0); j--)
      if (tokens[j]!.folded === 'chi' && (!tokens[j]!.accented || tokens[j]!.toned === ONLY)) {
        spans.push([i, i + 1]);
        return;
      }
  });
  return spans;
}
const ONLY = tonedKey('chỉ');

/** True when every word of the message is covered by the given concepts or is filler. */
function onlyThese(
  folded: readonly string[],
  found: Map<Concept, [number, number][]>,
  concepts: readonly Concept[],
  /** Words that may also stand, asking nothing ("của tôi" in "trạng thái của tôi"). */
  alsoSaid: (i: number) => boolean = () => false,
): boolean {
  const covered = new Array<boolean>(folded.length).fill(false);
  for (const c of concepts) for (const [s, e] of found.get(c) ?? []) for (let k = s; k < e; k++) covered[k] = true;
  return covered.some(Boolean) && folded.every((w, i) => covered[i] || FILLERS.has(w) || alsoSaid(i));
}

/** The writer's one-word names for themselves ("tôi", "em", "mình"), folded. */
const SELF_WORDS = ['toi', 'tui', 'em', 'minh', 'chau', 'chi', 'anh', 'bac'];
/** After "của", "e" is "em" too ("của e"). */
const OWNERS = new Set([...SELF_WORDS, 'e']);
/** "của tôi", "của e" at word i: the writer's own, naming nothing else. */
const ownerAt = (folded: readonly string[], i: number) =>
  (folded[i] === 'cua' && OWNERS.has(folded[i + 1] ?? '')) || (OWNERS.has(folded[i]!) && folded[i - 1] === 'cua');

/** "hồ sơ của chị", "ý tưởng tôi đã gửi", "đơn đăng ký của em": the writer's own submission. */
const PRONOUN = `(?:(?:htx|hop tac xa|to hop tac|nha|gia dinh|doanh nghiep|cong ty|co so) )?(?:${[...SELF_WORDS, 'chung toi', 'chung em', 'con'].join('|')})`;
const POSSESSIVE = new RegExp(
  `(?:^| )(?:ho so|phieu|y tuong|don|dang ky)(?:(?: [a-z]+){0,3} cua| da gui| da nop)? ${PRONOUN}(?![a-z])|(?:^| )cua ${PRONOUN} (?:ho so|phieu|y tuong|dang ky)|(?:^| )cho ${PRONOUN} xem(?: lai)? (?:ho so|phieu|y tuong)(?! [a-z]+ cua)`,
);

const SENDER = `(?:${SENDERS.join('|')})`;
const SUBMISSION = foldedPhrases(SUBMISSION_NOUNS);
/** "tôi đã gửi", "phiếu bà gửi", "e gửi mấy phiếu rồi", "gửi phiếu rồi": something the writer sent. */
const VERB = `(?:${SENDING_VERBS.join('|')})`;
const SENT_BY_WRITER = new RegExp(
  [
    `(?:^| )${SENDER} (?:da|vua|moi|da tung) ${VERB}(?: |$)`,
    // "phiếu bà gửi", not "phiếu ý tưởng, bạn cho tôi điền" (let me fill it in).
    `(?:^| )(?:${SUBMISSION_NOUNS.join('|')})(?: [a-z]+){0,2} (?:ma )?(?<!cho )${SENDER} (?:da |vua )?${VERB}(?! (?:luon|ngay|di|nhe|giup|ho|bay gio))(?: |$)`,
    `(?:^| )${SENDER} (?:da |vua )?${VERB}(?: [a-z]+){0,2} (?:${SUBMISSION_NOUNS.join('|')})(?: [a-z]+){0,3} roi(?: |$)`,
    // "đăng ký xong rồi", not "đăng ký xong thì …" (what follows it, asked).
    `(?:^| )${VERB}(?: [a-z0-9]+){0,4} (?:roi|r|xong(?! thi| duoc))(?: |$)`,
  ].join('|'),
);
/** "khi nào có đợt chấm thì báo", "bao giờ có hội chợ thì nhắn em": a time, then what to do then. */
const WHEN_THEN =
  /(?:^| )(?:(?:khi nao|bao gio|luc nao|khi)(?: [a-z0-9]+){1,8} thi|co (?:tin |thong tin |tbao |thong bao )?gi moi(?:(?: [a-z0-9]+){0,3} thi)?)(?: (?:em|ban|ad|bot|chau|tro ly))? (?:bao|nhan|thong bao|gui)(?: |$)/;
/** "dk y tuong xong thi lam j tiep": what comes once it is done, asked. */
const AFTER_DOING = new RegExp(`(?:^| )${VERB}(?: [a-z0-9]+){0,4} xong (?:thi|roi thi)(?: |$)`);
/** "nhận phiếu của em chưa", "cán bộ xã xem chưa": what happened to it, asked. */
const HANDLED = new RegExp(`(?:^| )(?:${HANDLING_VERBS.join('|')})(?: [a-z]+){0,5} chua(?: |$)`);
/** "tôi có phiếu nào …", "mục hồ sơ cá nhân": the writer's own submissions. */
const HAS_OWN = new RegExp(
  `(?:^| )${SENDER} (?:co|con) (?:${SUBMISSION_NOUNS.join('|')})(?: |$)|(?:^| )(?:ho so ca nhan|muc ho so)(?: |$)`,
);
const REQUIREMENT = foldedPhrases(REQUIREMENT_CUES);
/** The evaluation dossier, which the idea form is not. */
const DOSSIER = /(?:^| )ho so(?: |$)/;
const SUBSCRIBED = /dang ky nhan(?: tin| thong bao)?/g;
/** "đăng ký sản phẩm mới": the new-product form (biểu số 01). */
const NEW_PRODUCT = new RegExp(`(?:^| )(?:${NEW_PRODUCT_PHRASES.join('|')})(?: |$)`);
/** "Những gì tôi đã nộp", "các thứ em đã gửi": what the writer sent, listed. */
const WHAT_WAS_SENT = new RegExp(`(?:^| )(?:nhung gi|nhung cai|cac thu|cai gi) ${SENDER} (?:da |vua )${VERB}(?: |$)`);
/** A complaint about the announcements: "spam quá", "nhiều tin nhắn quá", "gửi cho tôi hoài". */
const TOO_MANY = new RegExp(
  `(?:^| )(?:${TOO_MANY_MESSAGES.phrases.join('|')}|(?:${TOO_MANY_MESSAGES.sending.join('|')})(?: [a-z]+){0,3} (?:${TOO_MANY_MESSAGES.often.join('|')}))(?: |$)`,
);
const REFERENCE_CODE = new RegExp(`(?:^| )(?:${REFERENCE_CODE_WORDS.join('|')})(?: |$)`);
/** The writer speaking of themselves ("của mình", "cho e"); narrower than SENDERS, which holds "co", "ba", "ong". */
const WRITER = new RegExp(`(?:^| )(?:${PRONOUN}|e|t|tui|tao)(?: |$)`);
/** "sp của em duyệt chưa": the writer's own product, whose submission's state is asked. */
const OWN_PRODUCT = new RegExp(
  `(?:^| )(?:sp|san pham)(?:(?: [a-z]+){0,3} cua ${PRONOUN}| (?:cua )?(?:${PRONOUN}|e|t))(?![a-z])`,
);

/** Kinds of answer that may come with "how" in a question about doing what the form does ("tham gia kiểu gì"). */
const HOW_ALONG = new Set<AnswerType>(['how', 'yesno', 'which', 'eligibility']);

/** Kinds of answer that ask for information (a yes/no or a product's group may come with a request). */
const INFORMATION_TYPES = new Set<AnswerType>([
  'definition',
  'number',
  'date',
  'duration',
  'who',
  'where',
  'list',
  'how',
  'why',
  'which',
]);

const EMOTICON_RE = new RegExp(
  // The last character may repeat (":)))", "=))").
  `(?:${EMOTICONS.map((e) => `${escapeRegExp(e.slice(0, -1))}${escapeRegExp(e.slice(-1))}+`).join('|')})`,
  'giu',
);
/** Nothing but emoticons (":))", "=)) =))", "^^"). */
function onlyEmoticons(text: string): boolean {
  const rest = text.replace(EMOTICON_RE, '');
  return rest.length < text.length && !/[\p{L}\p{N}]/u.test(rest);
}

/** The sum of a request frame's weights for the features the message has. */
function frameScore(
  kind: RequestKind,
  has: (c: Concept) => boolean,
  questionForm: boolean,
  possessive: boolean,
): number {
  let score = 0;
  for (const [feature, weight] of Object.entries(REQUEST_FRAMES[kind] ?? {}) as [
    Concept | 'questionForm' | 'possessive',
    number,
  ][]) {
    const present = feature === 'questionForm' ? questionForm : feature === 'possessive' ? possessive : has(feature);
    if (present) score += weight;
  }
  return score;
}

export function readRequest(
  text: string,
  tokens: readonly Token[],
  entities: Entities,
  answerTypes: readonly AnswerType[] = [],
  /** A product is named ("đăng ký sản phẩm lạp sườn"). */
  productNamed = false,
): RequestReading {
  const trimmed = text.trim();
  const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (command) {
    const kind = COMMANDS[`/${command[1]!.toLowerCase()}`];
    if (kind)
      return { kind, confidence: 1, concepts: [], ...(command[2]?.trim() ? { argument: command[2].trim() } : {}) };
  }
  // "👍", "🙏", ":))": a reaction, nothing asked.
  if (tokens.length === 0 && (/\p{Extended_Pictographic}/u.test(trimmed) || onlyEmoticons(trimmed)))
    return { kind: 'ack', confidence: 0.8, concepts: [] };
  const folded = tokens.map((t) => t.folded);
  const content = tokens.filter((t) => !t.particle).map((t) => t.folded);
  // "hả", "???", "ơ", "sao": no word to go on.
  if (tokens.every((t) => t.stop || t.particle) && !/\d/.test(trimmed) && findConcepts(tokens).size === 0)
    return { kind: 'unclear', confidence: 0.6, concepts: [] };
  const whole = content.filter((w) => !FILLERS.has(w)).join(' ');
  const found = findConcepts(tokens);
  const concepts = [...found.keys()];
  const has = (c: Concept) => found.has(c);

  const edit = /^(?:sua|chinh sua|doi|sua lai)(?: lai)?(?: muc| dong| cau| so| buoc)*(?: so)? (\d{1,2})$/.exec(
    content.join(' '),
  );
  if (edit) return { kind: 'edit', confidence: 1, editLine: Number(edit[1]), concepts };

  const wholeKind = WHOLE.get(whole) ?? WHOLE.get(content.join(' '));
  if (wholeKind) return { kind: wholeKind, confidence: 1, concepts };
  // "đăng ký OCOP", "cho em đăng ký sp với": the idea form, or the evaluation? Offer both.
  if (UNSPECIFIED.has(whole)) return { kind: 'register', confidence: 0.8, clarify: true, concepts };
  if (NEVER_MINDS.has(whole) || NEVER_MINDS.has(content.join(' ')))
    return { kind: 'cancel', confidence: 0.5, confirm: true, neverMind: true, concepts };
  // "dung roi" is "đúng rồi" (ok) before it is "dừng" (stop): a whole phrase of small talk wins over one word.
  const chatOnly = onlyThese(folded, found, CHAT);
  if (AMBIGUOUS_STOP.has(whole) && !chatOnly) return { kind: 'unsubscribe', confidence: 0.5, confirm: true, concepts };
  if (AMBIGUOUS_CANCEL_SET.has(whole)) return { kind: 'cancel', confidence: 0.5, confirm: true, concepts };

  // A message that is only a step of the form ("quay lại", "bỏ qua", "thôi hủy đi", "gửi").
  for (const step of FORM_STEPS) {
    if (onlyThese(folded, found, [step])) return { kind: step, confidence: 0.9, concepts };
  }
  // "sai rồi", "không phải cái đó ạ": the last answer missed, and nothing else is said.
  if (has('wrong') && onlyThese(folded, found, ['wrong', 'greeting', ...CHAT]))
    return { kind: 'wrong', confidence: 0.8, concepts };
  // Small talk: nothing but thanks, ok, goodbye, feelings (and filler); thanks first, then goodbye, then ok.
  if (chatOnly) {
    return { kind: has('thanks') ? 'thanks' : has('goodbye') ? 'goodbye' : 'ack', confidence: 0.9, concepts };
  }
  // Thanks with more words ("Xin cảm ơn Trợ lý đã giải đáp rất tận tình"), asking nothing.
  if (
    has('thanks') &&
    answerTypes.length === 0 &&
    !/\?/.test(trimmed) &&
    !has('registerVerb') &&
    !has('news') &&
    !has('profileObject')
  ) {
    return { kind: 'thanks', confidence: 0.8, concepts };
  }
  // "Vâng, tôi biết rồi, chào bạn nhé": a greeting after thanks or ok is a goodbye.
  const firstOf = (c: Concept) => Math.min(...(found.get(c) ?? []).map(([start]) => start), Infinity);
  if (
    has('greeting') &&
    Math.min(firstOf('ack'), firstOf('thanks')) < firstOf('greeting') &&
    onlyThese(folded, found, ['greeting', ...SMALL_TALK])
  ) {
    return { kind: 'goodbye', confidence: 0.8, concepts };
  }
  // Content words no concept explains: what the message is about besides its request.
  const covered = new Array<boolean>(tokens.length).fill(false);
  for (const spans of found.values()) for (const [s, e] of spans) for (let k = s; k < e; k++) covered[k] = true;
  const otherWords = tokens.filter((t, i) => !covered[i] && !t.stop && !t.particle && !FILLERS.has(t.folded)).length;
  // "tem OCOP dùng thế nào", "cách sử dụng logo OCOP": how to use something named that is not the bot. ("chỉ em
  // cách dùng" asks to be shown before the words of using: the help.)
  const usingSpans = USING.spans(tokens);
  if (
    otherWords > 0 &&
    !has('botRef') &&
    (found.get('help') ?? []).every((h) => usingSpans.some((u) => overlaps(h, u) && h[0] >= u[0]))
  )
    found.delete('help');
  // "hủy gửi hồ sơ", "huy phieu dang ky", "hủy gửi ý tưởng": cancelling the form's sending, no news named and nothing
  // asked. Outside the form there is nothing to cancel; inside it the form asks before it drops the draft.
  const cancelFirst = (found.get('cancel') ?? []).some(([s]) => s === 0 || tokens.slice(0, s).every((t) => t.stop));
  // "thoi dung gui nua": stopping the sending itself ("dừng gửi", "đừng gửi"), with no file named, is the news.
  const stopsSending =
    !has('profileObject') &&
    !has('registerObject') &&
    (found.get('unsubscribeVerb') ?? []).some((u) => (found.get('submit') ?? []).some((g) => overlaps(u, g)));
  if (
    cancelFirst &&
    !stopsSending &&
    !has('news') &&
    !has('eraseVerb') &&
    otherWords === 0 &&
    answerTypes.length === 0 &&
    !has('infoAsk') &&
    (has('submit') || has('profileObject') || has('registerObject') || has('registerVerb'))
  )
    return { kind: 'cancel', confidence: 0.6, confirm: true, ofSubmission: true, concepts };
  // "bot tên gì thế", "Trợ lý là người thật hay là máy vậy?"
  if (has('identity') && otherWords <= 1) return { kind: 'identity', confidence: 0.9, concepts };
  // "ad ơi bot này dùng sao": a greeting that asks how to use the bot asks for the help.
  if (has('greeting') && onlyThese(folded, found, ['greeting', 'help', ...SMALL_TALK]))
    return { kind: has('help') ? 'help' : 'greeting', confidence: 0.9, concepts };
  // "Cho tôi xin bảng điểm …" after the greeting asks for something ("xin chào" asks nothing).
  const greetingSpans = found.get('greeting') ?? [];
  const asksBeyondGreeting = (found.get('desire') ?? []).some((d) => !greetingSpans.some((g) => overlaps(d, g)));
  // "Chào bạn, tôi là chủ hộ làm bánh ở Hòa An.": a greeting with an introduction and no question.
  if (
    found.get('greeting')?.some(([s]) => s === 0) &&
    answerTypes.length === 0 &&
    !/\?/.test(trimmed) &&
    !has('registerVerb') &&
    !has('news') &&
    // "bot ơi xài sao z, chỉ e vs": a greeting that asks how to use the bot asks for the help ("Chào bạn, tôi mới
    // dùng lần đầu" greets).
    !(has('help') && has('useVerb')) &&
    !asksBeyondGreeting
  ) {
    return { kind: 'greeting', confidence: 0.7, concepts };
  }
  if (onlyThese(folded, found, ['help'])) return { kind: 'help', confidence: 0.9, concepts };
  if (
    has('menu') &&
    (onlyThese(folded, found, ['menu', 'back', 'look', 'help', 'desire']) ||
      (otherWords <= 1 && !has('registerVerb') && !has('news') && !has('profileObject')))
  )
    return { kind: 'menu', confidence: 0.9, concepts };
  // "kt tình trạng đăng ký", "xem tiến độ giúp em", "trạng thái của tôi" ("my status?"): only the state asked, of
  // nothing named but what was sent (or the writer's own).
  if (
    has('status') &&
    onlyThese(folded, found, ['status', 'checkVerb', 'look', 'desire', 'profileObject'], (i) => ownerAt(folded, i))
  )
    return { kind: 'profile', confidence: 0.7, concepts };
  if (onlyThese(folded, found, ['more'])) return { kind: 'more', confidence: 0.9, concepts };
  if (onlyThese(folded, found, ['topics'])) return { kind: 'topics', confidence: 0.9, concepts };
  // "cho em hỏi cái này", "mình muốn hỏi chút": a question announced, not asked yet. Offer the topics. (A product
  // named, "dau hoi?", is what is asked about.)
  if (
    !productNamed &&
    has('askAhead') &&
    onlyThese(folded, found, ['askAhead', 'vague', 'desire', 'greeting', ...SMALL_TALK])
  )
    return { kind: 'topics', confidence: 0.8, concepts };

  // "muốn đăng ký OCOP ngay ở đây luôn có được không ạ?": asking leave to do it here and now asks for it.
  const hereAndNow = (found.get('hereNow') ?? []).some(([s, e]) => !SOFT_NOW.has(folded.slice(s, e).join(' ')));
  // Nothing asked but leave: yes or no on taking part, in words like "có được không".
  const onlyLeave =
    answerTypes.every((t) => t === 'yesno' || t === 'eligibility') &&
    (found.get('infoAsk') ?? []).every(([s, e]) => LEAVE.has(folded.slice(s, e).join(' ')));
  // "TOI MUON DANG KY Y TUONG SAN PHAM MIEN DONG, CO DUOC KHONG": wanting the idea form (or a product named) and
  // asking leave asks for it too.
  const wantsTheForm = folded.some((w) => FORM_WORDS.has(w)) || productNamed;
  const askingLeave = has('desire') && has('registerVerb') && (hereAndNow || wantsTheForm) && onlyLeave;
  if (askingLeave) found.delete('infoAsk');
  const joined = folded.join(' ');
  // "tôi đã đăng ký nhận tin": announcements, nothing sent.
  const sent = SENT_BY_WRITER.test(joined.replace(SUBSCRIBED, ' ')) || has('submitted');
  // "đăng ký sp đc hông bạn": whether one may register, and nothing more: the form or how it works ("sp e dk
  // xong chua" asks whether it went through).
  const mayI =
    has('registerVerb') &&
    !hereAndNow &&
    !sent &&
    // "dki ocop cho sp chieu truc dc k a": the product named, and leave asked in so many words.
    (otherWords === 0 || (productNamed && answerTypes.includes('yesno') && !has('desire'))) &&
    !has('look') &&
    !has('profileObject') &&
    answerTypes.length > 0 &&
    onlyLeave;
  if (mayI) return { kind: 'register', confidence: 0.5, clarify: true, concepts };
  // "muốn dk ý tưởng sp thì bấm đâu ạ": where to press for it is the request, here.
  if (has('registerVerb') && !sent && !has('news') && PRESS.in(tokens))
    return { kind: 'register', confidence: 0.6, clarify: !wantsTheForm, concepts };
  // "có ý tưởng làm trà hoa vàng, gửi luôn qua bot được không": sending the idea here and now is the form.
  if (
    has('submit') &&
    hereAndNow &&
    folded.some((w) => FORM_WORDS.has(w)) &&
    !has('registerVerb') &&
    !has('infoAsk') &&
    !sent &&
    !has('news') &&
    !has('status') &&
    !has('profileObject')
  )
    return { kind: 'register', confidence: 0.6, clarify: true, concepts };
  // Question words ask for information; a question mark or "… không?" asks too, less strongly.
  const asks = has('infoAsk') || answerTypes.some((t) => INFORMATION_TYPES.has(t));
  if (asks && !found.has('infoAsk')) found.set('infoAsk', []);
  const questionForm = !askingLeave && (/\?\s*$/.test(trimmed) || answerTypes.includes('yesno') || asks);
  const possessive = POSSESSIVE.test(folded.join(' ')) || entities.referenceCodes.length > 0;
  // The writer's own submission, and its state, a look at it or a list of them: "Hồ sơ của tôi" ("gửi phiếu rồi,
  // giờ xem lại ở đâu", "phiếu bà gửi đã có cán bộ xem chưa", "Hãy liệt kê các phiếu mà tôi đã gửi"). Not what a
  // dossier needs ("hồ sơ của tôi cần những gì"), not someone else's ("hồ sơ của ông Nông Văn Sơn").
  const stateAsked = has('status') || HANDLED.test(joined);
  const own = possessive || sent || HAS_OWN.test(joined);
  // "gửi ý tưởng xong rồi thì bước tiếp theo là gì": what comes after sending is a question about the steps.
  const asksAfterSending = sent && !stateAsked && !has('look') && NEXT_STEPS.in(tokens);
  // "xóa số điện thoại đã gửi", "gỡ hồ sơ của tôi": deleting what was sent is not a look at it ("Hồ sơ của
  // tôi"); the erase frame weighs it against a question about deletion before the shortcuts below.
  // "thông tin cá nhân" holds "tin", which is no news.
  const dataSpans = found.get('personalData') ?? [];
  const newsBeyondData = (found.get('news') ?? []).some((n) => !dataSpans.some((d) => overlaps(n, d)));
  if (has('eraseVerb') && dataSpans.length && !newsBeyondData) {
    const hasHere = (c: Concept) => c !== 'news' && has(c);
    const score = frameScore('erase', hasHere, questionForm, possessive);
    if (score >= (REQUEST_THRESHOLDS.erase ?? REQUEST_THRESHOLD))
      return {
        kind: 'erase',
        confidence: Math.min(1, score / ((REQUEST_THRESHOLDS.erase ?? REQUEST_THRESHOLD) * 2)),
        concepts,
      };
    return { kind: 'question', confidence: 0.7, concepts };
  }
  // "Nếu tôi hủy nhận thông báo thì hồ sơ đã nộp có bị hủy theo không?": what would happen if one did it is a
  // question, whatever it names.
  if (HYPOTHETICAL.test(joined) && questionForm) return { kind: 'question', confidence: 0.7, concepts };
  // "spam quá", "sao cứ gửi cho tôi hoài vậy": a complaint about the announcements; ask before stopping them.
  if (
    TOO_MANY.test(joined) &&
    !has('unsubscribeVerb') &&
    !has('registerVerb') &&
    !has('profileObject') &&
    !has('notifyWhen')
  )
    return { kind: 'unsubscribe', confidence: 0.5, confirm: true, concepts };
  // "khi nào có đợt chấm điểm thì báo c", "có gì mới thì báo chị": "when …, then tell me" asks to be told, not when.
  if (has('notifyWhen') && has('news') && WHEN_THEN.test(joined) && !has('unsubscribeVerb') && !has('profileObject'))
    return { kind: 'subscribe', confidence: 0.7, concepts };
  // "mã hồ sơ của mình là gì": only the writer's own submissions have a code the bot gave.
  if (
    REFERENCE_CODE.test(joined) &&
    WRITER.test(joined) &&
    entities.persons.length === 0 &&
    !answerTypes.includes('how')
  )
    return { kind: 'profile', confidence: 0.7, concepts };
  // "kiểm tra sp của tôi có đủ điều kiện không": the product's conditions are the eligibility check, not the file.
  if (
    stateAsked &&
    OWN_PRODUCT.test(joined) &&
    entities.persons.length === 0 &&
    !has('registerVerb') &&
    !has('eligibilityObject')
  )
    return { kind: 'profile', confidence: 0.7, concepts };
  // "đăng ký thêm một ý tưởng nữa, ngoài cái đã gửi tháng trước": another one wanted, not a look at the first.
  const wantsAnother = has('desire') && has('registerVerb') && NEW_PRODUCT.test(joined);
  // "Những gì tôi đã nộp lên hệ thống": the list of what was sent.
  if (WHAT_WAS_SENT.test(joined) && !REQUIREMENT.test(joined) && !answerTypes.includes('how'))
    return { kind: 'profile', confidence: 0.6, concepts };
  // "đã nộp rồi, xem lại đc ko": a look at what one sent, with nothing else named.
  if (sent && has('look') && otherWords === 0 && !has('registerVerb') && !asksAfterSending)
    return { kind: 'profile', confidence: 0.6, concepts };
  if (
    SUBMISSION.test(joined) &&
    own &&
    (stateAsked || has('look') || sent) &&
    !asksAfterSending &&
    !wantsAnother &&
    // "Tôi đã đăng ký nhận thông báo hôm trước, giờ muốn hủy": the news stopped, not the file.
    !(has('news') && has('unsubscribeVerb')) &&
    entities.persons.length === 0 &&
    !(REQUIREMENT.test(joined) && !has('status')) &&
    // "đơn đăng ký sản phẩm của mình đã được duyệt chưa": its own registration's state, not a new one.
    !(has('registerVerb') && !sent && !(stateAsked && possessive))
  ) {
    return { kind: 'profile', confidence: 0.8, concepts };
  }
  // One's own form or idea is the submission itself.
  if (possessive && !found.has('profileObject')) found.set('profileObject', []);
  // "trợ giúp tôi hiểu chu trình OCOP có mấy bước": help asked with a question about something else is the question.
  const asksElse =
    otherWords >= 2 && answerTypes.some((t) => INFORMATION_TYPES.has(t)) && !(has('botRef') && has('useVerb'));
  const scores: [RequestKind, number][] = (Object.keys(REQUEST_FRAMES) as RequestKind[]).map((kind) => {
    const needs = FRAME_NEEDS[kind];
    if (needs && !needs.some((c) => (c === 'possessive' ? possessive : has(c)))) return [kind, -Infinity];
    if (kind === 'help' && asksElse) return [kind, -Infinity];
    // "hồ sơ của ông Nông Văn Sơn": someone else's file is not "Hồ sơ của tôi".
    if (kind === 'profile' && entities.persons.length) return [kind, -Infinity];
    let score = frameScore(kind, has, questionForm, possessive);
    if (kind === 'profile' && entities.referenceCodes.length) score += 1.5;
    return [kind, score];
  });
  scores.sort((a, b) => b[1] - a[1]);
  const [top, second] = scores;
  const diagnostics = Object.fromEntries(
    scores.filter(([, v]) => v > -Infinity).map(([k, v]) => [k, Math.round(v * 100) / 100]),
  );
  const [kind, score] = top!;
  const threshold = REQUEST_THRESHOLDS[kind] ?? REQUEST_THRESHOLD;
  const confidence = Math.max(0, Math.min(1, score / (threshold * 2)));
  // "Hộ gia đình như nhà tôi có được đăng ký tham gia không?": who may take part is asked, nothing is requested.
  if (
    kind === 'register' &&
    namesOwnerKind(tokens) &&
    answerTypes.some((t) => t === 'yesno' || t === 'eligibility') &&
    // "Chúng tôi là tổ hợp tác …, muốn gửi ý tưởng để tham gia OCOP.": told, not asked.
    (answerTypes.includes('yesno') || /\?/.test(trimmed)) &&
    !hereAndNow
  )
    return { kind: 'question', confidence: 0.7, concepts, scores: diagnostics };
  if (score >= threshold) {
    const close =
      second !== undefined &&
      second[1] >= (REQUEST_THRESHOLDS[second[0]] ?? REQUEST_THRESHOLD) &&
      score - second[1] < REQUEST_MARGIN;
    // Asking, close to another request, only wanting to "take part", or registering without naming the idea form
    // ("đăng ký OCOP" may mean the evaluation): offer the form or the explanation.
    const namesForm = folded.some((w) => FORM_WORDS.has(w)) || NEW_PRODUCT.test(joined);
    // "Em muốn đăng ký sản phẩm lạp sườn tham gia OCOP", "reg sp miến dong", "dk ocop ở đây luôn": wanting or
    // telling it done, for a product named, or here and now, is the form whatever it is called.
    const wantsItNow = ((has('desire') || !questionForm) && productNamed) || hereAndNow;
    // "tham gia ocop ngay bây giờ được không, em sẵn sàng rồi": taking part, here and now, is the form too.
    const verbOrNow = has('registerVerb') || hereAndNow;
    if (kind === 'register' && (has('infoAsk') || close || !verbOrNow || !(namesForm || wantsItNow)))
      return { kind: 'register', confidence, clarify: true, concepts, scores: diagnostics };
    return { kind, confidence, concepts, scores: diagnostics };
  }
  // Wanting to take part, short of naming the form: offer both.
  if (
    kind === 'register' &&
    score >= threshold - 0.7 &&
    (has('desire') || hereAndNow) &&
    (has('registerObject') || hereAndNow) &&
    !has('infoAsk')
  ) {
    return { kind: 'register', confidence, clarify: true, concepts, scores: diagnostics };
  }
  // "dang ky san pham ntn", "Làm sao để gửi ý tưởng sản phẩm lên chương trình?", "tham gia ocop kiểu gì": how to
  // do what the form does. Offer it, or the explanation; what it needs or where it goes is a question.
  const onlyHow = answerTypes.includes('how') && answerTypes.every((t) => HOW_ALONG.has(t));
  const aboutItOnly = answerTypes.length === 0 && has('infoAsk') && otherWords <= 1;
  if (
    (has('registerVerb') || has('join')) &&
    (onlyHow || aboutItOnly) &&
    !REQUIREMENT.test(joined) &&
    !DOSSIER.test(joined) &&
    !AFTER_DOING.test(joined) &&
    !sent &&
    !possessive &&
    !has('news') &&
    entities.provinces.length === 0
  )
    return { kind: 'register', confidence: 0.5, clarify: true, concepts, scores: diagnostics };
  // "Thôi để mai tôi làm, giờ đang bận.", "thôi không hủy nữa, cứ để vậy", "Ok mình nhận được tin rồi nhé": an
  // ok, thanks or goodbye in a message that asks nothing and makes no request is small talk, however long.
  // (Not a bare ok: "rồi", "được" are in every other message.)
  const chat = has('thanks') || has('goodbye') || has('later');
  // "Thôi để hôm khác tôi hỏi tiếp.": asking put off is no question.
  const putOff = has('later') && !/\?/.test(trimmed);
  if (chat && (!questionForm || putOff) && answerTypes.length === 0 && (!has('infoAsk') || putOff) && !productNamed)
    return { kind: has('thanks') ? 'thanks' : has('goodbye') ? 'goodbye' : 'ack', confidence: 0.6, concepts };
  return { kind: 'question', confidence: 1 - confidence, concepts, scores: diagnostics };
}
