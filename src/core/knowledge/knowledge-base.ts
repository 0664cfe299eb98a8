/**
 * The curated knowledge base: Markdown files with front matter, one topic per file, one passage per `##`
 * section. Parsing and checking are pure; reading the folder is the files adapter's job.
 * Format: docs/knowledge-format.md.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { COMMUNE_TABLE_ID, parseCommuneTable } from './commune-table.js';

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const sourceRefSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/, 'key: lowercase ASCII, digits, hyphens'),
  doc: z.string().min(3),
  date: z.union([z.string(), z.number()]).transform(String).optional(),
  publisher: z.string().optional(),
  url: z.url().optional(),
});
export type SourceRef = z.infer<typeof sourceRefSchema>;

export const frontMatterSchema = z.object({
  id: z.string().regex(kebab),
  title: z.string().min(3),
  sources: z.array(sourceRefSchema).min(1),
  applies: z.union([z.string(), z.number()]).transform(String),
  confidence: z.enum(['verified', 'verified-2nd']),
  tags: z.array(z.string()).optional(),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

export interface Passage {
  /** `docId#anchor`: stable, cited by answers and by the LLM. */
  id: string;
  docId: string;
  anchor: string;
  /** The file's title. */
  docTitle: string;
  /** The section heading. */
  heading: string;
  /** The passage text (Markdown, without the heading). */
  text: string;
  source: SourceRef;
  applies: string;
  /** The file's confidence, or the passage's own (`<!-- confidence: verified-2nd -->`). */
  confidence: FrontMatter['confidence'];
  /** Example questions this passage answers (`<!-- questions ... -->`): matched alongside the text, never shown. */
  questions: string[];
  /** What the passage leads to (`<!-- action: register -->`): the answer ends with the button that does it. */
  action?: PassageAction;
  /**
   * `unknown` (`<!-- kind: unknown -->`): the passage says what is not known ("Cao Bằng's reward policy has no
   * official information; ask…"). It is shown as the answer, but the question counts as not answered.
   */
  kind?: 'unknown';
  /** The date its figures describe (`<!-- as-of: 2025-12 -->`, yyyy, yyyy-mm or yyyy-mm-dd), for "hiện nay" questions. */
  asOf?: string;
}

/** Things a passage can lead to: the registration form, "Hồ sơ của tôi", announcements, the product-group finder. */
export const PASSAGE_ACTIONS = ['register', 'profile', 'subscribe', 'classify', 'eligibility', 'selfscore'] as const;
export type PassageAction = (typeof PASSAGE_ACTIONS)[number];

export interface DataSection {
  docId: string;
  anchor: string;
  heading: string;
  body: string;
}

export interface KnowledgeDoc {
  meta: FrontMatter;
  passages: Passage[];
  data: DataSection[];
}

export interface KnowledgeBase {
  docs: KnowledgeDoc[];
  passages: Passage[];
  passageById: ReadonlyMap<string, Passage>;
  /** Data sections by `docId#anchor`. */
  data: ReadonlyMap<string, DataSection>;
}

export interface KnowledgeFile {
  name: string;
  text: string;
}

