/**
 * Turns a message or a passage into tokens, each with two keys (folded and toned, see text/vietnamese.ts).
 *
 * For chat (`mode: 'chat'`), shorthand is read by position ("a" closing a message is "ạ", opening it "anh";
 * "the" at the end is "thế"; "kh" before a number is "kế hoạch"), a single letter after "phần" stays a label
 * ("phần B" is never "phần bạn"), Telex and VNI leftovers are decoded, a word that no Vietnamese syllable spells is
 * corrected against the knowledge base's words (a valid syllable never is), and words typed without accents get
 * their likely reading from the context (DiacriticModel) so that filler and topic words sharing a spelling
 * ("hoi": hỏi / hội, "toi": tôi / tỏi) are told apart.
 */
import {
  ACCENTED_SHORTHAND,
  REGIONAL_AFTER,
  SHORTHAND_BEFORE,
  AMBIGUOUS_FOLDED,
  ANSWER_TYPE_CUES,
  BEFORE_NUMBER,
  UNITS_AFTER_NUMBER,
  GLUED_NAMES,
  CONCEPTS,
  FINAL_PARTICLES,
  KNOWLEDGE_ACRONYMS,
  LABEL_WORDS,
  MISSPELLINGS,
  POSITIONAL,
  NAME_HEADS,
  SHORTHAND,
  STOP_PHRASES,
  STOPWORDS,
  VOCATIVES,
  BEFORE_VOCATIVE,
  WHOLE_MESSAGE_REQUESTS,
} from './vocabulary.js';
import { decodeTelex, decodeVni, fold, normalizeNumbers, tonedKey, words } from '../text/vietnamese.js';
import type { DiacriticModel } from './restore.js';
import { isSyllable } from './syllables.js';

export interface Token {
  /** No diacritics, lowercase, đ→d. */
  folded: string;
  /** Vowel shapes kept, tone as a trailing digit 1-5 (sắc, huyền, hỏi, ngã, nặng). */
  toned: string;
  /** True when the writer typed (or we decoded) the accents, so `toned` can be trusted. */
  accented: boolean;
  /** Filler or question word: ignored for retrieval and confidence. */
  stop: boolean;
  /** A name or a figure the question hinges on: written capitalised mid-sentence, or a number of 2+ digits. */
  salient?: boolean;
  /** The word as written, lowercased (before expansion). */
  raw: string;
  /** Index of the written word this token comes from. */
  at: number;
  /** Where that word stands in the message once normalised (see entities.ts normalizedText). */
  start?: number;
  end?: number;
  /** A letter or number labelling something ("phần B", "mục 3"). */
  label?: boolean;
  /** A particle closing a clause ("ạ", "nhé", "thế"). */
  particle?: boolean;
  /** For a word typed without accents: its reading restored from the context, when clear. */
  restored?: string;
  /** How clear that reading is, 0..1. */
  restoredConfidence?: number;
  /** The sentence of the message it belongs to (sentences end at . ? ! and around parentheses). */
  sentence?: number;
  /** In a sentence that asks nothing ("Nhà em làm miến dong." before the question): weighs less. */
  aside?: boolean;
}

export interface AnalyzeOptions {
  /** Folded words known to the knowledge base: never re-read as Telex, and the corrector's targets. */
  vocabulary?: ReadonlySet<string>;
  /** The corrector: the known word meant by a word that is no syllable (undefined: leave it). */
  correct?: (folded: string) => string | undefined;
  /** Restores the accents of unaccented words from their context. */
  diacritics?: DiacriticModel;
  /**
   * `chat` (user input): shorthand by position, Telex and VNI leftovers, typo correction, restoration.
   * `knowledge` (curated text): only the acronyms that curated text also uses (UBND, HTX, QĐ…).
   */
  mode?: 'chat' | 'knowledge';
}

/** A restored reading at least this clear decides whether an ambiguous word is filler. */
const RESTORE_CONFIDENCE = 0.6;

