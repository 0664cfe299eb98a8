/**
 * The verdict of "Kiểm tra điều kiện tham gia OCOP" from its answers: ready, ready after N steps, or not eligible
 * yet, with each step and the office to ask. Pure: the questions and their outcomes are data (prompts/checks.yaml).
 */
import type { EligibilityQuestion, Sector } from './texts.js';

export interface EligibilityStep {
  step: string;
  office: string;
}

export interface EligibilityVerdict {
  kind: 'ready' | 'steps' | 'blocked';
  blockers: EligibilityStep[];
  steps: EligibilityStep[];
  notes: string[];
  skipped: number;
}

/** The questions asked for a kind of product, in order. */
export function questionsFor(questions: readonly EligibilityQuestion[], sector: Sector): EligibilityQuestion[] {
  return questions.filter((q) => !q.sectors || q.sectors.includes(sector));
}

/** `answers` holds the chosen option's index per question id, or null for a skipped question. */
export function eligibilityVerdict(
  questions: readonly EligibilityQuestion[],
  answers: Readonly<Record<string, number | null>>,
): EligibilityVerdict {
  const blockers: EligibilityStep[] = [];
  const steps: EligibilityStep[] = [];
  const notes: string[] = [];
  let skipped = 0;
  for (const q of questions) {
    const i = answers[q.id];
    if (i === null || i === undefined) {
      skipped += 1;
      continue;
    }
    const option = q.options[i];
    if (!option) continue;
    if (option.note) notes.push(option.note);
    if (option.outcome === 'ok') continue;
    const step = { step: option.step!, office: option.office! };
    // The same step reached from two questions is one step.
    const list = option.outcome === 'blocker' ? blockers : steps;
    if (!list.some((s) => s.step === step.step)) list.push(step);
  }
  const kind = blockers.length ? 'blocked' : steps.length ? 'steps' : 'ready';
  return { kind, blockers, steps, notes, skipped };
}
