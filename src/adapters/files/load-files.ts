/** Reads the knowledge base and the prompts from disk. The only place that knows where they live. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildKnowledgeBase, type KnowledgeBase, type KnowledgeFile } from '../../core/knowledge/knowledge-base.js';
import { messagesSchema, type Messages } from '../../core/messages.js';

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
