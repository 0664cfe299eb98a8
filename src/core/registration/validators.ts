/**
 * Validators for the registration form's answers, as producers type them on phones: without diacritics, with
 * abbreviations ("htx", "ko", "sdt") and typos. Pure functions: each returns the normalised value, or undefined
 * when the answer cannot be read (the conversation then asks again). No user-facing text lives here.
 */
import { z } from 'zod';
import type { DataSection } from '../knowledge/knowledge-base.js';
import { fold, tonedKey, words } from '../text/vietnamese.js';
import {
  FORM_SHORTHAND,
  NEGATION_GAP,
  NEGATIONS as NEGATION_WORDS,
  OWNER_TYPE_PHRASES,
  OWNER_TYPE_SHORTHAND,
  PHONE_LABELS as PHONE_LABEL_WORDS,
  RAW_MATERIAL_PHRASES,
  RAW_MATERIAL_SHORTHAND,
  SHORTHAND,
} from '../understanding/vocabulary.js';
export { parseYesNo } from '../understanding/yes-no.js';
import type { OwnerType, RawMaterialSource } from './types.js';

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

interface Word {
  /** Lowercase, no diacritics, đ→d. */
  folded: string;
  /** Tone as a trailing digit, vowel shapes kept (see tonedKey). */
  toned: string;
  accented: boolean;
}

function toWord(w: string): Word {
  const folded = fold(w);
  return { folded, toned: tonedKey(w), accented: folded !== w };
}

/** Words of a message; unaccented chat abbreviations are expanded ("htx" → hợp tác xã). */
function wordsOf(text: string, extra: Readonly<Record<string, string>> = {}): Word[] {
  return words(text).flatMap((w) => {
    const word = toWord(w);
    const expansion = word.accented
      ? undefined
      : (extra[word.folded] ?? (EXPANDABLE.has(word.folded) ? SHORTHAND[word.folded] : undefined));
    return expansion ? words(expansion).map(toWord) : [word];
  });
}

/** Shorthand worth expanding when reading an answer (others, like "a" → anh, only add noise). */
const EXPANDABLE = new Set(FORM_SHORTHAND);

/**
 * A phrase word written with its accents ("hộ") matches an accented input word only with the same tone
 * ("họ" ≠ "hộ"); an unaccented input word matches on its folded form.
 */
function wordMatches(input: Word, phrase: Word): boolean {
  if (input.folded !== phrase.folded) return false;
  return !input.accented || !phrase.accented || input.toned === phrase.toned;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions), stopping early above `max`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------------------
// Phone

const PHONE_CANDIDATE = /\+?\(?\d(?:[\s.\-()]{0,3}\d)*\)?/g;
/** Digit runs shorter than this are other numbers in the message (an age, a house number), not a phone attempt. */
const MIN_PHONE_DIGITS = 7;

/** Labels that may touch the number: "sdt0912345678", "zalo0912345678". */
const PHONE_LABELS = new Set(PHONE_LABEL_WORDS);

function nationalForm(candidate: string): string | undefined {
  const plus = candidate.startsWith('+');
  let digits = candidate.replace(/\D/g, '');
  if (digits.startsWith('0084')) digits = digits.slice(2);
  if (plus && !digits.startsWith('84')) return undefined;
  if (digits.startsWith('840') && digits.length === 12)
    digits = digits.slice(3); // +84 (0) 912 345 678
  else if (digits.startsWith('84') && digits.length === 11) digits = digits.slice(2);
  else if (plus) return undefined;
  else if (digits.startsWith('0')) digits = digits.slice(1);
  else return undefined;
  const national = `0${digits}`;
  return /^0[35789]\d{8}$/.test(national) ? national : undefined;
}

/**
 * A Vietnamese mobile number in national form ("0912345678"), found in a message such as "sdt: +84 912 345 678".
 * Undefined for landlines, wrong lengths, digits run into letters, or two different numbers.
 */
