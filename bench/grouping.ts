/**
 * The officers' "what producers ask that the bot could not answer": grouping 5,000 logged questions (the labelled
 * questions typed 8 ways, two seeds), against a plain baseline in the same run — grouping by the exact folded text.
 * The budget (200 ms for 5,000 questions, which the console asks for on every refresh) used to be a test assertion;
 * it lives here so that a busy CI machine never decides a test.
 */
import { groupQuestions } from '../src/core/insights/grouping.js';
import type { LoggedQuestion } from '../src/core/insights/question-log.js';
import { foldText } from '../src/core/text/vietnamese.js';
import { generateVariants, type LabelledQuestion } from '../test/support/variants.js';

export interface GroupingBench {
  questions: number;
  groups: number;
  plainGroups: number;
  medianMs: number;
  plainMedianMs: number;
  budgetMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runGroupingBench(base: readonly LabelledQuestion[], rounds = 7): GroupingBench {
  const variants = [...generateVariants(base, 1), ...generateVariants(base, 2)].slice(0, 5000);
  const questions = variants.map(
    (v, i): LoggedQuestion => ({ channel: 'telegram', text: v.q, at: 1_700_000_000_000 + i * 1000 }),
  );
  const ours: number[] = [];
  const plain: number[] = [];
  let groups = 0;
  let plainGroups = 0;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    groups = groupQuestions(questions, { maxExamples: 100 }).length;
    ours.push(performance.now() - t);
    t = performance.now();
    const byText = new Map<string, number>();
    for (const q of questions) {
      const key = foldText(q.text);
      byText.set(key, (byText.get(key) ?? 0) + 1);
    }
    plainGroups = byText.size;
    plain.push(performance.now() - t);
  }
  return {
    questions: questions.length,
    groups,
    plainGroups,
    medianMs: median(ours),
    plainMedianMs: median(plain),
    budgetMs: 200,
  };
}
