/**
 * Product classifier: names the OCOP sector, group and sub-group of a product under the current rules
 * (QĐ 148/QĐ-TTg Appendix I) and its group under the 2019 scheme (QĐ 490), from the classification table in
 * knowledge/phan-loai-san-pham.md (data section #bang-phan-loai). Editors add example products there.
 */
import { analyze, couldBeStopword, isChatWord, type Token } from '../understanding/analyze.js';
import { fold } from '../text/vietnamese.js';
import { PRODUCT_INTRODUCERS } from '../understanding/vocabulary.js';
import { isSyllable } from '../understanding/syllables.js';

export interface ProductCategory {
  code: string;
  sector: string;
  group: string;
  subgroup: string;
  group2019: string;
  examples: string[];
  /** Whether the row is confirmed by an official excerpt or known only from a transcription. */
  confidence: 'verified' | 'verified-2nd';
}

export interface Classification {
  category: ProductCategory;
  /** The example or word that decided it. */
  matched: string;
  /** The tokens it spans. */
  from: number;
  to: number;
  /** A word shared by several sub-groups of one group ("trà"): those sub-groups, `category` being the first. */
  subgroups?: ProductCategory[];
}

export type GroupQuestion = 'group' | 'participation';

/**
 * Parses the Markdown table `| Mã | Ngành | Nhóm | Phân nhóm | Nhóm theo QĐ 490 (2019) | Ví dụ sản phẩm | Độ tin cậy |`;
 * the last column (verified / verified-2nd) is optional and defaults to verified-2nd.
 */
export function parseCategoryTable(markdown: string): ProductCategory[] {
  const rows = markdown
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim()),
    );
  const [header, , ...body] = rows;
  if (!header || header.length < 6 || !/^m/i.test(header[0]!)) {
    throw new Error(
      'classification table: expected header | Mã | Ngành | Nhóm | Phân nhóm | Nhóm theo QĐ 490 (2019) | Ví dụ sản phẩm |',
    );
  }
  return body.map((cells) => {
    const [code, sector, group, subgroup, group2019, examples, confidence] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string?,
    ];
    return {
      code,
      sector,
      group,
      subgroup,
      group2019,
      examples: (examples ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
      confidence: confidence?.trim() === 'verified' ? 'verified' : 'verified-2nd',
    };
  });
}

interface Entry {
  tokens: Token[];
  category: ProductCategory;
  example: string;
}

/** Phrases by the folded form of their first word (matchesAt never matches a phrase whose first word differs). */
function byFirstFolded(phrases: readonly Token[][]): Map<string, Token[][]> {
  const out = new Map<string, Token[][]>();
  for (const p of phrases) out.set(p[0]!.folded, [...(out.get(p[0]!.folded) ?? []), p]);
  return out;
}

/**
 * Whole-word match at position i; a word the user accented must match with its accents ("tôi" ≠ "tỏi"), and an
 * unaccented word whose reading the context makes clear ("cho toi hoi": tôi) must match that reading.
 */
function matchesAt(text: readonly Token[], i: number, phrase: readonly Token[]): boolean {
  const only = phrase.length === 1 ? text[i] : undefined;
  // One unaccented word that is also a question word or filler ("gom": gồm / gốm) is no product by itself.
  if (
    only &&
    !only.accented &&
    only.restored === undefined &&
    (couldBeStopword(only.folded) || isChatWord(only.folded))
  )
    return false;
  return phrase.every((p, k) => {
    const t = text[i + k];
    if (!t || t.folded !== p.folded) return false;
    // Typed with accents, the word is the one typed: "cảm" (in "cảm ơn") is no "cam".
    if (t.accented) return t.toned === p.toned;
    if (!p.accented) return true;
    return t.restored === undefined || t.restored === p.toned;
  });
}

/** Words that introduce a product's name ("sản phẩm trà", "loại rượu", "mặt hàng miến"), folded. */
const INTRODUCERS = new Set(PRODUCT_INTRODUCERS);

export class ProductClassifier {
  private readonly entries: Entry[];
  /** Entries by the folded form of their first word, each with its rank in `entries` (longest first). */
  private readonly byFirstWord = new Map<string, { entry: Entry; rank: number }[]>();
  private readonly heads = new Map<string, Map<ProductCategory, number>>();
  /** Folded head words that stand for one accented head only ("ruou" → "rượu"). */
  private readonly foldedHeads = new Map<string, Map<ProductCategory, number>>();

