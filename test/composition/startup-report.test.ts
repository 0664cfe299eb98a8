/** What the server says at start-up about where things are kept, the console and officer sign-in. */
import { describe, expect, it } from 'vitest';
import { maskRedisUrl, startupReport } from '../../src/composition/startup-report.js';
import { parseConfig } from '../../src/config.js';

const text = (lines: ReturnType<typeof startupReport>) => lines.map((l) => `${l.level} ${l.message}`).join('\n');

describe('start-up report', () => {
  it('names the SQLite file, the console address and that sign-in is set up, without the token', () => {
    const config = parseConfig({ ADMIN_TOKEN: 'a-very-secret-officer-token' });
    const report = text(startupReport(config, { kind: 'sqlite', file: '/srv/ocop/data/ocop.db' }, 3000));
    expect(report).toContain(
      'info submissions, subscribers, questions, announcements, officer accounts and forms in progress: SQLite /srv/ocop/data/ocop.db',
    );
    expect(report).toContain("info officers' console: http://127.0.0.1:3000/admin");
    expect(report).toContain('info officer sign-in: ADMIN_TOKEN is set');
    expect(report).not.toContain('a-very-secret-officer-token');
    expect(report).not.toMatch(/^warn/m);
  });

  it('warns when everything is in memory and when officer sign-in is not set up', () => {
    const config = parseConfig({ DATA_DIR: ':memory:', HOST: '0.0.0.0', PORT: '8080' });
    const lines = startupReport(config, { kind: 'memory' }, 8080);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringContaining('memory — LOST ON RESTART'),
      expect.stringContaining('officer sign-in is not set up: set ADMIN_TOKEN'),
    ]);
    // A wildcard address is opened in a browser on the machine itself.
    expect(text(lines)).toContain('http://127.0.0.1:8080/admin');
  });

  it('shows the Redis URL with its password masked', () => {
    const config = parseConfig({ REDIS_URL: 'redis://default:s3cret-pass@redis.internal:6380/2', REDIS_PREFIX: 'cb' });
    const report = text(startupReport(config, { kind: 'redis' }, 3000));
    expect(report).toContain('Redis redis://default:***@redis.internal:6380/2 (prefix cb');
    expect(report).not.toContain('s3cret-pass');
    expect(maskRedisUrl('rediss://ops:pw@h:1')).toBe('rediss://***:***@h:1');
    expect(maskRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