const WORD = /[\p{L}\p{N}]+/gu;
const STOP_TONED = new Set(STOPWORDS.map(tonedKey));
const AMBIGUOUS = new Set(AMBIGUOUS_FOLDED);
const STOP_FOLDED = new Set(STOPWORDS.map(fold).filter((w) => !AMBIGUOUS.has(w)));
const STOP_FOLDED_ANY = new Set(STOPWORDS.map(fold));
const STOP_PHRASE_WORDS = STOP_PHRASES.map((p) => p.split(' '));
const LABELS = new Set(LABEL_WORDS);
const ACRONYMS = new Set(KNOWLEDGE_ACRONYMS);
const PARTICLES = new Set(FINAL_PARTICLES.map(fold));
/** Words the language layer itself reads ("menu", "hello", "ok"): never "corrected" to a knowledge-base word. */
const CHAT_WORDS = new Set(
  [
    ...Object.values(CONCEPTS).flat(),
    ...Object.values(WHOLE_MESSAGE_REQUESTS).flat(),
    ...STOPWORDS,
    ...FINAL_PARTICLES,
    ...Object.values(ANSWER_TYPE_CUES).flat(),
    ...Object.keys(SHORTHAND),
    ...Object.keys(POSITIONAL),
  ].flatMap((p) => words(p).map(fold)),
);
/** A number word or "mấy" before "sao" makes it the star, not "tại sao". */
const COUNT_BEFORE_SAO = new Set([
  'may',
  'bao',
  'nhieu',
  'mot',
  'hai',
  'ba',
  'bon',
  'nam',
  'cap',
  'hang',
  'dat',
  'len',
  'duoc',
  'xep',
]);

function hasDiacritics(word: string): boolean {
  return fold(word) !== word.toLowerCase();
}

/** True when an unaccented word may be a filler word in one of its readings ("toi": tôi / tỏi). */
export function couldBeStopword(folded: string): boolean {
  return STOP_FOLDED_ANY.has(folded);
}

/** True for a word the language layer reads meaning from ("gom": gồm, "menu", "ok"), in any of its readings. */
export function isChatWord(folded: string): boolean {
  return CHAT_WORDS.has(folded);
}

/** True for a filler token: judged on its accents when it has them (or a clear restored reading), else folded. */
export function isStopword(token: Pick<Token, 'folded' | 'toned' | 'accented' | 'restored'>): boolean {
  if (token.accented) return STOP_TONED.has(token.toned);
  if (token.restored !== undefined && AMBIGUOUS.has(token.folded)) return STOP_TONED.has(token.restored);
  return STOP_FOLDED.has(token.folded);
}

function plain(word: string, raw: string, at: number): Token {
  if (hasDiacritics(word)) return { folded: fold(word), toned: tonedKey(word), accented: true, stop: false, raw, at };
  return { folded: word, toned: word, accented: false, stop: false, raw, at };
}

interface Written {
  word: string;
  original: string;
  start: number;
  end: number;
  /** The word ends a clause: last word, or followed by ? . ! , ; or a line break. */
  closes: boolean;
  sentence: number;
}

function writtenWords(text: string): Written[] {
  const normalized = normalizeNumbers(text.normalize('NFC'));
  const out: Written[] = [];
  let sentence = 0;
  for (const m of normalized.matchAll(WORD)) {
    const end = m.index + m[0].length;
    const next = normalized.slice(end).match(/^[^\p{L}\p{N}]*/u)![0];
    out.push({
      word: m[0].toLowerCase(),
      original: m[0],
      start: m.index,
      end,
      sentence,
      closes: /[?.!,;\n…]/.test(next) || end === normalized.length || /^\s*$/.test(normalized.slice(end)),
    });
    if (/[?.!\n()…]|&/.test(next)) sentence += 1;
  }
  return out;
}

/**
 * The syllables a word typed without its spaces is made of ("kinhphi" → kinh, phi; "hosocuatoi" → ho, so, cua,
 * toi), when each is a syllable the knowledge base uses: the fewest, and of as many, the most even. Empty when
 * there is none.
 */
