/**
 * Product classifier: names the OCOP sector, group and sub-group of a product under the current rules
 * (QĐ 148/QĐ-TTg Appendix I) and its group under the 2019 scheme (QĐ 490), from the classification table in
 * knowledge/phan-loai-san-pham.md (data section #bang-phan-loai). Editors add example products there.
 */
import { analyze, couldBeStopword, fold, foldText, type Token } from '../text/vietnamese.js';

export interface ProductCategory {
  code: string;
  sector: string;
  group: string;
  subgroup: string;
  group2019: string;
  examples: string[];
}

export interface Classification {
  category: ProductCategory;
  /** The example or word that decided it. */
  matched: string;
}

/** Folded cue phrases that ask which group a product belongs to. */
const GROUP_CUES = [
  'thuoc nhom', 'nhom nao', 'nhom gi', 'nhom san pham nao', 'nhom sp nao', 'nganh nao', 'nganh gi',
  'phan nhom', 'xep vao nhom', 'xep nhom', 'thuoc nganh', 'vao nhom',
];

/** Folded cue phrases that ask whether a product can take part; weaker, so they need a clearer product. */
const PARTICIPATION_CUES = ['tham gia ocop', 'lam ocop', 'dang ky ocop', 'du thi ocop', 'cong nhan ocop'];

export type GroupQuestion = 'group' | 'participation';

/** Parses the Markdown table `| Mã | Ngành | Nhóm | Phân nhóm | Nhóm theo QĐ 490 (2019) | Ví dụ sản phẩm |`. */
export function parseCategoryTable(markdown: string): ProductCategory[] {
  const rows = markdown
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'))
    .map((l) => l.replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
  const [header, , ...body] = rows;
  if (!header || header.length < 6 || !/^m/i.test(header[0]!)) {
    throw new Error('classification table: expected header | Mã | Ngành | Nhóm | Phân nhóm | Nhóm theo QĐ 490 (2019) | Ví dụ sản phẩm |');
  }
  return body.map((cells) => {
    const [code, sector, group, subgroup, group2019, examples] = cells as [string, string, string, string, string, string];
    return {
      code,
      sector,
      group,
      subgroup,
      group2019,
      examples: (examples ?? '').split(',').map((e) => e.trim()).filter(Boolean),
    };
  });
}

interface Entry {
  tokens: Token[];
  category: ProductCategory;
  example: string;
}

/** Whole-word match at position i; a word the user accented must match with its accents ("tôi" ≠ "tỏi"). */
function matchesAt(text: readonly Token[], i: number, phrase: readonly Token[]): boolean {
  const only = phrase.length === 1 ? text[i] : undefined;
  if (only && !only.accented && couldBeStopword(only.folded)) return false;
  return phrase.every((p, k) => {
    const t = text[i + k];
    if (!t || t.folded !== p.folded) return false;
    return !t.accented || !p.accented || t.toned === p.toned;
  });
}

export class ProductClassifier {
  private readonly entries: Entry[];
  private readonly heads = new Map<string, Map<ProductCategory, number>>();
  /** Folded head words that stand for one accented head only ("ruou" → "rượu"). */
  private readonly foldedHeads = new Map<string, Map<ProductCategory, number>>();

  private readonly places: Token[][];

  /**
   * @param categories rows of the classification table
   * @param placeNames names of communes, wards and districts ("Cao Bằng", "Trùng Khánh"): a word inside a
   *   place name is never read as a product on its own ("Cao" in "Cao Bằng" is not "cao dược liệu").
   */
  constructor(readonly categories: readonly ProductCategory[], placeNames: readonly string[] = []) {
    this.places = placeNames.map((p) => analyze(p, { mode: 'knowledge' })).filter((t) => t.length > 0);
    this.entries = categories
      .flatMap((category) => [category.subgroup, ...category.examples].map((example) => ({
        tokens: analyze(example, { mode: 'knowledge' }),
        category,
        example,
      })))
      .filter((e) => e.tokens.length > 0)
      .sort((a, b) => b.tokens.length - a.tokens.length || b.example.length - a.example.length);
    for (const e of this.entries) {
      const head = e.tokens[0]!.toned;
      const counts = this.heads.get(head) ?? new Map<ProductCategory, number>();
      counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
      this.heads.set(head, counts);
    }
    const tonedByFolded = new Map<string, string[]>();
    for (const head of this.heads.keys()) {
      const f = fold(head.replace(/\d$/, ''));
      tonedByFolded.set(f, [...(tonedByFolded.get(f) ?? []), head]);
    }
    for (const [f, toned] of tonedByFolded) if (toned.length === 1) this.foldedHeads.set(f, this.heads.get(toned[0]!)!);
  }

  /** Whether the message asks which group a product belongs to, or whether a product can take part. */
  questionKind(text: string): GroupQuestion | undefined {
    const f = ` ${foldText(text)} `;
    if (GROUP_CUES.some((cue) => f.includes(` ${cue} `))) return 'group';
    if (PARTICIPATION_CUES.some((cue) => f.includes(` ${cue} `))) return 'participation';
    return undefined;
  }

  /**
   * Finds the product named in a message: the longest example that appears as whole words, else a head word
   * ("rượu ...", "trà ...") shared by several examples of one category.
   */
  classify(text: string, kind: GroupQuestion = 'group'): Classification | undefined {
    const tokens = analyze(text, { mode: 'chat' });
    // Asked only whether something can take part, a one-word example is too weak a sign of a product
    // ("hồi" is star anise, and "back then").
    const minTokens = kind === 'group' ? 1 : 2;
    const inPlace = new Array<boolean>(tokens.length).fill(false);
    for (const place of this.places) {
      for (let i = 0; i + place.length <= tokens.length; i++) {
        if (matchesAt(tokens, i, place)) for (let k = 0; k < place.length; k++) inPlace[i + k] = true;
      }
    }
    const onlyPlace = (i: number, n: number): boolean => inPlace.slice(i, i + n).every(Boolean);
    for (const e of this.entries) {
      if (e.tokens.length < minTokens) continue;
      for (let i = 0; i + e.tokens.length <= tokens.length; i++) {
        if (matchesAt(tokens, i, e.tokens) && !onlyPlace(i, e.tokens.length)) return { category: e.category, matched: e.example };
      }
    }
    if (kind !== 'group') return undefined;
    for (const [i, t] of tokens.entries()) {
      if (t.stop || t.folded.length < 3 || inPlace[i]) continue;
      // Head words are compared with accents: only a word typed with them can pick a category on its own.
      const counts = t.accented ? this.heads.get(t.toned) : couldBeStopword(t.folded) ? undefined : this.foldedHeads.get(t.folded);
      if (!counts) continue;
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const [first, second] = ranked;
      if (first && first[1] >= 2 && (!second || first[1] >= 2 * second[1])) return { category: first[0], matched: t.folded };
    }
    return undefined;
  }

  /** The product phrase as the user wrote it, for quoting back ("Rượu men lá"). */
  productPhrase(text: string, matched: string): string {
    const target = fold(matched);
    const words = text.normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
    const foldedWords = words.map((w) => fold(w));
    const n = target.split(' ').length;
    for (let i = 0; i + n <= words.length; i++) {
      if (foldedWords.slice(i, i + n).join(' ') === target) {
        const phrase = words.slice(i, i + n).join(' ');
        return phrase.charAt(0).toUpperCase() + phrase.slice(1);
      }
    }
    return matched.charAt(0).toUpperCase() + matched.slice(1);
  }
}
