/**
 * The communes and wards of Cao Bằng (from the knowledge base's data sections), the former communes, wards and
 * towns each was formed from, and how a typed place is read against them: a current unit, a former unit (the unit
 * it became), a former name shared by several former districts (a clarifying question), a former district (a
 * clarifying question), close names to suggest, or unknown.
 */
import {
  COMMUNE_TABLE_ID,
  type FormerUnit,
  type FormerUnitKind,
  parseCommuneTable,
  type UnitKind,
} from '../knowledge/commune-table.js';
import type { DataSection } from '../knowledge/knowledge-base.js';
import { fold, tonedKey, words } from '../text/vietnamese.js';
import { editDistance, toWord, wordMatches, type Word } from './text-match.js';

// ---------------------------------------------------------------------------------------------------------
// Communes and wards

/** A unit to offer: a current name, or a former unit with the unit it became. */
export interface CommuneOption {
  /** The current unit, with its prefix: "Xã Quảng Uyên". */
  name: string;
  /** The former unit typed (or close to what was typed), when its name is not the current unit's. */
  former?: FormerUnit;
}

export type CommuneMatch =
  | { kind: 'exact'; name: string }
  /** A former unit under another name: "Phúc Sen" → Xã Quảng Uyên. */
  | { kind: 'former_unit'; name: string; former: FormerUnit }
  /** A former name of several former districts, now in different units: which one? */
  | { kind: 'choose_former'; former: string; options: CommuneOption[] }
  | { kind: 'suggest'; options: CommuneOption[] }
  /** `district` with its level: "huyện Trùng Khánh", "thành phố Cao Bằng". */
  | { kind: 'former_district'; district: string; sameNameUnit?: string }
  | { kind: 'unknown' };

/** Data sections of knowledge/don-vi-hanh-chinh-cao-bang.md (the same ids as PLACE_LIST_IDS in the answerer). */
export const COMMUNE_LIST_ID = COMMUNE_TABLE_ID;
export const OTHER_PLACES_ID = 'don-vi-hanh-chinh-cao-bang#dia-danh-khac';

type ChunkKind = FormerUnitKind | 'district' | 'province' | 'city' | 'village';

interface Named {
  /** Name without its prefix, folded: "quang lam". */
  folded: string;
  /** Toned keys of the name's words, for telling apart names that fold alike. */
  toned: string[];
  foldedWords: string[];
}

interface Unit extends Named {
  name: string;
  kind: UnitKind;
  formedFrom: readonly FormerUnit[];
}

/** A name the directory knows: a unit's current name (no `former`) or the name of a unit it was formed from. */
interface Entry extends Named {
  unit: Unit;
  former?: FormerUnit;
  kind: FormerUnitKind;
  /** The current names first, then the former ones, each in the table's order. */
  order: number;
}

interface District {
  /** "Trùng Khánh". */
  name: string;
  /** "huyện Trùng Khánh", "thành phố Cao Bằng". */
  label: string;
  level: 'district' | 'city';
  folded: string;
}

/** What a unit is given as: its name ("Xã Quảng Lâm"), or its name and the former units it was formed from. */
export type UnitSpec = string | { name: string; formedFrom?: readonly FormerUnit[] };

const named = (name: string): Named => {
  const ws = words(name);
  return { folded: ws.map(fold).join(' '), toned: ws.map(tonedKey), foldedWords: ws.map(fold) };
};

function districtOf(label: string): District {
  const m = /^\s*(huyện|thành phố)\s+(.+?)\s*$/iu.exec(label.normalize('NFC'));
  const name = (m?.[2] ?? label).normalize('NFC').trim();
  const level = m && fold(m[1]!) === 'thanh pho' ? 'city' : 'district';
  return { name, label: `${level === 'city' ? 'thành phố' : 'huyện'} ${name}`, level, folded: named(name).folded };
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

const keyOf = (chunk: Chunk) => chunk.words.map((w) => w.folded).join(' ');

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
      // A trailing "Cao Bằng" is the province: "Quảng Lâm Cao Bằng" (but "thành phố Cao Bằng" is the former city).
      const f = c.words.map((w) => w.folded);
      const trailingProvince = f.length > 2 && f.slice(-2).join(' ') === PROVINCE;
      return trailingProvince ? { ...c, words: c.words.slice(0, -2) } : c;
    })
    .filter(
      (c) =>
        c.words.length > 0 &&
        c.kind !== 'province' &&
        c.kind !== 'village' &&
        (c.kind === 'city' || keyOf(c) !== PROVINCE),
    );
}

