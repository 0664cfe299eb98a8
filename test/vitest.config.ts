import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Two projects: `unit` (no services, seconds: `npm run test:unit`, `npm run test:watch`) and `integration`
 * (`*.int.test.ts`: a real Redis, local Bot API and OpenAI-compatible servers, Chromium, child processes).
 * `npm test` runs both.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  test: {
    root,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one Redis and start servers: keep files in separate workers, but not too many
    // at once for a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/**/*.int.test.ts'], isolate: false },
      },
      // Child processes start slowly on a busy machine: these timeouts only guard against hangs.
      {
        extends: true,
        // The setup file checks each file's debug log for phone numbers and e-mail addresses.
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          setupFiles: ['test/support/log-check.setup.ts'],
        },
      },
    ],
  },
});
