/**
 * deploy/backup.sh and deploy/redis.conf as the operator's guide uses them: a Redis started from the shipped
 * config (AOF on, password, noeviction) is backed up by the script (BGSAVE, dump.rdb and the AOF directory),
 * the copy restores into a fresh Redis with the data, a refused password fails the run, and only the
 * script's own old copies are removed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../support/app.js';
import { killLeftovers } from '../support/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(root, 'deploy/backup.sh');

interface Run {
  code: number;
  output: string;
}

function backup(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [SCRIPT],
      // APP_USER names nobody, so the script runs the CLI as the test's own user.
      { env: { PATH: process.env.PATH ?? '', APP_DIR: root, APP_USER: 'ocop-test-nobody', ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function startRedis(args: string[], url: string): Promise<ChildProcess> {
  const server = spawn('redis-server', args, { stdio: 'ignore' });
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: 1 });
  probe.on('error', () => undefined);
  // Called from beforeAll too, where expect.poll is not available.
  await vi.waitFor(async () => expect(await probe.ping()).toBe('PONG'), { timeout: 20_000, interval: 50 });
  probe.disconnect();
  return server;
}

describe('deploy/backup.sh', () => {
  let dir: string;
  let redisDir: string;
  let backups: string;
  let emptyData: string;
  let confFile: string;
  let port: number;
  let password: string;
  let redis: ChildProcess | undefined;
  let restored: ChildProcess | undefined;
  let client: Redis | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'backup-script-'));
    redisDir = join(dir, 'redis');
    backups = join(dir, 'backups');
    emptyData = join(dir, 'data');
    mkdirSync(redisDir);
    mkdirSync(emptyData);
    port = await freePort();
    password = randomBytes(32).toString('hex');
    // The shipped config with this test's port, folder and password: everything else as an operator installs it.
    const conf = readFileSync(join(root, 'deploy/redis.conf'), 'utf8')
      .replace(/^port 6379$/m, `port ${port}`)
      .replace(/^dir \/var\/lib\/redis$/m, `dir ${redisDir}`)
      .replace(/^requirepass \S+$/m, `requirepass ${password}`);
    expect(conf).toContain(`requirepass ${password}`);
    confFile = join(dir, 'ocop.conf');
    writeFileSync(confFile, conf);
    redis = await startRedis([confFile], `redis://:${password}@127.0.0.1:${port}`);
    client = new Redis(`redis://:${password}@127.0.0.1:${port}`);
  });

  afterAll(async () => {
    client?.disconnect();
    await killLeftovers([redis, restored]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the shipped redis.conf turns on AOF every second, a password and noeviction', async () => {
    expect(await client!.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client!.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    expect(await client!.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    const anonymous = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
    anonymous.on('error', () => undefined);
    await expect(anonymous.get('x')).rejects.toThrow(/NOAUTH/);
    anonymous.disconnect();
  });

  it('copies dump.rdb and the AOF directory (password read from the config), and the copy restores', async () => {
    await client!.set('ocop:test:submission', 'OCOP-CB-2026-000001');
    const run = await backup({
      DATA_DIR: emptyData,
      BACKUP_DIR: backups,
      REDIS_PORT: String(port),
      REDIS_CONF: confFile,
    });
    expect(run.output).toContain('SQLite: no ');
    expect(run.code).toBe(0);
    const files = readdirSync(backups);
    const rdb = files.find((f) => /^redis-\d{8}-\d{6}\.rdb\.gz$/.test(f));
    expect(rdb).toBeDefined();
    expect(files.some((f) => /^redis-aof-\d{8}-\d{6}\.tar\.gz$/.test(f))).toBe(true);
    const dump = gunzipSync(readFileSync(join(backups, rdb!)));
    expect(dump.subarray(0, 5).toString()).toBe('REDIS');

    // Restore as the guide says for an RDB copy: a fresh Redis, AOF off, reading dump.rdb.
    const restoreDir = join(dir, 'restore');
    mkdirSync(restoreDir);
    writeFileSync(join(restoreDir, 'dump.rdb'), dump);
    const restorePort = await freePort();
    const args = ['--port', String(restorePort), '--bind', '127.0.0.1', '--dir', restoreDir, '--appendonly', 'no'];
    restored = await startRedis(args, `redis://127.0.0.1:${restorePort}`);
    const check = new Redis(`redis://127.0.0.1:${restorePort}`);
    expect(await check.get('ocop:test:submission')).toBe('OCOP-CB-2026-000001');
    check.disconnect();
  });

  it('fails (exit 1) when Redis refuses the password', async () => {
    const run = await backup({
      DATA_DIR: emptyData,
      BACKUP_DIR: join(dir, 'refused'),
      REDIS_PORT: String(port),
      REDIS_PASSWORD: 'not-the-password',
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('password was refused');
  });

  it('removes its own copies older than KEEP_DAYS, and nothing else', async () => {
    const kept = join(dir, 'kept');
    mkdirSync(kept);
    const old = Date.now() / 1000 - 20 * 24 * 3600;
    const files = {
      'ocop-20000101-000000.db.gz': old,
      'redis-20000101-000000.rdb.gz': old,
      'redis-aof-20000101-000000.tar.gz': old,
      'ocop-29990101-000000.db.gz': Date.now() / 1000,
      'notes-from-the-operator.txt': old,
    };
    for (const [name, mtime] of Object.entries(files)) {
      writeFileSync(join(kept, name), 'x');
      utimesSync(join(kept, name), mtime, mtime);
    }
    const run = await backup({ DATA_DIR: emptyData, BACKUP_DIR: kept, KEEP_DAYS: '14', REDIS_BACKUP: 'no' });
    expect(run.code).toBe(0);
    expect(readdirSync(kept).sort()).toEqual(['notes-from-the-operator.txt', 'ocop-29990101-000000.db.gz']);
  });

  it('copies DATA_DIR/ocop.db online with `ocop-bot backup`, and the copy opens', async () => {
    const { default: Database } = await import('better-sqlite3');
    const data = join(dir, 'sqlite-data');
    mkdirSync(data);
    const db = new Database(join(data, 'ocop.db'));
    db.pragma('journal_mode = WAL');
    db.exec("CREATE TABLE probe (code TEXT); INSERT INTO probe VALUES ('OCOP-CB-2026-000002');");
    const out = join(dir, 'sqlite-backups');
    const run = await backup({ DATA_DIR: data, BACKUP_DIR: out, REDIS_BACKUP: 'no' });
    db.close();
    expect(run.code).toBe(0);
    const copy = readdirSync(out).find((f) => /^ocop-\d{8}-\d{6}\.db\.gz$/.test(f));
    expect(copy).toBeDefined();
    writeFileSync(join(out, 'restored.db'), gunzipSync(readFileSync(join(out, copy!))));
    const restoredDb = new Database(join(out, 'restored.db'), { readonly: true });
    expect(restoredDb.prepare('SELECT code FROM probe').get()).toEqual({ code: 'OCOP-CB-2026-000002' });
    restoredDb.close();
  });
});
