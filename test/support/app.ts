/** Builds the real assistant from the repository's knowledge/ and prompts/, as the entry points do. */
import { parseConfig, type Config } from '../../src/config.js';
import { createApp, createAssistant, type App, type Assistant } from '../../src/app.js';
import { silentLogger } from '../../src/core/logger.js';

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return parseConfig({ LOG_LEVEL: 'silent', ...env });
}

let shared: Assistant | undefined;

/** One assistant per test file (building the index takes ~100 ms). */
export function assistant(): Assistant {
  shared ??= createAssistant(testConfig(), silentLogger);
  return shared;
}

export function app(env: Record<string, string | undefined> = {}): App {
  return createApp(testConfig(env), silentLogger);
}

/** A unique Redis prefix per test, so parallel tests never share keys. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
