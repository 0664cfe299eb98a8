/**
 * The grading rule of ../shared/eval/grade.mjs, in the repository so that tests and the benchmark can use it on
 * a fresh clone: an answer passes when it did not abstain, cites a source, and its text (without the citation)
 * contains, for every group in `must`, at least one alternative. Matching ignores case, diacritics (đ = d) and
 * punctuation, and respects word boundaries. An abstain item passes when the assistant abstained.
 */

export interface GradedItem {
  kind: 'answer' | 'abstain';
  must: string[][];
}

export interface GradedAnswer {
  answer: string;
  sources: { title?: string; source?: string }[];
  abstained: boolean;
}

export function normalizeForGrading(text: string): string {
  return ` ${String(text ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/** The answer's text without its citation (the "Nguồn:" lines and the cited sources' titles). */
export function answerBody(answer: GradedAnswer): string {
  let body = answer.answer;
  for (const src of answer.sources) for (const v of [src.source, src.title]) if (v) body = body.split(v).join(' ');
  return body
    .split('\n')
    .filter((line) => !/^\s*(nguồn|nguon)\s*:/i.test(line))
    .join('\n');
}

/** Whether the text contains, for every group, one of its alternatives. */
export function containsAll(text: string, must: readonly (readonly string[])[]): string | undefined {
  const t = normalizeForGrading(text);
  for (const group of must)
    if (!group.some((alt) => t.includes(normalizeForGrading(alt)))) return `missing one of ${JSON.stringify(group)}`;
  return undefined;
}

export function gradeOne(item: GradedItem, answer: GradedAnswer | undefined): { pass: boolean; why?: string } {
  if (!answer) return { pass: false, why: 'no answer' };
  if (item.kind === 'abstain') return answer.abstained ? { pass: true } : { pass: false, why: 'should have abstained' };
  if (answer.abstained) return { pass: false, why: 'abstained' };
  if (answer.sources.length === 0) return { pass: false, why: 'no source cited' };
  const missing = containsAll(answerBody(answer), item.must);
  return missing ? { pass: false, why: missing } : { pass: true };
}
