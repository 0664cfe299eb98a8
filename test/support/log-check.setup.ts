/**
 * Setup of every integration test file: the apps of test/support/app.ts log at debug level into memory, and
 * after the file's tests that log must hold no phone number and no e-mail address (found by an independent
 * detector, not by the masker). A hit fails the file and names the line.
 */
import { afterAll } from 'vitest';
import { capturedLines, startLogCapture } from './log-capture.js';
import { findPersonalData } from './personal-data.js';

startLogCapture();

afterAll(() => {
  const hits = capturedLines().flatMap((line) => findPersonalData(line).map((found) => `${found} in ${line}`));
  if (hits.length > 0) {
    throw new Error(`personal data in the debug log (${hits.length}):\n${hits.slice(0, 10).join('\n')}`);
  }
});
