/** Temporary SQLite databases for tests: each in its own temp folder, closed and removed after the file's tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { databaseFile, openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.js';

const opened: SqliteDatabase[] = [];
const folders: string[] = [];

afterAll(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh, empty data folder (removed after the test file). */
export function tempDataDir(name = 'data'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ocop-${name}-`));
  folders.push(dir);
  return dir;
}

/** Opens (and closes after the test file) a database: ':memory:' or a file path. */
export function openTestDatabase(file: string): SqliteDatabase {
  const db = openDatabase(file);
  opened.push(db);
  return db;
}

/** A database file in a fresh temp folder. */
export function tempDatabaseFile(): string {
  return databaseFile(tempDataDir('db'));
}