export function normalizePhone(input: string): string | undefined {
  const text = input.normalize('NFC');
  const found = new Set<string>();
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    const raw = m[0];
    const digitCount = raw.replace(/\D/g, '').length;
    const before = text[m.index - 1] ?? '';
    const after = text[m.index + raw.length] ?? '';
    if (digitCount < MIN_PHONE_DIGITS) continue;
    const label = fold(/\p{L}+$/u.exec(text.slice(0, m.index))?.[0] ?? '');
    const touchesLetter = (/\p{L}/u.test(before) && !PHONE_LABELS.has(label)) || /\p{L}/u.test(after);
    if (touchesLetter) return undefined; // "0912345678abc", "O912345678", "09l2345678"
    const national = nationalForm(raw.trim());
    if (!national) return undefined;
    found.add(national);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Email

const EMAIL = z.email();

/** A trimmed, lowercased e-mail address; undefined unless the whole answer is one address. */
export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().toLowerCase();
  return EMAIL.safeParse(email).success ? email : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Phrase matching with negation and typo tolerance (owner type, raw material source)

interface Phrase<T> {
  words: Word[];
  value: T;
  /** Folded words that must not follow this phrase ("ho so" is hồ sơ, not hộ). */
  notBefore?: readonly string[];
}

function phrase<T>(text: string, value: T, notBefore?: readonly string[]): Phrase<T> {
  return { words: words(text).map(toWord), value, ...(notBefore ? { notBefore } : {}) };
}

const NEGATIONS = new Set(NEGATION_WORDS);
const GAP = new Set(NEGATION_GAP);

/** True when the words just before position i negate what follows ("không phải (là) htx", "không tự trồng"). */
function negatedAt(tokens: readonly Word[], i: number): boolean {
  const window = tokens.slice(Math.max(0, i - 3), i).map((t) => t.folded);
  const neg = window.findIndex((w) => NEGATIONS.has(w));
  if (neg < 0) return false;
  return window.slice(neg + 1).every((w) => GAP.has(w));
}

/** Minimum length of a phrase word that may be matched with one typo. */
const TYPO_MIN_LENGTH = 4;

interface PhraseHit<T> {
  value: T;
  start: number;
  length: number;
  typos: number;
  negated: boolean;
}

/**
 * Every phrase found as whole words, longest first and not overlapping; a phrase may carry one typo in a word
 * of at least four letters whose input word is not itself a different vocabulary word.
 */
function findPhrases<T>(
  tokens: readonly Word[],
  phrases: readonly Phrase<T>[],
  vocabulary: ReadonlySet<string>,
): PhraseHit<T>[] {
  const sorted = [...phrases].sort((a, b) => b.words.length - a.words.length);
  const used = new Array<boolean>(tokens.length).fill(false);
  const hits: PhraseHit<T>[] = [];
  for (const allowTypos of [false, true]) {
    for (const p of sorted) {
      for (let i = 0; i + p.words.length <= tokens.length; i++) {
        if (used.slice(i, i + p.words.length).some(Boolean)) continue;
        let typos = 0;
        const ok = p.words.every((pw, k) => {
          const t = tokens[i + k]!;
          if (wordMatches(t, pw)) return true;
          if (!allowTypos || typos > 0 || pw.folded.length < TYPO_MIN_LENGTH || vocabulary.has(t.folded)) return false;
          if (editDistance(t.folded, pw.folded, 1) > 1) return false;
          typos++;
          return true;
        });
        if (!ok) continue;
        const next = tokens[i + p.words.length]?.folded;
        if (next !== undefined && p.notBefore?.includes(next)) continue;
        for (let k = 0; k < p.words.length; k++) used[i + k] = true;
        hits.push({ value: p.value, start: i, length: p.words.length, typos, negated: negatedAt(tokens, i) });
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

function vocabularyOf(phrases: readonly Phrase<unknown>[]): Set<string> {
  return new Set(phrases.flatMap((p) => p.words.map((w) => w.folded)));
}

// ---------------------------------------------------------------------------------------------------------
// Owner type

const OWNER_ABBREVIATIONS = OWNER_TYPE_SHORTHAND;
const OWNER_PHRASES: readonly Phrase<OwnerType>[] = OWNER_TYPE_PHRASES.map(([text, value, notBefore]) =>
  phrase(text, value, notBefore),
);
const OWNER_VOCABULARY = vocabularyOf(OWNER_PHRASES);

/**
 * The kind of producer in an answer such as "htx", "chúng tôi là hợp tác xã", "doanh nghep" (one typo),
 * "không phải htx, là hộ kinh doanh". Undefined when none or several different kinds are named.
 */
export function parseOwnerType(input: string): OwnerType | undefined {
  const tokens = wordsOf(input, OWNER_ABBREVIATIONS);
  const values = new Set(
    findPhrases(tokens, OWNER_PHRASES, OWNER_VOCABULARY)
      .filter((h) => !h.negated)
      .map((h) => h.value),
  );
  return values.size === 1 ? [...values][0] : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Raw material source

type Cue = 'local' | 'outside' | 'partly';

const RAW_ABBREVIATIONS = RAW_MATERIAL_SHORTHAND;
const RAW_PHRASES: readonly Phrase<Cue>[] = RAW_MATERIAL_PHRASES.map(([text, value]) => phrase(text, value));
const RAW_VOCABULARY = vocabularyOf(RAW_PHRASES);

/**
 * Where the raw material comes from: "tự trồng", "tại địa phương" → local; "một phần", "vừa tự trồng vừa mua"
 * → partly_local; "mua ngoài", "nhập từ tỉnh khác", "không phải địa phương" → outside.
 */
export function parseRawMaterialSource(input: string): RawMaterialSource | undefined {
  const tokens = wordsOf(input, RAW_ABBREVIATIONS);
  const cues = new Set<Cue>();
  for (const hit of findPhrases(tokens, RAW_PHRASES, RAW_VOCABULARY)) {
    cues.add(hit.negated && hit.value === 'local' ? 'outside' : hit.value);
  }
  const folded = tokens.map((t) => t.folded);
  const firstVua = folded.indexOf('vua');
  if (firstVua >= 0 && folded.indexOf('vua', firstVua + 2) >= 0) cues.add('partly'); // vừa … vừa …
  if (cues.has('partly') || (cues.has('local') && cues.has('outside'))) return 'partly_local';
  if (cues.has('outside')) return 'outside';
  if (cues.has('local')) return 'local';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Communes and wards

export type CommuneMatch =
  | { kind: 'exact'; name: string }
  | { kind: 'suggest'; names: string[] }
  | { kind: 'former_district'; district: string; sameNameUnit?: string }
  | { kind: 'unknown' };

/** Data sections of knowledge/don-vi-hanh-chinh-cao-bang.md (the same ids as PLACE_LIST_IDS in the answerer). */
export const COMMUNE_LIST_ID = 'don-vi-hanh-chinh-cao-bang#danh-sach';
export const OTHER_PLACES_ID = 'don-vi-hanh-chinh-cao-bang#dia-danh-khac';

type UnitKind = 'commune' | 'ward';
type ChunkKind = UnitKind | 'town' | 'district' | 'province' | 'city' | 'village';

interface Unit {
  name: string;
  kind: UnitKind;
  /** Name without its prefix, folded: "quang lam". */
  folded: string;
  /** Toned keys of the name's words, for telling apart names that fold alike. */
  toned: string[];
  foldedWords: string[];
}

interface District {
  name: string;
  folded: string;
}

/**
 * Prefix words that open a part of an address, compared like phrase words (an accented "Tĩnh" is not "tỉnh").
 * Single letters count only at the start of a segment; "tỉnh" only before "Cao Bằng" ("Tĩnh Túc" is a commune).
 */
const PREFIXES: readonly { words: Word[]; kind: ChunkKind; startOnly?: boolean }[] = [
  { text: 'thị trấn', kind: 'town' as const },
  { text: 'thành phố', kind: 'city' as const },
  { text: 'xã', kind: 'commune' as const },
  { text: 'phường', kind: 'ward' as const },
  { text: 'huyện', kind: 'district' as const },
  { text: 'tỉnh cao bằng', kind: 'province' as const },
  { text: 'thôn', kind: 'village' as const },
  { text: 'xóm', kind: 'village' as const },
  { text: 'x', kind: 'commune' as const, startOnly: true },
  { text: 'p', kind: 'ward' as const, startOnly: true },
  { text: 'tt', kind: 'town' as const, startOnly: true },
  { text: 'h', kind: 'district' as const, startOnly: true },
  { text: 'tp', kind: 'city' as const, startOnly: true },
].map(({ text, ...rest }) => ({ words: words(text).map(toWord), ...rest }));

const PROVINCE = 'cao bang';

interface Chunk {
  kind?: ChunkKind;
  words: Word[];
}

/** "thôn Nà Rụa, xã Quảng Lâm huyện Bảo Lâm tỉnh Cao Bằng" → [thôn Nà Rụa] [xã Quảng Lâm] [huyện Bảo Lâm] [tỉnh Cao Bằng]. */
function chunksOf(input: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const segment of input.split(/[,;\n|/]+/)) {
    const tokens = words(segment).map(toWord);
    let current: Chunk = { words: [] };
    let i = 0;
    while (i < tokens.length) {
      const prefix = PREFIXES.find(
        (p) =>
          (i === 0 || !p.startOnly) &&
          p.words.every((w, k) => tokens[i + k] !== undefined && wordMatches(tokens[i + k]!, w)) &&
          (p.kind === 'province' || i + p.words.length < tokens.length),
      );
      if (prefix) {
        if (current.words.length || current.kind) chunks.push(current);
        current = { kind: prefix.kind, words: [] };
        i += prefix.words.length;
        continue;
      }
      current.words.push(tokens[i]!);
      i++;
    }
    if (current.words.length || current.kind) chunks.push(current);
  }
  return chunks
    .map((c) => {
      // A trailing "Cao Bằng" is the province: "Quảng Lâm Cao Bằng".
      const f = c.words.map((w) => w.folded);
      const trailingProvince = f.length > 2 && f.slice(-2).join(' ') === PROVINCE;
      return trailingProvince ? { ...c, words: c.words.slice(0, -2) } : c;
    })
    .filter(
      (c) =>
        c.words.length > 0 &&
        c.kind !== 'province' &&
        c.kind !== 'city' &&
        c.kind !== 'village' &&
        c.words.map((w) => w.folded).join(' ') !== PROVINCE,
    );
}

const RANK: Record<CommuneMatch['kind'], number> = { exact: 0, former_district: 1, suggest: 2, unknown: 3 };
const MAX_SUGGESTIONS = 3;

/**
 * The communes and wards of Cao Bằng after the 2025 reorganisation, and the former district names, for
 * reading the commune a producer types ("quang lam", "P. Thuc Phan", "xã Bảo Lạc", "huyện Trùng Khánh").
 */
export class CommuneDirectory {
  private readonly units: Unit[];
  private readonly districts: District[];

  /**
   * @param units canonical names with their prefix: "Xã Quảng Lâm", "Phường Thục Phán"
   * @param formerDistricts former district names without prefix: "Trùng Khánh"
   */
  constructor(units: readonly string[], formerDistricts: readonly string[]) {
    this.units = units.map((name) => {
      const m = /^\s*(xã|phường)\s+(.+)$/iu.exec(name.normalize('NFC'));
      if (!m) throw new Error(`commune directory: "${name}" must start with "Xã" or "Phường"`);
      const rest = words(m[2]!);
      return {
        name: name.normalize('NFC').trim(),
        kind: fold(m[1]!) === 'xa' ? 'commune' : 'ward',
        folded: rest.map(fold).join(' '),
        toned: rest.map(tonedKey),
        foldedWords: rest.map(fold),
      };
    });
    this.districts = formerDistricts.map((name) => ({
      name: name.normalize('NFC').trim(),
      folded: words(name).map(fold).join(' '),
    }));
  }

  /** Reads the "- Xã …"/"- Phường …" lines and the "- Huyện …" lines of the knowledge base's data sections. */
  static fromKnowledgeBase(kb: { data: ReadonlyMap<string, Pick<DataSection, 'body'>> }): CommuneDirectory {
    const lines = (id: string): string[] =>
      (kb.data.get(id)?.body ?? '')
        .split('\n')
        .map((l) => l.match(/^\s*-\s*(.+?)\s*$/u)?.[1])
        .filter((l): l is string => !!l);
    const units = lines(COMMUNE_LIST_ID).filter((l) => /^(xã|phường)\s/iu.test(l));
    const districts = lines(OTHER_PLACES_ID)
      .map((l) => /^huyện\s+(.+)$/iu.exec(l)?.[1])
      .filter((l): l is string => !!l);
    return new CommuneDirectory(units, districts);
  }

  /** The canonical unit names, in the order given. */
  listAll(): string[] {
    return this.units.map((u) => u.name);
  }

  match(input: string): CommuneMatch {
    let best: CommuneMatch = { kind: 'unknown' };
    for (const chunk of chunksOf(input)) {
      const m = this.matchChunk(chunk);
      if (RANK[m.kind] < RANK[best.kind]) best = m;
    }
    return best;
  }

  private matchChunk(chunk: Chunk): CommuneMatch {
    const key = chunk.words.map((w) => w.folded).join(' ');
    const kind = chunk.kind;
    const district = this.districts.find((d) => d.folded === key);
    const byKind = (list: Unit[]): Unit[] => {
      const same = list.filter((u) => u.kind === kind);
      return kind === 'commune' || kind === 'ward' ? (same.length ? same : list) : list;
    };
    const named = byKind(this.units.filter((u) => u.folded === key));

    if (kind === 'district') {
      if (district) return { kind: 'former_district', district: district.name };
      const near = this.nearDistrict(key);
      if (near) return { kind: 'former_district', district: near.name };
    } else if (named.length > 0) {
      const accented = chunk.words.some((w) => w.accented);
      const toned = accented
        ? named.filter(
            (u) => u.toned.length === chunk.words.length && u.toned.every((t, k) => t === chunk.words[k]!.toned),
          )
        : [];
      const candidates = toned.length > 0 ? toned : named;
      if (candidates.length > 1)
        return { kind: 'suggest', names: candidates.map((u) => u.name).slice(0, MAX_SUGGESTIONS) };
      const unit = candidates[0]!;
      if (district && kind !== 'commune' && kind !== 'ward')
        return { kind: 'former_district', district: district.name, sameNameUnit: unit.name };
      return { kind: 'exact', name: unit.name };
    } else if (district) {
      return { kind: 'former_district', district: district.name };
    }

    const names = this.suggest(key, kind);
    if (names.length > 0) return { kind: 'suggest', names };
    const near = this.nearDistrict(key);
    return near ? { kind: 'former_district', district: near.name } : { kind: 'unknown' };
  }

  /** A former district one typo away ("trung khan"), when exactly one is. */
  private nearDistrict(key: string): District | undefined {
    if (key.length < 5) return undefined;
    const near = this.districts.filter((d) => editDistance(key, d.folded, 1) <= 1);
    return near.length === 1 ? near[0] : undefined;
  }

  /** Names close to what was typed, best first: small edit distance on the folded form, or word prefixes. */
  private suggest(key: string, kind: ChunkKind | undefined): string[] {
    const compact = key.replace(/ /g, '');
    if (compact.length < 2) return [];
    const maxDistance = compact.length <= 3 ? 0 : compact.length <= 6 ? 1 : 2;
    const typed = key.split(' ');
    const scored: { unit: Unit; score: number; order: number }[] = [];
    this.units.forEach((unit, order) => {
      let score = Number.POSITIVE_INFINITY;
      const d = Math.min(
        editDistance(key, unit.folded, maxDistance),
        editDistance(compact, unit.folded.replace(/ /g, ''), maxDistance) + 0.5,
      );
      if (d <= maxDistance) score = d;
      // Words typed as the beginnings of the name's words: "nung tri" → Nùng Trí Cao, "thuc" → Thục Phán.
      for (let start = 0; start + typed.length <= unit.foldedWords.length; start++) {
        const prefixes = typed.every((t, k) => unit.foldedWords[start + k]!.startsWith(t));
        if (prefixes) score = Math.min(score, start === 0 ? 0.5 : 1.25);
      }
      if (score === Number.POSITIVE_INFINITY) return;
      if ((kind === 'commune' || kind === 'ward') && unit.kind !== kind) score += 0.3;
      scored.push({ unit, score, order });
    });
    return scored
      .sort((a, b) => a.score - b.score || a.order - b.order)
      .slice(0, MAX_SUGGESTIONS)
      .map((s) => s.unit.name);
  }
}
