// SQL and pragmas for looking after the database file as a whole: integrity
// checks, online backups, and the exclusive lock a restore needs. The core's
// backup.ts and integrity.ts decide what to do; this module only talks to SQLite.
import BetterSqlite3 from 'better-sqlite3'
import type { Database } from './sqlite'
import { APPLICATION_ID } from './sqlite'
import { readMeta } from './meta-repo'

export interface FileIdentity {
  applicationId: number
  userVersion: number
  tableCount: number
}

export interface MaintenanceOpenOptions {
  readonly?: boolean
  nativeBinding?: string
  busyTimeoutMs?: number
}

/**
 * Opens an existing file without configuring or migrating it: a backup is
 * checked as it is, and a damaged live file must not be written to.
 */
export function openExisting(path: string, options: MaintenanceOpenOptions = {}): Database {
  const db = new BetterSqlite3(path, {
    fileMustExist: true,
    readonly: options.readonly ?? false,
    nativeBinding: options.nativeBinding
  })
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
  return db
}

export function readIdentity(db: Database): FileIdentity {
  return {
    applicationId: db.pragma('application_id', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    tableCount: db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number
  }
}

export function isOurs(identity: FileIdentity): boolean {
  return identity.applicationId === APPLICATION_ID
}

/** The key check value stored with the secrets, or null when no secret was ever stored. */
export function readKeyCheck(db: Database): string | null {
  return readMeta(db, 'key_check')
}

/**
 * PRAGMA quick_check (O(n), skips index-to-table cross checks) or the full
 * integrity_check. Returns SQLite's lines: exactly ['ok'] for a sound file.
 */
export function runIntegrityPragma(db: Database, full: boolean, maxErrors = 20): string[] {
  const pragma = full ? 'integrity_check' : 'quick_check'
  const rows = db.pragma(`${pragma}(${Math.max(1, Math.trunc(maxErrors))})`) as Record<string, string>[]
  return rows.map((row) => String(Object.values(row)[0]))
}

/**
 * SQLite's online backup into a new file. All pages are copied in one step,
 * inside one read transaction: the copy is a consistent snapshot even while
 * other processes write (they are not blocked in WAL mode), and a busy
 * directory cannot make the copy restart for ever.
 */
export async function backupInto(db: Database, destination: string): Promise<void> {
  await db.backup(destination, { progress: () => 0x7fffffff })
}

/**
 * A backup file uses a rollback journal, so that opening it read-only (to check
 * it) leaves no -wal or -shm files beside it. The app switches a restored copy
 * back to WAL when it opens it.
 */
export function useRollbackJournal(db: Database): void {
  db.pragma('journal_mode = DELETE')
}

/** Copies everything in the WAL into the main file and empties the WAL. */
export function checkpointTruncate(db: Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)')
}

/**
 * Takes the database file for this connection alone. In WAL mode every open
 * connection holds a shared lock on the file, even while idle, so this fails
 * with SQLITE_BUSY (after the busy timeout) while any other process, such as
 * the desktop app or a running CLI command, has the database open.
 */
export function takeExclusiveLock(db: Database): void {
  db.pragma('locking_mode = EXCLUSIVE')
  db.exec('BEGIN EXCLUSIVE')
  // The lock is taken when the file is first read.
  db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()
}

/** Ends the transaction of takeExclusiveLock; the lock is kept until the connection closes. */
export function endExclusiveTransaction(db: Database): void {
  if (db.inTransaction) db.exec('COMMIT')
}