function gluedSyllables(word: string, vocabulary: ReadonlySet<string> | undefined): string[] {
  if (!vocabulary || !/^[a-z]+$/.test(word) || word.length > MAX_GLUED) return [];
  // best[i]: the best cut of word[0, i), as its pieces.
  const best: (string[] | undefined)[] = [[]];
  const better = (a: string[], b: string[] | undefined) =>
    !b || a.length < b.length || (a.length === b.length && shortest(a) > shortest(b));
  for (let end = 1; end <= word.length; end++) {
    for (let start = Math.max(0, end - MAX_SYLLABLE); start < end; start++) {
      const before = best[start];
      const piece = word.slice(start, end);
      if (!before || !(isSyllable(piece) || GLUED_NAMES.includes(piece)) || !vocabulary.has(piece)) continue;
      const cut = [...before, piece];
      if (better(cut, best[end])) best[end] = cut;
    }
  }
  const cut = best[word.length];
  return cut && cut.length >= 2 ? cut : [];
}
const MAX_GLUED = 40;
const MAX_SYLLABLE = 7;
const shortest = (pieces: readonly string[]) => Math.min(...pieces.map((p) => p.length));

/**
 * "đăg", "tưởg", "khôg": no Vietnamese syllable ends in a "g" without the "n" before it, so the "n" was dropped
 * (when the word with it is one the knowledge base uses and the word as typed is not).
 */
function withDroppedN(word: string, vocabulary: ReadonlySet<string> | undefined): string {
  if (!vocabulary || !/[^n]g$/u.test(word) || vocabulary.has(fold(word))) return word;
  const mended = `${word.slice(0, -1)}ng`;
  return vocabulary.has(fold(mended)) ? mended : word;
}

/**
 * "nàooo", "chàooo", "đăng kýýý", "hồ sơơơ", "ý tưởngg": a letter held down or typed again for emphasis. Three or
 * more of one letter are one (no Vietnamese word has three); two at the end are one when the word with one is a
 * word the knowledge base uses and the word as typed is not. (A doubled vowel with no accent is left to Telex:
 * "hoo", "caa".)
 */
export function unstretched(word: string, vocabulary: ReadonlySet<string> | undefined): string {
  if (!/(\p{L})\1/u.test(word)) return word;
  const collapsed = word.replace(/(\p{L})\1{2,}/gu, '$1');
  if (!vocabulary || vocabulary.has(fold(collapsed))) return collapsed;
  const last = /(\p{L})\1$/u.exec(collapsed);
  if (!last || (/[aeo]/.test(last[1]!) && !hasDiacritics(collapsed))) return collapsed;
  const single = collapsed.slice(0, -1);
  // "bb", "pp" (bye-bye) are words of their own, not a letter held down.
  return single.length > 1 && vocabulary.has(fold(single)) ? single : collapsed;
}

/** The expansion of a chat word given its place, or undefined to keep it; `particle` when it closes a clause. */
function chatExpansion(
  ws: readonly Written[],
  i: number,
  vocabulary: ReadonlySet<string> | undefined,
): { to: string; particle?: boolean } | undefined {
  const { word } = ws[i]!;
  const spelled = ACCENTED_SHORTHAND[word.toLowerCase()];
  if (spelled) return { to: spelled };
  const regional = REGIONAL_AFTER[fold(word)];
  if (regional && i > 0 && regional.after.includes(fold(ws[i - 1]!.word)) && (!regional.closes || ws[i]!.closes))
    return { to: regional.to };
  if (hasDiacritics(word.replace(/đ/g, 'd'))) return undefined;
  const key = fold(word);
  const next = ws[i + 1]?.word;
  const before = SHORTHAND_BEFORE[key];
  if (before && (before.before.length === 0 || (next !== undefined && before.before.includes(fold(next)))))
    return { to: before.to };
  if (next !== undefined && /^\d{2,}$/.test(next) && BEFORE_NUMBER[key]) return { to: BEFORE_NUMBER[key]! };
  if (UNITS_AFTER_NUMBER.includes(key) && /^\d+$/.test(ws[i - 1]?.word ?? '')) return undefined;
  const positional = POSITIONAL[key];
  if (positional) {
    const last = ws[i]!.closes && i > 0;
    if (last && positional.end) return { to: positional.end, particle: true };
    if (i === 0 && positional.start && ws.length > 1) return { to: positional.start };
    if (positional.default) return { to: positional.default };
    return undefined;
  }
  if (vocabulary?.has(key) && key.length > 3) return undefined;
  const to = SHORTHAND[key] ?? (word.includes('đ') ? undefined : MISSPELLINGS[key]);
  return to ? { to } : undefined;
}