const RANK: Record<CommuneMatch['kind'], number> = {
  exact: 0,
  former_unit: 0,
  choose_former: 1,
  former_district: 2,
  suggest: 3,
  unknown: 4,
};
const MAX_SUGGESTIONS = 3;

/**
 * The communes and wards of Cao Bằng after the 2025 reorganisation, the former units they were formed from and the
 * former district names, for reading the commune a producer types ("quang lam", "P. Thuc Phan", "xã Phúc Sen",
 * "xã Hưng Đạo huyện Nguyên Bình", "huyện Trùng Khánh").
 */
export class CommuneDirectory {
  private readonly units: Unit[];
  private readonly entries: Entry[];
  private readonly districts: District[];

  /**
   * @param units canonical names with their prefix ("Xã Quảng Lâm", "Phường Thục Phán"), each with the former units
   *   it was formed from when known
   * @param formerDistricts former district names without prefix ("Trùng Khánh"); the districts of the former units
   *   are added
   */
  constructor(units: readonly UnitSpec[], formerDistricts: readonly string[]) {
    this.units = units.map((spec) => {
      const { name, formedFrom = [] } = typeof spec === 'string' ? { name: spec } : spec;
      const m = /^\s*(xã|phường)\s+(.+)$/iu.exec(name.normalize('NFC'));
      if (!m) throw new Error(`commune directory: "${name}" must start with "Xã" or "Phường"`);
      return {
        name: name.normalize('NFC').trim(),
        kind: fold(m[1]!) === 'xa' ? 'commune' : 'ward',
        ...named(m[2]!),
        formedFrom,
      };
    });
    const current: Entry[] = this.units.map((unit, order) => ({ ...unit, unit, order }));
    const former: Entry[] = this.units.flatMap((unit) =>
      unit.formedFrom.map((f) => ({ ...named(f.name), unit, former: f, kind: f.kind, order: 0 })),
    );
    former.forEach((e, i) => {
      e.order = current.length + i;
    });
    this.entries = [...current, ...former];
    const districts = new Map<string, District>();
    const labels = [
      ...formerDistricts.map((d) => `huyện ${d}`),
      ...this.units.flatMap((u) => u.formedFrom.map((f) => f.district)),
    ];
    for (const label of labels) {
      const d = districtOf(label);
      if (!districts.has(`${d.level}:${d.folded}`)) districts.set(`${d.level}:${d.folded}`, d);
    }
    this.districts = [...districts.values()];
  }

  /** Reads the table of units and the "- Huyện …" lines of the knowledge base's data sections. */
  static fromKnowledgeBase(kb: { data: ReadonlyMap<string, Pick<DataSection, 'body'>> }): CommuneDirectory {
    const table = kb.data.get(COMMUNE_LIST_ID);
    const { rows, problems } = table ? parseCommuneTable(table.body) : { rows: [], problems: [] };
    if (problems.length) throw new Error(`commune directory: ${problems.join('; ')}`);
    const districts = (kb.data.get(OTHER_PLACES_ID)?.body ?? '')
      .split('\n')
      .map((l) => /^\s*-\s*huyện\s+(.+?)\s*$/iu.exec(l)?.[1])
      .filter((l): l is string => !!l);
    return new CommuneDirectory(rows, districts);
  }

  /** The canonical unit names, in the order given. */
  listAll(): string[] {
    return this.units.map((u) => u.name);
  }

  /** The units formed (in part) from former units of a district ("huyện Trùng Khánh"), in the order given. */
  unitsOfDistrict(district: string): string[] {
    const d = districtOf(district);
    return this.units
      .filter((u) => u.formedFrom.some((f) => districtOf(f.district).folded === d.folded))
      .map((u) => u.name);
  }

