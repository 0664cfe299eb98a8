/** Loads the labelled question fixtures (test/fixtures/questions/*.jsonl). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelledQuestion } from './variants.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function loadQuestions(): { answerable: LabelledQuestion[]; offTopic: LabelledQuestion[] } {
  const dir = join(FIXTURES, 'questions');
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as LabelledQuestion),
    );
  return { answerable: all.filter((q) => q.ids.length > 0), offTopic: all.filter((q) => q.ids.length === 0) };
}