export class KnowledgeFormatError extends Error {
  override name = 'KnowledgeFormatError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

const HEADING = /^##\s+(.+?)\s*\{#([^\s}]+)(\s+\.data)?\}\s*$/;
/** `<!-- source: key -->`, `<!-- confidence: verified-2nd -->`, `<!-- as-of: 2025-12 -->` right under a heading. */
const META_COMMENT = /^<!--\s*(source|confidence|as-of|action|kind):\s*(\S+)\s*-->\s*$/;
const QUESTIONS_OPEN = /^<!--\s*questions\s*$/;
const QUESTIONS_CLOSE = /^-->\s*$/;
const AS_OF = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/** Parses one knowledge file; throws KnowledgeFormatError listing every problem found. */
export function parseKnowledgeFile(file: KnowledgeFile): KnowledgeDoc {
  const problems: string[] = [];
  const text = file.text.normalize('NFC').replace(/\r\n/g, '\n');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!fm) throw new KnowledgeFormatError(file.name, ['missing front matter (--- ... ---)']);
  let raw: unknown;
  try {
    raw = parseYaml(fm[1]!);
  } catch (err) {
    throw new KnowledgeFormatError(file.name, [`front matter is not valid YAML: ${(err as Error).message}`]);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    throw new KnowledgeFormatError(
      file.name,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const meta = parsed.data;
  const expectedId = file.name.replace(/\.md$/, '');
  if (meta.id !== expectedId) problems.push(`id "${meta.id}" differs from the file name "${expectedId}"`);
  const sourceByKey = new Map(meta.sources.map((s) => [s.key, s]));
  if (sourceByKey.size !== meta.sources.length) problems.push('sources: duplicate key');

  const passages: Passage[] = [];
  const data: DataSection[] = [];
  const anchors = new Set<string>();
  const body = text.slice(fm[0].length).split('\n');
  let current:
    | {
        heading: string;
        anchor: string;
        isData: boolean;
        lines: string[];
        meta: Record<string, string>;
        questions: string[];
      }
    | undefined;
  let inQuestions = false;
  const flush = (): void => {
    if (!current) return;
    const content = current.lines.join('\n').trim();
    if (!content) problems.push(`section #${current.anchor} is empty`);
    if (current.isData) {
      data.push({ docId: meta.id, anchor: current.anchor, heading: current.heading, body: content });
      if (current.questions.length)
        problems.push(`section #${current.anchor}: a data section has no example questions`);
    } else {
      const sourceKey = current.meta.source;
      const source = sourceKey ? sourceByKey.get(sourceKey) : meta.sources[0];
      if (!source) problems.push(`section #${current.anchor}: source "${sourceKey}" is not in sources`);
      const confidence = current.meta.confidence ?? meta.confidence;
      if (confidence !== 'verified' && confidence !== 'verified-2nd') {
        problems.push(`section #${current.anchor}: confidence "${confidence}" must be verified or verified-2nd`);
      }
      const action = current.meta.action as PassageAction | undefined;
      if (action !== undefined && !PASSAGE_ACTIONS.includes(action))
        problems.push(`section #${current.anchor}: action "${action}" must be one of ${PASSAGE_ACTIONS.join(', ')}`);
      const kind = current.meta.kind;
      if (kind !== undefined && kind !== 'unknown')
        problems.push(`section #${current.anchor}: kind "${kind}" must be unknown`);
      const asOf = current.meta['as-of'];
      if (asOf !== undefined && !AS_OF.test(asOf))
        problems.push(`section #${current.anchor}: as-of "${asOf}" must be yyyy, yyyy-mm or yyyy-mm-dd`);
      passages.push({
        id: `${meta.id}#${current.anchor}`,
        docId: meta.id,
        anchor: current.anchor,
        docTitle: meta.title,
        heading: current.heading,
        text: content,
        source: source ?? meta.sources[0]!,
        applies: meta.applies,
        confidence: confidence === 'verified-2nd' ? 'verified-2nd' : 'verified',
        questions: current.questions,
        ...(asOf ? { asOf } : {}),
        ...(action ? { action } : {}),
        ...(kind === 'unknown' ? { kind } : {}),
      });
    }
  };
  for (const line of body) {
    if (inQuestions) {
      if (QUESTIONS_CLOSE.test(line)) inQuestions = false;
      else if (line.trim()) {
        const q = /^\s*-\s+(.+?)\s*$/.exec(line);
        if (q) current!.questions.push(q[1]!);
        else problems.push(`section #${current!.anchor}: example question lines start with "- ": "${line.trim()}"`);
      }
      continue;
    }
    if (line.startsWith('## ')) {
      flush();
      const h = HEADING.exec(line);
      if (!h) {
        problems.push(`heading without {#anchor}: "${line}"`);
        current = undefined;
        continue;
      }
      const anchor = h[2]!;
      if (!kebab.test(anchor)) problems.push(`anchor "${anchor}" must be kebab-case ASCII`);
      if (anchors.has(anchor)) problems.push(`anchor "${anchor}" is used twice`);
      anchors.add(anchor);
      current = { heading: h[1]!, anchor, isData: Boolean(h[3]), lines: [], meta: {}, questions: [] };
      continue;
    }
    if (!current) continue;
    const m = META_COMMENT.exec(line);
    if (m && current.lines.every((l) => !l.trim())) {
      if (current.meta[m[1]!] !== undefined) problems.push(`section #${current.anchor}: "${m[1]}" is given twice`);
      current.meta[m[1]!] = m[2]!;
      continue;
    }
    if (QUESTIONS_OPEN.test(line)) {
      inQuestions = true;
      continue;
    }
    current.lines.push(line);
  }
  if (inQuestions) problems.push(`section #${current?.anchor}: "<!-- questions" is not closed with "-->"`);
  flush();
  if (passages.length === 0) problems.push('no passage (## Heading {#anchor})');
  if (problems.length) throw new KnowledgeFormatError(file.name, problems);
  return { meta, passages, data };
}

/** Builds the knowledge base from files; throws on the first file with problems. */
export function buildKnowledgeBase(files: readonly KnowledgeFile[]): KnowledgeBase {
  const docs = [...files].sort((a, b) => a.name.localeCompare(b.name)).map(parseKnowledgeFile);
  const passages = docs.flatMap((d) => d.passages);
  const passageById = new Map(passages.map((p) => [p.id, p]));
  const data = new Map(docs.flatMap((d) => d.data).map((s) => [`${s.docId}#${s.anchor}`, s]));
  return { docs, passages, passageById, data };
}

export interface CheckReport {
  files: number;
  passages: number;
  dataSections: number;
  problems: string[];
}

const LINK = /\]\(([^)\s]+)\)/g;

