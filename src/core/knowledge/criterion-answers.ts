/**
 * Questions about one criterion or section of the scoring sheets ("sử dụng lao động địa phương được mấy điểm",
 * "mục sức mạnh cộng đồng tối đa bao nhiêu điểm", "độ tinh xảo chấm mấy điểm"), answered from the sheets
 * (knowledge/bo-tieu-chi/*.yaml) rather than from passages, so the sheets stay the one place their numbers live
 * and the passages' word statistics stay as they are. A criterion most sheets share is told from the version
 * most of them use, with the sheets whose maximum differs named.
 */
import { format, type Messages } from '../messages.js';
import type { Token } from '../understanding/analyze.js';
import type { AnswerType } from '../understanding/vocabulary.js';
import { fold } from '../text/vietnamese.js';
import type { PartKey, ScoringSheet, SheetCriterion, SheetSection } from '../scoring/sheet.js';

type Templates = Messages['criterion_answers'];

/** Words of a criterion's name a question may leave out ("câu chuyện (về) sản phẩm", "(sử dụng) lao động địa phương"). Folded. */
const OPTIONAL = new Set(['ve', 'cua', 'trong', 'cac', 'va', 'theo', 'cho', 'co', 'tren', 'de', 'su', 'dung']);
/**
 * A question names a criterion with a run of its name's words, in order (words in OPTIONAL may be left out):
 * at least this many of the other words, and this share of them ("độ tinh xảo" of "Mức độ tinh xảo").
 */
const MIN_WORDS = 2;
const MIN_SHARE = 0.75;
/** Words that may ask about points ("mấy điểm", "2đ", "chấm thế nào"), checked before any name is. Folded. */
const SCORE_WORDS = new Set(['diem', 'd', 'cham']);

interface NameWord {
  word: string;
  optional: boolean;
}

interface Entry {
  /** Each of its names ("Mức độ tinh xảo/sắc nét" has two), as folded words. */
  names: NameWord[][];
  body: string;
  /** Sections come before their criteria of the same name ("Câu chuyện về sản phẩm"). */
  section: boolean;
}

interface Member {
  criterion: SheetCriterion;
  section: SheetSection;
  sheet: ScoringSheet;
  part: PartKey;
}

/** A criterion's name without the explanation in brackets some sheets add. */
const shortTitle = (title: string) => title.replace(/\s*\(.*$/s, '').trim();
const namesOf = (title: string): NameWord[][] =>
  shortTitle(title)
    .split('/')
    .map((name) =>
      fold(name)
        .split(/[^a-z0-9]+/)
        .filter(Boolean)
        .map((word) => ({ word, optional: OPTIONAL.has(word) })),
    )
    .filter((ws) => ws.filter((w) => !w.optional).length >= MIN_WORDS);

interface Run {
  /** The name's words matched, OPTIONAL aside. */
  matched: number;
  /** Where in the question the run stands: [start, end). */
  start: number;
  end: number;
}

/** The longest run of the question's words that matches a name's words in order (OPTIONAL ones may be left out). */
function longestRun(question: readonly string[], name: readonly NameWord[]): Run {
  let best: Run = { matched: 0, start: 0, end: 0 };
  for (let start = 0; start < question.length; start++) {
    for (let from = 0; from < name.length; from++) {
      let i = start;
      let matched = 0;
      for (let j = from; j < name.length && i < question.length; j++) {
        if (question[i] === name[j]!.word) {
          i++;
          if (!name[j]!.optional) matched++;
        } else if (!name[j]!.optional) break;
      }
      if (matched > best.matched) best = { matched, start, end: i };
    }
  }
  return best;
}
const sheetName = (s: ScoringSheet) => `${s.name} (${s.set})`;
const fill = (template: string, values: Record<string, string | number>) => format(template, values).trim();

/** Members grouped by a key, the largest group first. */
function groupsOf<T>(items: readonly T[], key: (item: T) => string | number): T[][] {
  const groups = new Map<string | number, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()].sort((a, b) => b.length - a.length);
}

export class CriterionAnswers {
  private readonly entries: Entry[] = [];
  /** The names by each of their words, so that a question is matched only against names it shares a word with. */
  private readonly byWord = new Map<string, NameWord[][]>();
  /** The folded words of each part's title ("khả năng tiếp thị"): a section named so may be the part asked. */
  private readonly partTitles: Set<string>[];

