/**
 * Generates the ways real users type a question on a phone: without diacritics, in capitals, with chat
 * abbreviations, Telex leftovers, typos and filler words. Deterministic for a given seed. Shared by the
 * retrieval tests and the benchmark.
 */
import { fold } from '../../src/core/text/vietnamese.js';

export type VariantKind =
  | 'original'
  | 'no-diacritics'
  | 'capitals'
  | 'abbreviations'
  | 'telex'
  | 'typo'
  | 'filler'
  | 'mixed';

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ABBREVIATE: [RegExp, string][] = [
  [/sản phẩm/giu, 'sp'],
  [/hợp tác xã/giu, 'htx'],
  [/đăng ký/giu, 'dk'],
  [/được/giu, 'đc'],
  [/không/giu, 'ko'],
  [/bao nhiêu/giu, 'bn'],
  [/chứng nhận/giu, 'cn'],
  [/doanh nghiệp/giu, 'dn'],
  [/ủy ban nhân dân|uỷ ban nhân dân/giu, 'ubnd'],
  [/hồ sơ/giu, 'hs'],
  [/gì/giu, 'j'],
  [/số điện thoại/giu, 'sđt'],
  [/giai đoạn/giu, 'gđ'],
];

const TONE_TELEX: Record<string, string> = {
  '\u0301': 's',
  '\u0300': 'f',
  '\u0309': 'r',
  '\u0303': 'x',
  '\u0323': 'j',
};
const SHAPE_TELEX: Record<string, string> = { â: 'aa', ă: 'aw', ê: 'ee', ô: 'oo', ơ: 'ow', ư: 'uw', đ: 'dd' };

/** "những" → "nhuwngx": what a phone keyboard leaves when Telex input is switched off. */
export function toTelex(word: string): string {
  let tone = '';
  let base = '';
  for (const ch of word.normalize('NFD')) {
    if (TONE_TELEX[ch]) tone = TONE_TELEX[ch]!;
    else base += ch;
  }
  base = base.normalize('NFC');
  const shaped = [...base].map((c) => SHAPE_TELEX[c.toLowerCase()] ?? c).join('');
  return shaped + tone;
}

function typo(word: string, r: () => number): string {
  if (word.length < 5) return word;
  const i = 1 + Math.floor(r() * (word.length - 2));
  return r() < 0.5
    ? word.slice(0, i) + word.slice(i + 1)
    : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

const FILLERS_BEFORE = ['cho em hỏi ', 'ad ơi ', 'chị ơi cho hỏi ', 'xin hỏi ', 'cho mình hỏi '];
const FILLERS_AFTER = [' ạ', ' ad ơi', ' vậy ạ', ' 🙏', ' nhé', '??'];

export function makeVariant(q: string, kind: VariantKind, r: () => number): string {
  switch (kind) {
    case 'original':
      return q;
    case 'no-diacritics':
      return fold(q);
    case 'capitals':
      return q.toUpperCase();
    case 'abbreviations':
      return ABBREVIATE.reduce((s, [re, short]) => s.replace(re, short), q);
    case 'telex':
      return q
        .split(' ')
        .map((w) => (r() < 0.5 && /[^\p{ASCII}]/u.test(w) && /^[\p{L}]+$/u.test(w) ? toTelex(w) : fold(w)))
        .join(' ');
    case 'typo': {
      const words = q.split(' ');
      const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 5 && /^[\p{L}]+$/u.test(w));
      const pick = candidates[Math.floor(r() * candidates.length)];
      if (pick) words[pick[1]] = typo(fold(pick[0]), r);
      return words.join(' ');
    }
    case 'filler':
      return (
        FILLERS_BEFORE[Math.floor(r() * FILLERS_BEFORE.length)]! +
        q.replace(/\?$/, '') +
        FILLERS_AFTER[Math.floor(r() * FILLERS_AFTER.length)]!
      );
    case 'mixed':
      return makeVariant(fold(makeVariant(q, 'abbreviations', r)), 'filler', r).toLowerCase();
  }
}

export const VARIANT_KINDS: VariantKind[] = [
  'original',
  'no-diacritics',
  'capitals',
  'abbreviations',
  'telex',
  'typo',
  'filler',
  'mixed',
];

export interface LabelledQuestion {
  q: string;
  ids: string[];
  group?: string;
}

export interface Variant extends LabelledQuestion {
  kind: VariantKind;
  base: string;
}

/** Every question in every variant kind: questions × 8 variants. */
export function generateVariants(questions: readonly LabelledQuestion[], seed = 2026): Variant[] {
  const r = rng(seed);
  return questions.flatMap((item) =>
    VARIANT_KINDS.map((kind) => ({ ...item, q: makeVariant(item.q, kind, r), kind, base: item.q })),
  );
}