  match(input: string): CommuneMatch {
    const chunks = chunksOf(input);
    // A district named next to the commune ("xã Hưng Đạo, huyện Nguyên Bình") tells apart former communes.
    const hints = chunks.flatMap((c) => {
      const d = this.districtNamed(keyOf(c), c.kind);
      return d ? [d] : [];
    });
    let best: CommuneMatch = { kind: 'unknown' };
    for (const chunk of chunks) {
      const m = this.matchChunk(chunk, hints);
      if (RANK[m.kind] < RANK[best.kind]) best = m;
    }
    return best;
  }

  /** The district a chunk names: "huyện Nguyên Bình", "thành phố Cao Bằng", or a bare district name. */
  private districtNamed(key: string, kind: ChunkKind | undefined): District | undefined {
    if (kind === 'city') return this.districts.find((d) => d.level === 'city' && d.folded === key);
    if (kind !== undefined && kind !== 'district') return undefined;
    return this.districts.find((d) => d.level === 'district' && d.folded === key);
  }

  private matchChunk(chunk: Chunk, hints: readonly District[]): CommuneMatch {
    const key = keyOf(chunk);
    const kind = chunk.kind;
    if (kind === 'city') {
      const city = this.districtNamed(key, kind);
      return city ? { kind: 'former_district', district: city.label } : { kind: 'unknown' };
    }
    const district = this.districtNamed(key, undefined);
    if (kind === 'district') {
      if (district) return { kind: 'former_district', district: district.label };
      const near = this.nearDistrict(key);
      if (near) return { kind: 'former_district', district: near.label };
    } else {
      const found = this.named(chunk);
      if (found.length > 0) {
        const m = this.resolve(
          found,
          hints.filter((h) => h !== district),
        );
        // A bare name of a former district and of a unit: which of the two is meant?
        if (m.kind === 'exact' && district && kind === undefined)
          return { kind: 'former_district', district: district.label, sameNameUnit: m.name };
        return m;
      }
      if (district) return { kind: 'former_district', district: district.label };
      // "Phúc Sen Quảng Hòa", "hung dao nguyen binh": a district after the name.
      const split = this.trailingDistrict(chunk);
      const before = split ? this.named(split.rest) : [];
      if (split && before.length > 0) return this.resolve(before, [...hints, split.district]);
    }

    const options = this.suggest(key, kind);
    if (options.length > 0) return { kind: 'suggest', options };
    const near = this.nearDistrict(key);
    return near ? { kind: 'former_district', district: near.label } : { kind: 'unknown' };
  }

  /** Entries named exactly as typed: of the kind its prefix says when there are some, with its accents when any fit. */
  private named(chunk: Chunk): Entry[] {
    const key = keyOf(chunk);
    const all = this.entries.filter((e) => e.folded === key);
    const sameKind = all.filter((e) => e.kind === chunk.kind);
    const byKind = sameKind.length ? sameKind : all;
    if (!chunk.words.some((w) => w.accented)) return byKind;
    const toned = byKind.filter(
      (e) => e.toned.length === chunk.words.length && e.toned.every((t, k) => t === chunk.words[k]!.toned),
    );
    return toned.length ? toned : byKind;
  }

  /** What the entries named as typed stand for: one unit, or a choice between units. */
  private resolve(found: readonly Entry[], hints: readonly District[]): CommuneMatch {
    let byUnit = groupByUnit(found);
    if (byUnit.length > 1 && hints.length) {
      const inHinted = byUnit.filter((g) =>
        g.some((e) => e.former && hints.some((h) => districtOf(e.former!.district).folded === h.folded)),
      );
      if (inHinted.length) byUnit = inHinted;
    }
    if (byUnit.length === 1) {
      const group = byUnit[0]!;
      const unit = group[0]!.unit;
      // The unit's own name, or a former unit of the same name ("thị trấn Trùng Khánh" is now xã Trùng Khánh).
      if (group.some((e) => e.folded === unit.folded)) return { kind: 'exact', name: unit.name };
      return { kind: 'former_unit', name: unit.name, former: group.find((e) => e.former)!.former! };
    }
    const options = byUnit.map((g) => optionOf(g.find((e) => e.former) ?? g[0]!, true));
    const names = new Set(found.map((e) => e.toned.join(' ')));
    // Different names that fold alike ("Hòa An", "Hoà Ân"), or units of one name without a former district to tell
    // them apart (a commune and a ward): which was meant.
    if (names.size > 1 || options.some((o) => !o.former))
      return { kind: 'suggest', options: byUnit.map((g) => optionOf(g[0]!)).slice(0, MAX_SUGGESTIONS) };
    const name = found.find((e) => e.former)?.former?.name ?? found[0]!.unit.name;
    return { kind: 'choose_former', former: name, options };
  }

