/**
 * The integration tests' logger: with the capture on (test/support/log-check.setup.ts turns it on for every
 * integration test file), a real debug-level logger of src/logger.ts, masking included, writing into memory,
 * so the file's log can be searched for personal data after its tests; otherwise the silent logger.
 */
import { Writable } from 'node:stream';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { createLogger } from '../../src/logger.js';

const lines: string[] = [];
let capturing: Logger | undefined;

export function startLogCapture(): void {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      done();
    },
  });
  capturing = createLogger('debug', sink);
}

/** The logger test apps are built with. */
export function testLogger(): Logger {
  return capturing ?? silentLogger;
}

/** Every line logged so far by this test file. */
export function capturedLines(): readonly string[] {
  return lines;
}
