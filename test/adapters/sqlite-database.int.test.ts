/** The embedded database: created with its folder, WAL and a busy timeout, migrated once by user_version. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, databaseFile, migrate, openDatabase } from '../../src/adapters/sqlite/database.js';
import { openTestDatabase, tempDataDir } from '../support/sqlite.js';

describe('sqlite database', () => {
  it('creates a missing data folder and the file, in WAL mode with a busy timeout, at the latest schema', () => {
    const file = databaseFile(path.join(tempDataDir(), 'nested', 'data'));
    expect(fs.existsSync(file)).toBe(false);
    const db = openTestDatabase(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('runs only the migrations a database has not had, and refuses a schema newer than it knows', () => {
    const db = openTestDatabase(':memory:');
    db.prepare('INSERT INTO submission_sequences (year, last) VALUES (2026, 7)').run();
    // Opening again (here: migrating again) keeps the data: nothing is created twice.
    expect(migrate(db)).toBe(MIGRATIONS.length);
    const next = [...MIGRATIONS, 'ALTER TABLE submission_sequences ADD COLUMN note TEXT'];
    migrate(db, next);
    expect(db.pragma('user_version', { simple: true })).toBe(next.length);
    expect(db.prepare('SELECT year, last, note FROM submission_sequences').all()).toEqual([
      { year: 2026, last: 7, note: null },
    ]);
    expect(() => migrate(db)).toThrow(/newer/);
  });

  it('rolls a failing migration back whole', () => {
    const db = openTestDatabase(':memory:');
    const broken = [...MIGRATIONS, 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);'];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").all()).toEqual([]);
  });

  it('closes the file again when it cannot be opened as a database', () => {
    const file = path.join(tempDataDir(), 'ocop.db');
    fs.writeFileSync(file, 'not a database, just text that is long enough to be read as a header '.repeat(10));
    expect(() => openDatabase(file)).toThrow();
  });
});