/** Every passage lists at least this many example questions, one of them typed without diacritics. */
export const MIN_EXAMPLE_QUESTIONS = 3;
const MAX_QUESTION_LENGTH = 200;

const foldForCheck = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Problems with the example questions: too few, none typed as on a phone, too long, or one used twice. */
function checkQuestions(docs: readonly KnowledgeDoc[], minQuestions: number): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const p of docs.flatMap((d) => d.passages)) {
    if (p.questions.length < minQuestions)
      problems.push(`${p.id}: ${p.questions.length} example questions (at least ${minQuestions})`);
    else if (
      !p.questions.some(
        (q) =>
          foldForCheck(q) ===
          q
            .toLowerCase()
            .replace(/[^\p{L}\p{N}]+/gu, ' ')
            .trim(),
      )
    ) {
      problems.push(`${p.id}: no example question typed without diacritics`);
    }
    for (const q of p.questions) {
      if (q.length > MAX_QUESTION_LENGTH)
        problems.push(`${p.id}: example question longer than ${MAX_QUESTION_LENGTH} characters: "${q.slice(0, 40)}…"`);
      const key = foldForCheck(q);
      const other = owner.get(key);
      if (other) problems.push(`${p.id}: example question "${q}" is also listed by ${other}`);
      else owner.set(key, p.id);
    }
  }
  return problems;
}

/** What is wrong with a data section's body, by section id. */
const DATA_CHECKS: Readonly<Record<string, (body: string) => string[]>> = {
  [COMMUNE_TABLE_ID]: (body) => parseCommuneTable(body).problems,
};

/**
 * Validates every file (front matter, ids, anchors, sources) and every internal link `[..](doc-id#anchor)`;
 * collects all problems instead of stopping at the first.
 */
export function checkKnowledgeBase(
  files: readonly KnowledgeFile[],
  { minQuestions = MIN_EXAMPLE_QUESTIONS } = {},
): CheckReport {
  const problems: string[] = [];
  const docs: KnowledgeDoc[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    try {
      const doc = parseKnowledgeFile(file);
      const other = ids.get(doc.meta.id);
      if (other) problems.push(`${file.name}: id "${doc.meta.id}" is also used by ${other}`);
      ids.set(doc.meta.id, file.name);
      docs.push(doc);
    } catch (err) {
      if (err instanceof KnowledgeFormatError) problems.push(err.message);
      else throw err;
    }
  }
  const targets = new Set<string>();
  for (const d of docs) {
    targets.add(d.meta.id);
    for (const p of d.passages) targets.add(p.id);
    for (const s of d.data) targets.add(`${s.docId}#${s.anchor}`);
  }
  for (const d of docs) {
    for (const p of d.passages) {
      if (p.text.length > 1200) problems.push(`${p.id}: passage is ${p.text.length} characters long (at most 1200)`);
      for (const m of p.text.matchAll(LINK)) {
        const target = m[1]!;
        if (/^https?:\/\//.test(target)) continue;
        const id = target.replace(/\.md(?=#|$)/, '').replace(/^\.\//, '');
        if (!targets.has(id)) problems.push(`${p.id}: link "${target}" points to no section`);
      }
    }
  }
  // Data sections that code reads are checked by the code that reads them.
  for (const s of docs.flatMap((d) => d.data)) {
    const check = DATA_CHECKS[`${s.docId}#${s.anchor}`];
    if (check) problems.push(...check(s.body).map((p) => `${s.docId}#${s.anchor}: ${p}`));
  }
  problems.push(...checkQuestions(docs, minQuestions));
  return {
    files: files.length,
    passages: docs.reduce((n, d) => n + d.passages.length, 0),
    dataSections: docs.reduce((n, d) => n + d.data.length, 0),
    problems,
  };
}

/** One line for citing a passage: "Quyết định 2112/QĐ-UBND (22/11/2019) — https://…". */
export function formatSource(source: SourceRef): string {
  const parts = [source.doc];
  if (source.date) parts[0] += ` (${source.date})`;
  if (source.url) parts.push(source.url);
  return parts.join(' — ');
}