  constructor(sheets: readonly ScoringSheet[], t: Templates) {
    const total = sheets.length;
    this.partTitles = (sheets[0]?.parts ?? []).map((p) => new Set(fold(p.title).split(/[^a-z0-9]+/)));
    const byName = new Map<string, Member[]>();
    const sections = new Map<string, Omit<Member, 'criterion'>[]>();
    for (const sheet of sheets)
      for (const part of sheet.parts)
        for (const section of part.sections) {
          const sectionKey = `${part.part}|${section.number}|${fold(shortTitle(section.title))}`;
          sections.set(sectionKey, [...(sections.get(sectionKey) ?? []), { section, sheet, part: part.part }]);
          for (const criterion of section.criteria) {
            const key = `${part.part}|${fold(shortTitle(criterion.title))}`;
            byName.set(key, [...(byName.get(key) ?? []), { criterion, section, sheet, part: part.part }]);
          }
        }
    /** "Hoa (23), Cây cảnh (24) tối đa 4 điểm": the versions after the first, each with its maximum. */
    const others = <M extends { sheet: ScoringSheet }>(versions: M[][], max: (m: M) => number) =>
      versions
        .slice(1)
        .map((v) => fill(t.other_sheets, { sheets: v.map((m) => sheetName(m.sheet)).join(', '), max: max(v[0]!) }));
    for (const members of sections.values()) {
      const versions = groupsOf(members, (m) => m.section.points);
      const { section, part } = versions[0]![0]!;
      const elsewhere = others(versions, (m) => m.section.points);
      const items = section.criteria.map(
        (c, i) =>
          `- ${fill(t.section_item, { title: shortTitle(c.title), max: c.max })}${i === section.criteria.length - 1 ? '.' : ';'}`,
      );
      const first = fill(t.section_first, {
        part,
        number: section.number,
        section: shortTitle(section.title),
        points: section.points,
        elsewhere: elsewhere.length ? ` ${fill(t.section_elsewhere, { others: elsewhere.join('; ') })}` : '',
      });
      this.add(section.title, [first, ...items].join('\n'), true);
    }
    for (const members of byName.values()) {
      const versions = groupsOf(members, (m) => m.criterion.max);
      // The scale most sheets of the main maximum share.
      const { criterion, section, part } = groupsOf(versions[0]!, (m) => JSON.stringify(m.criterion.options))[0]![0]!;
      const title = shortTitle(criterion.title);
      const values = { title, part, number: section.number, section: shortTitle(section.title), max: criterion.max };
      const lines = [
        fill(t.criterion_first, values) +
          (criterion.mandatory !== undefined ? ` ${fill(t.criterion_mandatory, { stars: criterion.mandatory })}` : ''),
        fill(t.criterion_options, values),
        ...criterion.options.map((o, i) => {
          const star = o.mandatory !== undefined ? ` ${fill(t.option_mandatory, { stars: o.mandatory })}` : '';
          const end = i === criterion.options.length - 1 ? '.' : ';';
          return `- ${fill(t.option, { text: o.text.replace(/[.;]+$/, ''), points: o.points })}${star}${end}`;
        }),
      ];
      if (criterion.note) lines.push(fill(t.criterion_note, { note: criterion.note.replace(/\.$/, '') }));
      const inMain = versions[0]!.length;
      const elsewhere = others(versions, (m) => m.criterion.max);
      if (inMain === total) lines.push(fill(t.all_sheets, { total }));
      else if (elsewhere.length)
        lines.push(fill(t.some_sheets, { count: inMain, total, others: elsewhere.join('; ') }));
      else
        lines.push(
          fill(t.only_sheets, { sheets: versions[0]!.map((m) => sheetName(m.sheet)).join(', '), count: inMain, total }),
        );
      this.add(criterion.title, lines.join('\n'), false);
    }
  }

  private add(title: string, body: string, section: boolean): void {
    const names = namesOf(title);
    if (!names.length) return;
    const entry = { names, body, section };
    this.entries.push(entry);
    for (const name of names)
      for (const word of new Set(name.filter((w) => !w.optional).map((w) => w.word)))
        this.byWord.set(word, [...(this.byWord.get(word) ?? []), name]);
  }

  /**
   * The answer to a question that names a criterion or section and asks about its points, or undefined. The
   * name that most of its telling words match wins; a section before a criterion of the same name.
   */
  answer(tokens: readonly Token[], partsNamed = 0, answerTypes: readonly AnswerType[] = []): string | undefined {
    // "phần A, B, C mỗi phần bao nhiêu điểm": the parts are asked; "điểm du lịch … nhóm gì": the group.
    if (partsNamed > 1 || answerTypes.includes('group')) return undefined;
    // A follow-up's own words name the criterion ("Còn mục phát triển sản phẩm?"); the question before, set
    // aside, may say what is asked of it ("… được tối đa bao nhiêu điểm?").
    if (!tokens.some((t) => SCORE_WORDS.has(t.folded))) return undefined;
    const own = tokens.filter((t) => !t.aside);
    const words = own.map((t) => t.folded);
    const candidates = new Set(words.flatMap((w) => this.byWord.get(w) ?? []));
    let best: { entry: Entry; name: NameWord[]; run: Run; share: number } | undefined;
    for (const entry of this.entries) {
      for (const name of entry.names) {
        if (!candidates.has(name)) continue;
        const run = longestRun(words, name);
        const share = run.matched / name.filter((w) => !w.optional).length;
        if (run.matched < MIN_WORDS || share < MIN_SHARE) continue;
        const better =
          !best ||
          run.matched > best.run.matched ||
          (run.matched === best.run.matched &&
            (share > best.share || (share === best.share && entry.section && !best.entry.section)));
        if (better) best = { entry, name, run, share };
      }
    }
    if (!best) return undefined;
    const { run, name } = best;
    // Points asked, outside the name ("điểm du lịch" is a name): "điểm", "2đ"; "chấm" only with how or how much.
    const inRun = new Set(own.slice(run.start, run.end));
    const scoring = (t: Token) =>
      !inRun.has(t) &&
      (t.folded === 'diem' ||
        t.folded === 'd' ||
        (t.folded === 'cham' && answerTypes.some((k) => k === 'how' || k === 'number')));
    if (!tokens.some(scoring)) return undefined;
    // "Khả năng tiếp thị được chấm tối đa mấy điểm", "Phần sức mạnh cộng đồng …", "Phần C về chất lượng sản
    // phẩm …": a name inside a part's title, said as the part, is the part asked, unless a section ("mục") is.
    const partTitle = this.partTitles.find((title) => name.every((w) => w.optional || title.has(w.word)));
    if (partTitle && !words.includes('muc')) {
      const wholeTitle = [...partTitle].filter((w) => !OPTIONAL.has(w)).every((w) => words.includes(w));
      if (partsNamed > 0 || wholeTitle || words[run.start - 1] === 'phan') return undefined;
    }
    return best.entry.body;
  }
}
