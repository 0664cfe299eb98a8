/**
 * The communes and wards of Cao Bằng (from the knowledge base's data sections), and how a typed place is read
 * against them: exact, a former district (a clarifying question), close names to suggest, or unknown.
 */
import type { DataSection } from '../knowledge/knowledge-base.js';
import { fold, tonedKey, words } from '../text/vietnamese.js';
import { editDistance, toWord, wordMatches, type Word } from './text-match.js';

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
