/**
 * Product classifier: names the OCOP sector, group and sub-group of a product under the current rules
 * (QĐ 148/QĐ-TTg Appendix I) and its group under the 2019 scheme (QĐ 490), from the classification table in
 * knowledge/phan-loai-san-pham.md (data section #bang-phan-loai). Editors add example products there.
 */
import { fold, foldText } from '../text/vietnamese.js';

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

/** Folded cue phrases that make a message a product-group question. */
const GROUP_CUES = [
  'thuoc nhom', 'nhom nao', 'nhom gi', 'nhom san pham nao', 'nhom sp nao', 'nganh nao', 'nganh gi',
  'phan nhom', 'xep vao nhom', 'xep vao', 'xep nhom', 'loai nao', 'thuoc loai', 'thuoc nganh',
  'tham gia ocop', 'lam ocop', 'cong nhan ocop', 'dang ky ocop', 'du thi ocop', 'duoc ocop', 'la ocop',
  'thanh ocop', 'dat ocop', 'vao ocop', 'danh gia ocop',
];

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
  folded: string;
  category: ProductCategory;
  example: string;
}

export class ProductClassifier {
  private readonly entries: Entry[];
  private readonly heads = new Map<string, Map<ProductCategory, number>>();

  constructor(readonly categories: readonly ProductCategory[]) {
    this.entries = categories
      .flatMap((category) => [category.subgroup, ...category.examples].map((example) => ({
        folded: foldText(example),
        category,
        example,
      })))
      .filter((e) => e.folded.length > 0)
      .sort((a, b) => b.folded.length - a.folded.length);
    for (const e of this.entries) {
      const head = e.folded.split(' ')[0]!;
      const counts = this.heads.get(head) ?? new Map<ProductCategory, number>();
      counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
      this.heads.set(head, counts);
    }
  }

  /** True when the message asks which group a product belongs to (or whether it can take part). */
  isGroupQuestion(text: string): boolean {
    const f = ` ${foldText(text)} `;
    return GROUP_CUES.some((cue) => f.includes(` ${cue} `));
  }

  /**
   * Finds the product named in a message: the longest example that appears as whole words, else a head word
   * ("rượu ...", "trà ...") shared by several examples of one category.
   */
  classify(text: string): Classification | undefined {
    const f = ` ${foldText(text)} `;
    for (const e of this.entries) {
      if (f.includes(` ${e.folded} `)) return { category: e.category, matched: e.example };
    }
    for (const word of f.trim().split(' ')) {
      const counts = this.heads.get(word);
      if (!counts || word.length < 3) continue;
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const [first, second] = ranked;
      if (first && first[1] >= 2 && (!second || first[1] >= 2 * second[1])) return { category: first[0], matched: word };
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
