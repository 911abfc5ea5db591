/**
 * The SQLite log: table layout, pragmas and prepared statements for the sqlite backend.
 * One row per write; its id is the revision. Must not decide anything (CAS, batching and
 * compaction policy live in group-commit.ts and compaction.ts) and must not parse values.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { StoreLockedError } from '../errors.js'
import type { KeyValue } from '../store.js'

/**
 * `log`: id = revision (explicit, so AUTOINCREMENT's sqlite_sequence remembers the newest
 * revision even after compaction removed its row); prev_revision = id of the key's previous
 * row (0 for the first); a delete is a row with deleted = 1 carrying the last value.
 * `log_key_id` serves "latest row per key" (key = ? ORDER BY id DESC) and prefix scans.
 * `meta` holds the compact revision and how far compaction has swept.
 */
const ddl = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`

/** A row as the statements return it. */
export interface LogRow {
  id: number
  key: string
  create_revision: number
  deleted: number
  value: string
}

/** A log row joined with the row it replaced (p_* are null when there is none). */
export interface EventRow extends LogRow {
  p_id: number | null
  p_create_revision: number | null
  p_deleted: number | null
  p_value: string | null
}

/** Opens (creating if needed) a database file for durable writes: WAL, fsync on every commit, exclusively locked. Throws StoreLocked when another process holds it. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const db = new Database(path)
  try {
    // EXCLUSIVE: the file lock is held until close, so a second process fails here instead of
    // forking the revision sequence; the kernel drops it if this process dies.
    db.pragma('busy_timeout = 500')
    db.pragma('locking_mode = EXCLUSIVE')
    db.pragma('journal_mode = WAL')
    // FULL: the WAL is fsynced at every COMMIT, so an acknowledged write survives power loss.
    db.pragma('synchronous = FULL')
    db.pragma('journal_size_limit = 67108864')
    db.exec(ddl)
  } catch (err) {
    db.close()
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new StoreLockedError(path, { cause: err })
    throw err
  }
  return db
}

/** Every statement the backend runs, prepared once per connection. */
export class Statements {
  readonly begin: Database.Statement
  readonly commit: Database.Statement
  readonly rollback: Database.Statement
  /** (key) → newest row of key. */
  readonly latest: Database.Statement<[string], LogRow>
  /** (id, key, create_revision, prev_revision, deleted, value). */
  readonly insert: Database.Statement<[number, string, number, number, number, string]>
  /** (name) → value. */
  readonly getMeta: Database.Statement<[string], number>
  /** (name, value). */
  readonly setMeta: Database.Statement<[string, number]>
  /** (after, upto) → id, prev_revision, deleted of each row in the window, for compaction. */
  readonly sweepWindow: Database.Statement<[number, number], { id: number; prev_revision: number; deleted: number }>
  /** (id). */
  readonly deleteRow: Database.Statement<[number]>
  private readonly variants = new Map<string, Database.Statement>()

  constructor(private readonly db: Database.Database) {
    this.begin = db.prepare('BEGIN IMMEDIATE')
    this.commit = db.prepare('COMMIT')
    this.rollback = db.prepare('ROLLBACK')
    this.latest = db.prepare<[string], LogRow>(
      'SELECT id, key, create_revision, deleted, value FROM log WHERE key = ? ORDER BY id DESC LIMIT 1',
    )
    this.insert = db.prepare(
      'INSERT INTO log (id, key, create_revision, prev_revision, deleted, value) VALUES (?, ?, ?, ?, ?, ?)',
    )
    this.getMeta = db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck()
    this.setMeta = db.prepare(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    )
    this.sweepWindow = db.prepare('SELECT id, prev_revision, deleted FROM log WHERE id > ? AND id <= ?')
    this.deleteRow = db.prepare('DELETE FROM log WHERE id = ?')
  }

  /** The newest revision ever written (survives compaction of its row). */
  headRevision(): number {
    const seq = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'log'").pluck().get() as
      | number
      | undefined
    const max = this.db.prepare('SELECT max(id) FROM log').pluck().get() as number | null
    return Math.max(seq ?? 0, max ?? 0)
  }

  /**
   * Live rows at a revision under a key range, in key order: the newest row of each key at or
   * below @rev, unless it is a tombstone. Binds { ...rangeBinding(range), rev, limit }.
   * The recursive CTE walks distinct keys with one index seek each (a loose index scan), so a
   * key's history length does not slow the list. NOTE: no ORDER BY on purpose: each key is
   * derived from the one before, so the CTE yields keys ascending, and a sort would defeat LIMIT.
   */
  listAt(range: KeyRange): Database.Statement<[Record<string, string | number>], LogRow> {
    const hi = range.hi === undefined ? '' : ' AND key < @hi'
    return this.variant(
      `list:${range.exclusiveLo}:${hi !== ''}`,
      `WITH RECURSIVE k(key) AS (
         SELECT (SELECT min(key) FROM log WHERE key ${range.exclusiveLo ? '>' : '>='} @lo${hi})
         UNION ALL
         SELECT (SELECT min(key) FROM log WHERE key > k.key${hi}) FROM k WHERE k.key IS NOT NULL
       )
       SELECT l.id, l.key, l.create_revision, l.deleted, l.value FROM k
       JOIN log l ON l.id = (SELECT max(m.id) FROM log m WHERE m.key = k.key AND m.id <= @rev)
       WHERE l.deleted = 0 LIMIT @limit`,
    ) as Database.Statement<[Record<string, string | number>], LogRow>
  }

  /** How many keys listAt would return without a limit. Binds { ...rangeBinding(range), rev }. */
  countAt(range: KeyRange): Database.Statement<[Record<string, string | number>], number> {
    const hi = range.hi === undefined ? '' : ' AND key < @hi'
    const stmt = this.variant(
      `count:${range.exclusiveLo}:${hi !== ''}`,
      `SELECT count(*) FROM (
         SELECT max(id) AS id FROM log WHERE key ${range.exclusiveLo ? '>' : '>='} @lo${hi} AND id <= @rev GROUP BY key
       ) m JOIN log l ON l.id = m.id WHERE l.deleted = 0`,
    )
    return stmt.pluck() as Database.Statement<[Record<string, string | number>], number>
  }

  /** Rows in (after, upto] under a key range, with the rows they replaced, in revision order. Params: (after, upto, ...rangeParams, limit). */
  eventsIn(range: KeyRange): Database.Statement<unknown[], EventRow> {
    const keyFilter = range.lo === '' && range.hi === undefined ? '' : ` AND ${rangeWhere('l.key', range)}`
    return this.variant(
      `events:${keyFilter !== ''}:${range.hi !== undefined}`,
      'SELECT l.id, l.key, l.create_revision, l.deleted, l.value, p.id AS p_id, ' +
        'p.create_revision AS p_create_revision, p.deleted AS p_deleted, p.value AS p_value ' +
        `FROM log l LEFT JOIN log p ON p.id = l.prev_revision WHERE l.id > ? AND l.id <= ?${keyFilter} ORDER BY l.id LIMIT ?`,
    ) as Database.Statement<unknown[], EventRow>
  }

  private variant(name: string, sql: string): Database.Statement {
    let s = this.variants.get(name)
    if (!s) this.variants.set(name, (s = this.db.prepare(sql)))
    return s
  }
}

/** A key interval: lo (inclusive, or exclusive when exclusiveLo) up to hi (exclusive, unbounded when undefined). */
export interface KeyRange {
  lo: string
  exclusiveLo: boolean
  hi: string | undefined
}

/** The positional parameters a KeyRange contributes, in the order rangeWhere expects them. */
export function rangeParams(range: KeyRange): string[] {
  return range.hi === undefined ? [range.lo] : [range.lo, range.hi]
}

/** The named parameters (@lo, @hi) a KeyRange binds in listAt and countAt. */
export function rangeBinding(range: KeyRange): Record<string, string> {
  return range.hi === undefined ? { lo: range.lo } : { lo: range.lo, hi: range.hi }
}

function rangeWhere(col: string, range: KeyRange): string {
  const lo = `${col} ${range.exclusiveLo ? '>' : '>='} ?`
  return range.hi === undefined ? lo : `${lo} AND ${col} < ?`
}

/** The keys under prefix, optionally strictly after startAfter. */
export function prefixRange(prefix: string, startAfter?: string): KeyRange {
  const hi = prefixEnd(prefix)
  if (startAfter !== undefined && startAfter >= prefix) return { lo: startAfter, exclusiveLo: true, hi }
  return { lo: prefix, exclusiveLo: false, hi }
}

/**
 * The smallest string above every key that starts with prefix (undefined for ''). SQLite compares
 * UTF-8 bytes, which order like code points, so bumping the last code point works below the
 * surrogates. NOTE: beyond that, U+10FFFF is appended: keys with that exact character after the
 * prefix would be missed, a trade for a plain indexed range.
 */
export function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined
  const last = prefix.charCodeAt(prefix.length - 1)
  if (last < 0xd7ff) return prefix.slice(0, -1) + String.fromCharCode(last + 1)
  return `${prefix}\u{10FFFF}`
}

/** A KeyValue from a log row, with modRevision = the row's id. */
export function rowToKv(row: Pick<LogRow, 'id' | 'key' | 'create_revision' | 'value'>): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_revision, modRevision: row.id }
}
