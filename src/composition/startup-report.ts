/**
 * What `ocop-bot serve` tells the operator once it listens, in plain words: where submissions, subscribers and
 * questions are kept (and a warning when that is memory, lost on restart), the officers' console address, and
 * whether officer sign-in is set up. Never a secret: the Redis password is masked and ADMIN_TOKEN is only
 * said to be set or not.
 */
import type { Config } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { Stores } from './stores.js';

export interface ReportLine {
  level: 'info' | 'warn';
  fields: Record<string, unknown>;
  message: string;
}

/** A Redis URL with its user name and password replaced, for logs. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    if (u.username && u.username !== 'default') u.username = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis (unreadable URL)';
  }
}

/** The host a person types into a browser: a wildcard address is reached on the machine itself. */
function browsable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return '127.0.0.1';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function startupReport(
  config: Config,
  storage: { kind: Stores['kind']; file?: string },
  port: number,
): ReportLine[] {
  const kept = 'submissions, subscribers, questions, announcements, officer accounts and forms in progress';
  const lines: ReportLine[] = [];
  if (storage.kind === 'sqlite')
    lines.push({
      level: 'info',
      fields: { store: 'sqlite', file: storage.file },
      message: `${kept}: SQLite ${storage.file} (kept across restarts; copy it with "ocop-bot backup <file>")`,
    });
  else if (storage.kind === 'redis')
    lines.push({
      level: 'info',
      fields: { store: 'redis', prefix: config.REDIS_PREFIX },
      message: `${kept}: Redis ${maskRedisUrl(config.REDIS_URL ?? '')} (prefix ${config.REDIS_PREFIX}; shared by every process; turn AOF on so a Redis restart keeps them)`,
    });
  else
    lines.push({
      level: 'warn',
      fields: { store: 'memory' },
      message: `${kept}: memory — LOST ON RESTART (DATA_DIR=:memory:); unset DATA_DIR to keep them in data/ocop.db`,
    });
  lines.push({
    level: 'info',
    fields: { console: `http://${browsable(config.HOST)}:${port}/admin` },
    message: `officers' console: http://${browsable(config.HOST)}:${port}/admin`,
  });
  if (config.ADMIN_TOKEN)
    lines.push({ level: 'info', fields: { signIn: true }, message: 'officer sign-in: ADMIN_TOKEN is set' });
  else
    lines.push({
      level: 'warn',
      fields: { signIn: false },
      message: 'officer sign-in is not set up: set ADMIN_TOKEN to open the console and the officer API',
    });
  return lines;
}

export function logStartupReport(logger: Logger, lines: ReportLine[]): void {
  for (const line of lines) logger[line.level](line.fields, line.message);
}
