/**
 * A second message read as the engine reads it after the first was answered: in the context of the first answer's
 * reading, cited passage and body (engine.ts answerQuestion, `reader.topicOf`).
 */
import type { Reading } from '../../src/core/understanding/reading.js';
import { assistant } from './app.js';

export function afterAnswer(first: string, second: string): Reading {
  const answerer = assistant().answerer;
  const r = answerer.reader;
  const a = answerer.answer(r.read(first));
  const now = Date.now();
  return r.readInContext(second, { previous: r.topicOf(a.reading, a.sources[0]?.id, now, a.body), now });
}
