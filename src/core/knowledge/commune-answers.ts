/**
 * Questions about the 2025 reorganisation of a named commune or ward, answered from the table of units
 * (commune-table.ts) rather than from passages: what a unit was formed from ("xã Quảng Uyên gồm những xã cũ
 * nào") and what a former commune, ward or town became ("xã Phúc Sen cũ nay thuộc xã nào"; a name several former
 * districts had gets one line per district, or the one a district named in the question points to).
 */
import type { Messages } from '../messages.js';
import { format } from '../messages.js';
import type { Token } from '../understanding/analyze.js';
import { PhraseSet, phraseWords, type PhraseWord, type Span } from '../understanding/phrases.js';
import { COMMUNE_CUES } from '../understanding/vocabulary.js';
import { fold, foldText, tonedKey } from '../text/vietnamese.js';
import { type CommuneRow, type FormerUnit, formerUnitLabel } from './commune-table.js';

/** The units a question names at most: more is a list, not a question about one unit. */
const MAX_NAMED = 3;

interface Name {
  words: PhraseWord[];
  /** The unit of this name, when a current unit has it. */
  unit?: CommuneRow;
  /** Former units of this name, with the unit each became. */
  formers: { former: FormerUnit; unit: CommuneRow }[];
}

interface District {
  /** "huyện Quảng Hòa", "thành phố Cao Bằng". */
  label: string;
  /** With its level ("huyện quảng hòa") and bare ("quảng hòa"). */
  prefixed: PhraseWord[][];
  bare: PhraseWord[];
}

const COMPOSITION = PhraseSet.of(COMMUNE_CUES.composition);
const MEMBERSHIP = PhraseSet.of(COMMUNE_CUES.membership);
const FORMER = phraseWords('cũ');
/** Words between a name and the district after it: "xã Hưng Đạo (cũ) (của) huyện Nguyên Bình", "… cũ bên Quảng Hòa". */
const BEFORE_DISTRICT = new Set(['cu', 'cua', 'o', 'thuoc', 'ben', 'tai']);

/** A word as written, for matching names: read from the message as typed, before shorthand and spelling fixes. */
interface Written {
  forms: { folded: string; toned: string; accented: boolean }[];
}

/**
 * The written words of a message, each with the forms it may take: as typed ("my", "miau") and, for a word read as
 * one token, as read (Telex or VNI decoded: "phucs" → "phúc").
 */
function writtenOf(tokens: readonly Token[]): Written[] {
  const out: Written[] = [];
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (j < tokens.length && tokens[j]!.at === tokens[i]!.at) j++;
    const raw = tokens[i]!.raw;
    const forms = [{ folded: fold(raw), toned: tonedKey(raw), accented: fold(raw) !== raw }];
    if (j === i + 1) forms.push(tokens[i]!);
    out.push({ forms });
    i = j;
  }
  return out;
}

/**
 * A proper name at position i: a word typed with accents must have the name's, one typed without them matches on
 * its letters (what the context would restore, "bon" → "bốn", says nothing of a place name).
 */
function nameAt(written: readonly Written[], i: number, words: readonly PhraseWord[]): boolean {
  return (
    i + words.length <= written.length &&
    words.every((w, k) =>
      written[i + k]!.forms.some((t) => t.folded === w.folded && (!t.accented || t.toned === w.toned)),
    )
  );
}