/** A single letter or short number labelling something: after "phần", "mục"…, or in a list of such letters. */
function isLabel(ws: readonly Written[], i: number): boolean {
  const w = ws[i]!;
  if (!/^(?:[a-f]|\d{1,2}|[ivx]{1,4})$/u.test(w.word)) return false;
  const previous = i > 0 ? fold(ws[i - 1]!.word) : undefined;
  // A lone "a" closing the message is "ạ", unless it names a part ("phần a").
  if (w.word === 'a' && w.closes && previous !== 'phan' && previous !== 'muc' && i === ws.length - 1) return false;
  // "tiêu chí E", not "chỉ e với" (show me).
  const chiNotCriterion =
    previous === 'chi' && fold(ws[i - 2]?.word ?? '') !== 'tieu' && ws[i - 1]!.word.toLowerCase() !== 'chí';
  if (previous !== undefined && LABELS.has(previous) && !chiNotCriterion) return true;
  // "phần A, B, C": capital single letters following a label.
  if (/^[A-Z]$/.test(w.original)) {
    for (let k = i - 1; k >= 0 && k >= i - 6; k--) {
      const o = ws[k]!;
      if (LABELS.has(fold(o.word))) return true;
      if (!/^[A-Z]$/.test(o.original) && o.word !== 'va' && o.word !== 'và') break;
    }
  }
  return false;
}

function markStopwords(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.label) continue;
    if (isStopword(t)) t.stop = true;
    // "mấy sao", "3 sao", "đạt sao": the star, a topic word.
    if (
      t.folded === 'sao' &&
      !t.particle &&
      i > 0 &&
      (/^\d$/.test(tokens[i - 1]!.folded) || COUNT_BEFORE_SAO.has(tokens[i - 1]!.folded))
    )
      t.stop = false;
    for (const phrase of STOP_PHRASE_WORDS) {
      if (phrase.every((w, k) => tokens[i + k]?.folded === w && !tokens[i + k]!.label)) {
        for (let k = 0; k < phrase.length; k++) tokens[i + k]!.stop = true;
      }
    }
    if (t.particle) t.stop = true;
  }
}

const NAME_HEAD_WORDS = NAME_HEADS.map(([head, name]) => [head.split(' '), name.split(' ')] as const);

/** "Chương trình OCOP là gì?": the head noun of a name is no content of a definition question. */
export function markNameHeads(tokens: Token[]): void {
  for (let i = 0; i < tokens.length; i++) {
    for (const [head, name] of NAME_HEAD_WORDS) {
      if ([...head, ...name].every((w, k) => tokens[i + k]?.folded === w))
        for (let k = 0; k < head.length; k++) tokens[i + k]!.stop = true;
    }
  }
}

/**
 * Turns a message or a passage into tokens: `analyze(text, { mode: 'chat', vocabulary, correct, diacritics })` for
 * user input, `analyze(text, { mode: 'knowledge' })` for curated text.
 */
