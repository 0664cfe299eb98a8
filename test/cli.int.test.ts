/** The command line as people and scripts use it: a real child process, right after `npm ci`. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseFile, openDatabase } from '../src/adapters/sqlite/database.js';
import { SqliteSubmissionStore } from '../src/adapters/sqlite/sqlite-submission-store.js';
import { openTestDatabase, tempDataDir } from './support/sqlite.js';
import { MARCH_5_2026, sampleForm } from './support/submissions.js';

const BIN = new URL('../bin/ocop-bot.mjs', import.meta.url).pathname;

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, REDIS_URL: '', DATA_DIR: tempDataDir('cli'), ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(input ?? '');
  });
}

describe('ocop-bot CLI', () => {
  it('ask --jsonl prints one JSON line per question, with sources or an abstention', async () => {
    const { code, stdout } = await cli(['ask', '--jsonl'], 'OCOP là gì?\n\nHướng dẫn tôi nấu phở bò\n');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0]).sort()).toEqual(['abstained', 'answer', 'question', 'sources']);
    expect(lines[0]).toMatchObject({ question: 'OCOP là gì?', abstained: false });
    expect(Object.keys(lines[0].sources[0]).sort()).toEqual(['id', 'source', 'title']);
    expect(lines[1]).toMatchObject({ abstained: true, sources: [] });
  });

  it('ask "câu hỏi" prints the answer for a person', async () => {
    const { code, stdout } = await cli(['ask', 'kinh phí đề án ocop cao bằng']);
    expect(code).toBe(0);
    expect(stdout).toContain('326 tỷ 325 triệu');
    expect(stdout).toContain('Nguồn:');
  });

  it('kb export --jsonl prints every indexed passage', async () => {
    const { code, stdout } = await cli(['kb', 'export', '--jsonl']);
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['id', 'source', 'text', 'title']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it('kb check passes on the repository knowledge base', async () => {
    const { code, stdout } = await cli(['kb', 'check']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 problems/);
  });

  it('kb check fails on a scoring sheet whose parts do not add up, naming the sheet and the part', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-'));
    try {
      const knowledge = new URL('../knowledge', import.meta.url).pathname;
      cpSync(knowledge, dir, { recursive: true });
      const file = join(dir, 'bo-tieu-chi', 'bo-01-rau-cu-qua-hat-tuoi.yaml');
      // Section 1 of part A is worth 18: make it 19, so part A's sections add up to 41.
      const text = readFileSync(file, 'utf8');
      const broken = text.replace(/(title: Tổ chức sản xuất\n\s+points: )18/, '$119');
      expect(broken).not.toBe(text);
      writeFileSync(file, broken);
      const { code, stdout, stderr } = await cli(['kb', 'check'], undefined, { KNOWLEDGE_DIR: dir });
      expect(code).toBe(1);
      expect(stdout).toMatch(/[1-9]\d* problems/);
      expect(stderr).toContain('bo-tieu-chi/bo-01-rau-cu-qua-hat-tuoi.yaml: part A: sections add up to 41, not 40');
      expect(stderr).toContain('A.1: criteria add up to 18, not 19');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with a message naming the setting when the configuration is invalid', async () => {
    const { code, stderr } = await cli(['ask', 'OCOP là gì?'], undefined, { PORT: 'abc' });
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
  });

  it('chat runs a terminal conversation through the engine', async () => {
    // Choices are numbered lines; "1" picks "Hỏi về OCOP", whose topics are numbered in turn.
    const { code, stdout } = await cli(['chat'], '1\n1\nmật ong thuộc nhóm nào\n');
    expect(code).toBe(0);
    expect(stdout).toContain('1. Hỏi về OCOP');
    expect(stdout).toContain('1. OCOP là gì?');
    expect(stdout).toContain('Nguồn:');
    expect(stdout).toMatch(/Thực phẩm/);
  });

  it('backup <file> copies the database while it is open and written to, and says where', async () => {
    const dataDir = tempDataDir('backup-src');
    // The "server": a connection that has written in WAL mode and is still open (nothing checkpointed yet).
    const live = openTestDatabase(databaseFile(dataDir));
    const store = new SqliteSubmissionStore(live);
    for (const key of ['a', 'b'])
      await store.create({ channel: 'web', userId: 'u', form: sampleForm(), idempotencyKey: key, at: MARCH_5_2026 });
    const target = join(tempDataDir('backup-dst'), 'nested', 'copy.db');
    const { code, stdout } = await cli(['backup', target], undefined, { DATA_DIR: dataDir });
    expect(code).toBe(0);
    expect(stdout).toContain(`written to ${target}`);
    const copy = openDatabase(target);
    try {
      expect((await new SqliteSubmissionStore(copy).list()).map((s) => s.id)).toEqual([
        'OCOP-CB-2026-000002',
        'OCOP-CB-2026-000001',
      ]);
    } finally {
      copy.close();
    }
  });

  it('backup refuses with a reason: no file given, no database yet, or DATA_DIR in memory', async () => {
    expect((await cli(['backup'])).code).toBe(2);
    const empty = await cli(['backup', join(tempDataDir('backup-none'), 'x.db')], undefined, {
      DATA_DIR: join(tempDataDir('backup-missing'), 'nothing-here'),
    });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no database at');
    const memory = await cli(['backup', join(tempDataDir('backup-mem'), 'x.db')], undefined, { DATA_DIR: ':memory:' });
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain(':memory:');
  });
});