const bareName = (unit: string) => unit.replace(/^(Xã|Phường)\s+/u, '');
const inSentence = (unit: string) => unit.replace(/^(Xã|Phường)(?=\s)/u, (p) => p.toLowerCase());
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export class CommuneAnswers {
  private readonly names: Name[];
  private readonly districts: District[];

  constructor(
    rows: readonly CommuneRow[],
    private readonly messages: Messages,
  ) {
    const byName = new Map<string, Name>();
    const nameOf = (name: string): Name => {
      const key = phraseWords(name)
        .map((w) => w.toned)
        .join(' ');
      let n = byName.get(key);
      if (!n) byName.set(key, (n = { words: phraseWords(name), formers: [] }));
      return n;
    };
    for (const unit of rows) {
      nameOf(bareName(unit.name)).unit = unit;
      for (const former of unit.formedFrom) nameOf(former.name).formers.push({ former, unit });
    }
    // Longest names first, so that a longer name wins where two overlap.
    this.names = [...byName.values()].sort((a, b) => b.words.length - a.words.length);
    const labels = [...new Set(rows.flatMap((r) => r.formedFrom.map((f) => f.district)))];
    this.districts = labels.map((label) => {
      const bare = label.replace(/^(huyện|thành phố)\s+/iu, '');
      const prefixed = label.startsWith('thành phố') ? [label, `tp ${bare}`] : [label, `h ${bare}`];
      return { label, prefixed: prefixed.map((p) => phraseWords(p)), bare: phraseWords(bare) };
    });
  }

  /**
   * The answer's text when the question asks how a unit it names was formed or what it became; else undefined
   * (also when it names another province, unless that name is part of a commune's: "xã Nguyễn Huệ" is no Huế).
   */
  answer(
    tokens: readonly Token[],
    provinces: readonly string[] = [],
    /** A follow-up's question before ("… gồm những xã cũ nào" → "còn phường Nùng Trí Cao"), for what is asked. */
    askedBefore?: readonly Token[],
  ): string | undefined {
    const composition = COMPOSITION.in(tokens) || (askedBefore !== undefined && COMPOSITION.in(askedBefore));
    const membership = MEMBERSHIP.in(tokens) || (askedBefore !== undefined && MEMBERSHIP.in(askedBefore));
    if (!composition && !membership) return undefined;
    const written = writtenOf(tokens);
    const districtSpans = this.districtSpans(written);
    const named = this.namedIn(
      written,
      districtSpans.map((d) => d.span),
    );
    if (!named.length || named.length > MAX_NAMED) return undefined;
    const namedText = named.map(({ name }) => name.words.map((w) => w.folded).join(' ')).join(' | ');
    if (provinces.some((p) => !namedText.includes(foldText(p)))) return undefined;
    const hints = districtSpans.map((d) => d.district);
    const lines: string[] = [];
    for (const { name, end } of named) {
      const asFormer = nameAt(written, end, FORMER);
      const near = this.districtAfter(written, end);
      const districts = near ? [near] : hints;
      if (name.unit && composition && !asFormer) lines.push(this.formedFrom(name.unit));
      else if (name.formers.length) lines.push(...this.became(name, districts));
    }
    if (!lines.length) return undefined;
    const [first, ...rest] = lines;
    return [format(this.messages.commune_according, { text: lowerFirst(first!) }), ...rest].join('\n');
  }

  /** "Xã Quảng Uyên được lập từ: thị trấn Quảng Uyên, xã Phi Hải, xã Phúc Sen, xã Chí Thảo (huyện Quảng Hòa)." */
  private formedFrom(unit: CommuneRow): string {
    const groups: { district: string; parts: string[] }[] = [];
    for (const f of unit.formedFrom) {
      const last = groups.at(-1);
      if (last?.district === f.district) last.parts.push(formerUnitLabel(f));
      else groups.push({ district: f.district, parts: [formerUnitLabel(f)] });
    }
    const parts = groups
      .map((g) => format(this.messages.commune_formed_group, { parts: g.parts.join(', '), district: g.district }))
      .join('; ');
    return format(this.messages.commune_formed_from, { unit: unit.name, parts });
  }

  /** What a former name became: the one unit (and how that unit was formed), or one line per former district. */
  private became(name: Name, districts: readonly District[]): string[] {
    const inDistrict = name.formers.filter((f) => districts.some((d) => d.label === f.former.district));
    const formers = inDistrict.length ? inDistrict : name.formers;
    if (formers.length === 1) {
      const { former, unit } = formers[0]!;
      const now = format(this.messages.commune_former_now, {
        former: capitalize(formerUnitLabel(former)),
        district: former.district,
        unit: inSentence(unit.name),
      });
      return [now, this.formedFrom(unit)];
    }
    const label = formerUnitLabel(formers[0]!.former);
    return [
      format(this.messages.commune_former_shared, { count: formers.length, former: label }),
      ...formers.map(({ former, unit }) =>
        format(this.messages.commune_former_shared_item, {
          former: formerUnitLabel(former),
          district: former.district,
          unit: inSentence(unit.name),
        }),
      ),
    ];
  }

  /** Units and former units named, in order, longest name first where two overlap, outside the `away` spans. */
  private namedIn(written: readonly Written[], away: readonly Span[]): { name: Name; end: number }[] {
    const taken: Span[] = [...away];
    const found: { name: Name; start: number; end: number }[] = [];
    for (const name of this.names) {
      for (let i = 0; i + name.words.length <= written.length; i++) {
        const end = i + name.words.length;
        if (taken.some(([s, e]) => i < e && s < end) || !nameAt(written, i, name.words)) continue;
        taken.push([i, end]);
        found.push({ name, start: i, end });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  }

  /** Districts named with their level: "huyện Nguyên Bình", "tp Cao Bằng". */
  private districtSpans(written: readonly Written[]): { district: District; span: Span }[] {
    const out: { district: District; span: Span }[] = [];
    for (const district of this.districts)
      for (const words of district.prefixed)
        for (let i = 0; i + words.length <= written.length; i++)
          if (nameAt(written, i, words)) out.push({ district, span: [i, i + words.length] });
    return out;
  }

  /** A district named right after a name, with or without its level: "Hưng Đạo (cũ) Nguyên Bình". */
  private districtAfter(written: readonly Written[], end: number): District | undefined {
    let i = end;
    while (i < written.length && written[i]!.forms.some((f) => BEFORE_DISTRICT.has(f.folded)) && i < end + 2) i++;
    for (const d of this.districts) {
      if ([...d.prefixed, d.bare].some((words) => nameAt(written, i, words))) return d;
    }
    return undefined;
  }
}