export function analyze(text: string, options: AnalyzeOptions = {}): Token[] {
  const { vocabulary, mode = 'knowledge', correct, diacritics } = options;
  const ws = writtenWords(text);
  const allCaps = text === text.toUpperCase();
  const tokens: Token[] = [];
  ws.forEach((w, i) => {
    const { original } = w;
    const word = mode === 'chat' ? withDroppedN(unstretched(w.word, vocabulary), vocabulary) : w.word;
    const salient = /^\d{2,}$/.test(word) || (!allCaps && i > 0 && /^\p{Lu}\p{Ll}/u.test(original));
    const start = tokens.length;
    if (mode === 'chat' && isLabel(ws, i)) {
      tokens.push({ ...plain(word, word, i), label: true, salient: true });
      return;
    }
    const known = vocabulary?.has(fold(word)) ?? false;
    const acronym = ACRONYMS.has(fold(word)) && !hasDiacritics(word.replace(/đ/g, 'd'));
    const expansion =
      mode === 'knowledge'
        ? acronym
          ? { to: SHORTHAND[fold(word)] ?? BEFORE_NUMBER[fold(word)] ?? word }
          : undefined
        : chatExpansion(ws, i, vocabulary);
    if (expansion) {
      // The word meant is known exactly: its accents count as typed ("a" → "anh", a pronoun, never "ảnh").
      for (const p of words(expansion.to))
        tokens.push({
          ...plain(p, word, i),
          toned: tonedKey(p),
          accented: true,
          ...(expansion.particle ? { particle: true } : {}),
        });
      return;
    }
    if (mode === 'chat' && !known && !hasDiacritics(word) && !/^\d+$/.test(word)) {
      // Telex and VNI leftovers give the letters; their accents are often half typed ("ddang" for "đăng"), so
      // the word is read without them, like any unaccented word.
      // "thoong" is a syllable's shape (as "xoong"), but the knowledge base only knows it as Telex for "thông".
      const telex = decodeTelex(word) ?? decodeVni(word);
      const decoded = telex ? fold(telex.replace(/\d$/, '')) : undefined;
      if (decoded && (!isSyllable(word) || vocabulary?.has(decoded))) {
        tokens.push({ folded: decoded, toned: decoded, accented: false, stop: false, raw: word, at: i });
        return;
      }
      // A word of no syllable's shape: two known syllables typed without their space ("kinhphi", "thongbao",
      // "hoso"), else a typo of a known word.
      const unknownShape = word.length >= 4 && !isSyllable(word) && !CHAT_WORDS.has(word);
      const parts = unknownShape ? gluedSyllables(word, vocabulary) : [];
      if (parts.length) {
        for (const part of parts)
          tokens.push({ folded: part, toned: part, accented: false, stop: false, raw: word, at: i });
        return;
      }
      const fixed = unknownShape ? correct?.(word) : undefined;
      if (fixed) {
        tokens.push({ folded: fixed, toned: fixed, accented: false, stop: false, raw: word, at: i });
        return;
      }
    }
    const token = plain(word, word, i);
    // "dăng ki", "dược không": the vowel's marks typed and the stroke of "đ" forgotten. A syllable the knowledge
    // base never writes with "d" but writes with "đ" is read with "đ".
    if (mode === 'chat' && token.accented && token.toned.startsWith('d') && diacritics) {
      const stroked = `đ${token.toned.slice(1)}`;
      if (!diacritics.knows(token.folded, token.toned) && diacritics.knows(token.folded, stroked))
        token.toned = stroked;
    }
    // An accented particle closing a clause ("ạ", "nhé", "thế", "vậy").
    if (
      mode === 'chat' &&
      w.closes &&
      i > 0 &&
      token.accented &&
      PARTICLES.has(token.folded) &&
      STOP_TONED.has(token.toned)
    )
      token.particle = true;
    tokens.push(token);
    if (salient) for (let k = start; k < tokens.length; k++) tokens[k]!.salient = true;
  });
  for (const t of tokens) {
    t.start = ws[t.at]!.start;
    t.end = ws[t.at]!.end;
    t.sentence = ws[t.at]!.sentence;
  }
  // "xin được điền phiếu đăng ký ngay": in a message typed with its accents, a word typed without them that is a
  // word as it stands ("ngay", "ban", "tin") is that word, not one to restore ("ngày").
  // "chương trinh môt xa môt san phâm nay co tư năm nao", "ba lam chiêu truc đan tay": the vowels' marks typed
  // and no tone anywhere. Those marks are no accents to trust ("chiêu" is meant as "chiếu"): the words are read
  // as typed without accents, and restored from their context.
  if (mode === 'chat' && typedWithoutTones(tokens)) {
    for (const t of tokens)
      if (t.accented && typedAsIs(t) && !/\d$/.test(t.toned)) {
        t.accented = false;
        t.toned = t.folded;
      }
  } else if (mode === 'chat' && writtenWithAccents(tokens)) {
    for (const t of tokens) if (!t.accented && /^[a-z]+$/.test(t.folded) && isSyllable(t.folded)) t.accented = true;
  }
  if (mode === 'chat' && diacritics && tokens.some((t) => !t.accented)) {
    const restored = diacritics.restore(
      tokens.map((t) => t.folded),
      tokens.map((t) => (t.accented ? t.toned : undefined)),
    );
    tokens.forEach((t, i) => {
      const r = restored[i]!;
      if (!t.accented && r.confidence >= RESTORE_CONFIDENCE && r.toned !== t.folded) {
        t.restored = r.toned;
        t.restoredConfidence = r.confidence;
      }
    });
  }
  if (mode === 'chat') markVocatives(tokens, ws);
  markStopwords(tokens);
  return tokens;
}