  /** Place names by the folded form of their first word. */
  private readonly places: Map<string, Token[][]>;
  /** Names of sectors and groups ("thực phẩm", "đồ uống có cồn"): their words are never a product on their own. */
  private readonly groupNames: Map<string, Token[][]>;

  /**
   * @param categories rows of the classification table
   * @param placeNames names of communes, wards and districts ("Cao Bằng", "Trùng Khánh"): a word inside a
   *   place name is never read as a product on its own ("Cao" in "Cao Bằng" is not "cao dược liệu").
   * @param wordPairs toned word pairs of the knowledge base's texts ("thu hồi", "phụ lục", "thời điểm"): a
   *   one-word product inside such a pair is that other word ("hồi" of "thu hồi" is no star anise).
   * @param commonWords toned words of many passages ("điểm", "sao", "hạng"): alone they name no product, even
   *   when product names start with them ("điểm du lịch").
   */
  constructor(
    readonly categories: readonly ProductCategory[],
    placeNames: readonly string[] = [],
    private readonly wordPairs: ReadonlySet<string> = new Set(),
    private readonly commonWords: ReadonlySet<string> = new Set(),
  ) {
    this.places = byFirstFolded(placeNames.map((p) => analyze(p, { mode: 'knowledge' })).filter((t) => t.length > 0));
    const names = new Set(
      categories
        .flatMap((c) => [c.sector, c.group, c.group2019])
        .flatMap((n) => n.split(/[,;()]|\s-\s/))
        .map((n) => n.replace(/^\s*(?:sản phẩm|nhóm|ngành)\s+/iu, '').trim())
        .filter((n) => n.length > 2),
    );
    this.groupNames = byFirstFolded(
      [...names].map((n) => analyze(n, { mode: 'knowledge' })).filter((t) => t.length > 1),
    );
    this.entries = categories
      .flatMap((category) =>
        [category.subgroup, ...category.examples].map((example) => ({
          tokens: analyze(example, { mode: 'knowledge' }),
          category,
          example,
        })),
      )
      .filter((e) => e.tokens.length > 0)
      .sort((a, b) => b.tokens.length - a.tokens.length || b.example.length - a.example.length);
    this.entries.forEach((entry, rank) => {
      const first = entry.tokens[0]!.folded;
      const list = this.byFirstWord.get(first) ?? [];
      list.push({ entry, rank });
      this.byFirstWord.set(first, list);
    });
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

  /** The product named in a message, if any (see findProduct). */
  classify(text: string, kind: GroupQuestion = 'group'): Classification | undefined {
    return this.findProduct(analyze(text, { mode: 'chat' }), kind === 'participation');
  }

  /**
   * Finds the product named in analysed text: the longest example that appears as whole words, else a head word
   * ("rượu ...", "trà ...") shared by several examples of one category. `strict` (asked only whether something can
   * take part) needs an example of two words or more ("hồi" is star anise, and "back then"). Words of a place
   * name ("Cao" in "Cao Bằng") and of a group's name ("thực" in "nhóm thực phẩm") are never a product on their own.
   */
  findProduct(tokens: readonly Token[], strict = false): Classification | undefined {
    const minTokens = strict ? 2 : 1;
    const masked = (phrases: ReadonlyMap<string, Token[][]>) => {
      const out = new Array<boolean>(tokens.length).fill(false);
      tokens.forEach((t, i) => {
        for (const phrase of phrases.get(t.folded) ?? [])
          if (matchesAt(tokens, i, phrase)) for (let k = 0; k < phrase.length; k++) out[i + k] = true;
      });
      return out;
    };
    const inPlace = masked(this.places);
    const inGroupName = masked(this.groupNames);
    const onlyMasked = (i: number, n: number): boolean => {
      for (let k = i; k < i + n; k++) if (!inPlace[k] && !inGroupName[k]) return false;
      return true;
    };
    // A one-word product standing in a pair of words the texts use together is part of that other word.
    // "hồi đó", "hồi trước": back then, no star anise ("homestay nhỏ" is a small homestay).
    const TIME_AFTER = new Set(['do', 'truoc', 'ay', 'nay', 'xua', 'nho', 'kia', 'nam', 'thang', 'dau', 'cuoi']);
    const inPair = (i: number): boolean => {
      if (
        tokens[i]!.folded === 'hoi' &&
        TIME_AFTER.has(tokens[i + 1]?.folded ?? '') &&
        (tokens[i + 1]!.stop ||
          !tokens[i + 1]!.accented ||
          ['đo1', 'trươc1', 'ây1', 'nay2', 'xưa', 'nhỏ3', 'kia', 'năm', 'thang1', 'đâu2', 'cuôi1'].includes(
            tokens[i + 1]!.toned,
          ))
      )
        return true;
      // "homestay", "spa": a word of no Vietnamese syllable makes no compound with its neighbours.
      if (!isSyllable(tokens[i]!.folded)) return false;
      const key = (t: Token | undefined) => (t ? (t.accented ? t.toned : (t.restored ?? t.folded)) : undefined);
      const here = key(tokens[i]);
      // Only a content word makes a compound ("thu hồi", "phụ lục"); "homestay của" is no word, and "sản phẩm
      // trà", "loại rượu" name the product.
      const before =
        tokens[i - 1]?.stop || INTRODUCERS.has(tokens[i - 1]?.folded ?? '') ? undefined : key(tokens[i - 1]);
      const after = tokens[i + 1]?.stop ? undefined : key(tokens[i + 1]);
      return (
        (before !== undefined && this.wordPairs.has(`${before} ${here}`)) ||
        (after !== undefined && this.wordPairs.has(`${here} ${after}`))
      );
    };
    // The longest example found wins (the first in `entries`), at its first place in the message.
    let found: { entry: Entry; rank: number; at: number } | undefined;
    tokens.forEach((t, i) => {
      for (const c of this.byFirstWord.get(t.folded) ?? []) {
        const e = c.entry;
        if (e.tokens.length < minTokens || (found && found.rank <= c.rank)) continue;
        if (matchesAt(tokens, i, e.tokens) && !onlyMasked(i, e.tokens.length) && !(e.tokens.length === 1 && inPair(i)))
          found = { ...c, at: i };
      }
    });
    if (found)
      return {
        category: found.entry.category,
        matched: found.entry.example,
        from: found.at,
        to: found.at + found.entry.tokens.length,
      };
    if (strict) return undefined;
    for (const [i, t] of tokens.entries()) {
      if (t.stop || t.label || t.folded.length < 3 || inPlace[i] || inGroupName[i] || inPair(i)) continue;
      // Head words are compared with accents: only a word typed with them can pick a category on its own.
      const toned = t.accented ? t.toned : t.restored;
      if (this.commonWords.has(toned ?? t.folded)) continue;
      const counts =
        toned !== undefined
          ? this.heads.get(toned)
          : couldBeStopword(t.folded) || isChatWord(t.folded)
            ? undefined
            : this.foldedHeads.get(t.folded);
      if (!counts) continue;
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const [first, second] = ranked;
      // "trà", "rượu": several sub-groups of one group; the group is known, the sub-group depends on the product.
      const sameGroup = ranked.every(([c]) => c.sector === first![0].sector && c.group === first![0].group);
      if (first && ranked.length > 1 && sameGroup && ranked.reduce((n, [, k]) => n + k, 0) >= 3) {
        return {
          category: first[0],
          matched: t.folded,
          from: i,
          to: i + 1,
          subgroups: ranked.map(([c]) => c).sort((a, b) => a.code.localeCompare(b.code)),
        };
      }
      if (first && first[1] >= 2 && (!second || first[1] >= 2 * second[1]))
        return { category: first[0], matched: t.folded, from: i, to: i + 1 };
    }
    return undefined;
  }

  /** The same as findProduct, for the reader (code and token span). */
  findProductCode(
    tokens: readonly Token[],
    strict: boolean,
  ): { code: string; matched: string; from: number; to: number } | undefined {
    const found = this.findProduct(tokens, strict);
    return found ? { code: found.category.code, matched: found.matched, from: found.from, to: found.to } : undefined;
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
