/** The shared shape of the form's sub-dialogs (commune, product group). */
import type { Button, Reply } from '../conversation.js';
import type { ProductClassifier } from '../knowledge/classifier.js';
import type { Messages } from '../messages.js';
import type { CommuneDirectory } from './commune-directory.js';
import type { Draft } from './draft.js';
import type { Reading } from '../understanding/reading.js';

/** What a step's sub-dialog needs from the form: its texts, its data and how the step is numbered. */
export interface StepContext {
  m: Messages;
  directory: CommuneDirectory;
  classifier?: ProductClassifier;
  /** The question with "Bước n/15" before it. */
  stepText(draft: Draft, question: string): string;
}

/** What a step made of an answer: `done` when the field got its value, `replies` when a sub-question was asked. */
export interface StepResult {
  done?: boolean;
  replies?: Reply[];
}

export const button = (label: string, value: string): Button => ({ label, value });

/** A question asked in the middle of the form ("ocop là gì", "… bao nhiêu điểm thì được 3 sao?"). */
export function looksLikeQuestion(reading: Reading | undefined): boolean {
  if (!reading) return false;
  return /\?\s*$/.test(reading.typed) || reading.answerTypes.length > 0;
}
