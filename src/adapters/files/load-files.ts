/** Reads the knowledge base and the prompts from disk. The only place that knows where they live. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildKnowledgeBase, type KnowledgeBase, type KnowledgeFile } from '../../core/knowledge/knowledge-base.js';
import { messagesSchema, type Messages } from '../../core/messages.js';
import { checkSheets, type ScoringSheet } from '../../core/scoring/sheet.js';
import { checkTextsSchema, type CheckTexts } from '../../core/checks/texts.js';

/** The folder of knowledge/ that holds the QĐ 148 scoring sheets, one YAML file per set. */
export const SHEETS_DIR = 'bo-tieu-chi';

/** The scoring sheets' files, parsed as YAML (a file that is no YAML is named in the problems). */
export function readScoringSheetFiles(knowledgeDir: string): {
  files: { name: string; value: unknown }[];
  problems: string[];
} {
  const dir = join(knowledgeDir, SHEETS_DIR);
  if (!existsSync(dir)) return { files: [], problems: [`${SHEETS_DIR}/: folder missing`] };
  const files: { name: string; value: unknown }[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    try {
      files.push({ name: `${SHEETS_DIR}/${name}`, value: parseYaml(readFileSync(join(dir, name), 'utf8')) as unknown });
    } catch (err) {
      problems.push(`${SHEETS_DIR}/${name}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { files, problems };
}

/** The scoring sheets, checked; throws naming every problem (kb check reports them without throwing). */
export function loadScoringSheets(knowledgeDir: string): ScoringSheet[] {
  const read = readScoringSheetFiles(knowledgeDir);
  const { sheets, problems } = checkSheets(read.files);
  const all = [...read.problems, ...problems];
  if (all.length) throw new Error(`scoring sheets: ${all.join('; ')}`);
  return sheets;
}

export function readKnowledgeFiles(dir: string): KnowledgeFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}

export function loadKnowledgeBase(dir: string): KnowledgeBase {
  return buildKnowledgeBase(readKnowledgeFiles(dir));
}

export function loadMessages(promptsDir: string): Messages {
  const raw = parseYaml(readFileSync(join(promptsDir, 'messages.yaml'), 'utf8')) as unknown;
  const parsed = messagesSchema.safeParse(raw);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`prompts/messages.yaml: missing or invalid keys: ${keys}`);
  }
  return parsed.data;
}

export function loadPrompt(promptsDir: string, name: string): string {
  return readFileSync(join(promptsDir, name), 'utf8');
}

/** The texts and eligibility questions of the two checks (prompts/checks.yaml). */
export function loadCheckTexts(promptsDir: string): CheckTexts {
  const raw = parseYaml(readFileSync(join(promptsDir, 'checks.yaml'), 'utf8')) as unknown;
  const parsed = checkTextsSchema.safeParse(raw);
  if (!parsed.success) {
    const keys = parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ');
    throw new Error(`prompts/checks.yaml: missing or invalid keys: ${keys}`);
  }
  return parsed.data;
}

/** The officer console's texts (prompts/console.yaml): a map of strings and maps of strings. */
export function loadConsoleTexts(promptsDir: string): Record<string, unknown> {
  const raw = parseYaml(readFileSync(join(promptsDir, 'console.yaml'), 'utf8')) as unknown;
  const valid = (v: unknown, depth: number): boolean =>
    typeof v === 'string' ||
    (depth > 0 &&
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v) &&
      Object.values(v).every((x) => valid(x, depth - 1)));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !valid(raw, 2)) {
    throw new Error('prompts/console.yaml: expected keys with texts (or maps of texts)');
  }
  return raw as Record<string, unknown>;
}