/** Share of a message's words typed with accents above which it counts as written with them. */
const WRITTEN_WITH_ACCENTS = 0.6;
const MIN_WORDS_WRITTEN = 5;

/**
 * A message of several words with some vowels marked (ơ, â, ê, đ…) and not one tone mark: typed in haste, the
 * tones left out. (A Vietnamese sentence of five words or more with every syllable in the level tone is rare.)
 */
function typedWithoutTones(tokens: readonly Token[]): boolean {
  const typed = tokens.filter((t) => typedAsIs(t) && /^\p{L}+$/u.test(t.raw!));
  if (typed.length < MIN_TONELESS_WORDS) return false;
  const marked = typed.filter((t) => t.accented);
  return marked.length >= 2 && marked.every((t) => !/\d$/.test(t.toned));
}
const MIN_TONELESS_WORDS = 5;

/** A token that is the word as typed (no shorthand expanded into it, no Telex decoded). */
function typedAsIs(t: Token): boolean {
  return t.raw !== undefined && fold(t.raw) === t.folded;
}

/** Whether the writer typed accents on most words (shorthand expanded by us does not count). */
function writtenWithAccents(tokens: readonly Token[]): boolean {
  const typed = [...new Map(tokens.filter((t) => /^\p{L}+$/u.test(t.raw)).map((t) => [t.at, t.raw])).values()];
  if (typed.length < MIN_WORDS_WRITTEN) return false;
  return typed.filter((w) => fold(w) !== w).length / typed.length >= WRITTEN_WITH_ACCENTS;
}

const VOCATIVE_WORDS = new Set(VOCATIVES.filter((v) => !v.includes(' ')));
const BEFORE_VOCATIVE_WORDS = new Set(BEFORE_VOCATIVE.filter((v) => !v.includes(' ')));

/** "ocop là gì vậy chị", "chị ơi cho em hỏi": the words calling the bot are particles. */
function markVocatives(tokens: Token[], ws: readonly Written[]): void {
  tokens.forEach((t, i) => {
    if (!VOCATIVE_WORDS.has(t.folded) || t.label) return;
    const next = tokens[i + 1];
    if (next && (next.folded === 'oi' || next.toned === 'ơi')) {
      t.particle = true;
      return;
    }
    // At the end of a clause, after a particle or a question word.
    if (!ws[t.at]!.closes || i === 0) return;
    const before = tokens[i - 1]!;
    if (before.particle || BEFORE_VOCATIVE_WORDS.has(before.folded)) t.particle = true;
  });
}