  /** "phuc sen quang hoa" → [phuc sen] and huyện Quảng Hòa. */
  private trailingDistrict(chunk: Chunk): { rest: Chunk; district: District } | undefined {
    for (const d of this.districts) {
      const n = d.folded.split(' ').length;
      if (chunk.words.length <= n) continue;
      const tail = chunk.words.slice(-n);
      if (tail.map((w) => w.folded).join(' ') !== d.folded) continue;
      return { rest: { ...chunk, words: chunk.words.slice(0, -n) }, district: d };
    }
    return undefined;
  }

  /** A former district one typo away ("trung khan"), when exactly one is. */
  private nearDistrict(key: string): District | undefined {
    if (key.length < 5) return undefined;
    const near = this.districts.filter((d) => d.level === 'district' && editDistance(key, d.folded, 1) <= 1);
    return near.length === 1 ? near[0] : undefined;
  }

  /**
   * Units close to what was typed, best first: small edit distance on the folded form, or word prefixes, of a
   * current name or of a former unit's name.
   */
  private suggest(key: string, kind: ChunkKind | undefined): CommuneOption[] {
    const compact = key.replace(/ /g, '');
    if (compact.length < 2) return [];
    const maxDistance = compact.length <= 3 ? 0 : compact.length <= 6 ? 1 : 2;
    const typed = key.split(' ');
    const scored: { entry: Entry; score: number }[] = [];
    for (const entry of this.entries) {
      let score = Number.POSITIVE_INFINITY;
      const d = Math.min(
        editDistance(key, entry.folded, maxDistance),
        editDistance(compact, entry.folded.replace(/ /g, ''), maxDistance) + 0.5,
      );
      if (d <= maxDistance) score = d;
      // Words typed as the beginnings of the name's words: "nung tri" → Nùng Trí Cao, "thuc" → Thục Phán.
      for (let start = 0; start + typed.length <= entry.foldedWords.length; start++) {
        const prefixes = typed.every((t, k) => entry.foldedWords[start + k]!.startsWith(t));
        if (prefixes) score = Math.min(score, start === 0 ? 0.5 : 1.25);
      }
      if (score === Number.POSITIVE_INFINITY) continue;
      if ((kind === 'commune' || kind === 'ward' || kind === 'town') && entry.kind !== kind) score += 0.3;
      scored.push({ entry, score });
    }
    const options: CommuneOption[] = [];
    const seen = new Set<string>();
    for (const { entry } of scored.sort((a, b) => a.score - b.score || a.entry.order - b.entry.order)) {
      const option = optionOf(entry);
      const id = `${option.name}|${option.former ? `${option.former.name}|${option.former.district}` : ''}`;
      if (seen.has(id)) continue;
      seen.add(id);
      options.push(option);
      if (options.length === MAX_SUGGESTIONS) break;
    }
    return options;
  }
}

/** Entries by the unit they stand for, in the order of each unit's first entry. */
function groupByUnit(entries: readonly Entry[]): Entry[][] {
  const groups = new Map<Unit, Entry[]>();
  for (const e of [...entries].sort((a, b) => a.order - b.order))
    groups.set(e.unit, [...(groups.get(e.unit) ?? []), e]);
  return [...groups.values()];
}

/**
 * A unit to offer for an entry: the unit alone for its own name (or a former unit of the same name), with the
 * former unit otherwise, or always when `withFormer` (a choice between former units of one name).
 */
function optionOf(entry: Entry, withFormer = false): CommuneOption {
  const former = entry.former;
  if (!former || (!withFormer && entry.folded === entry.unit.folded)) return { name: entry.unit.name };
  return { name: entry.unit.name, former };
}
