// Opens the SQLite user directory with the settings every process must share,
// refuses files that are not ours or come from a newer app, and migrates.
import { chmodSync, existsSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import { assertNotNewer, migrate } from './migrations'

export type Database = BetterSqlite3.Database

/** PRAGMA application_id marking a 2FA Admin database: "2FAA" in ASCII. */
export const APPLICATION_ID = 0x32464141

export interface OpenOptions {
  /** A better-sqlite3 binding built for another ABI (the Electron main process). */
  nativeBinding?: string
  /** Milliseconds to wait for another process's write lock before failing. */
  busyTimeoutMs?: number
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const isNew = path !== ':memory:' && !existsSync(path)
  let db: Database
  try {
    db = new BetterSqlite3(path, options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
  } catch (error) {
    throw new AppError('DATABASE_NOT_OURS', `Cannot open the database ${path}: ${(error as Error).message}. Check the path and its permissions.`)
  }
  try {
    // Nothing is written (not even the WAL switch) before the file is known to be ours and not from a newer app.
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    ensureOurs(db, path)
    assertNotNewer(db)
    configure(db)
    migrate(db)
    // Password hashes and encrypted secrets: readable by the owner only. SQLite
    // gives the -wal and -shm files the same permissions as the database.
    if (isNew) chmodSync(path, 0o600)
    return db
  } catch (error) {
    db.close()
    throw translateOpenError(error, path)
  }
}

function configure(db: Database): void {
  db.pragma('foreign_keys = ON')
  // WAL lets readers and one writer work at once; FULL makes each commit durable
  // across power loss, which an admin expects of a change to someone's 2FA.
  const mode = db.pragma('journal_mode = WAL', { simple: true })
  if (typeof mode === 'string' && mode.toLowerCase() !== 'wal' && mode.toLowerCase() !== 'memory') {
    throw new AppError('INTERNAL', `The database could not switch to WAL mode (got ${mode}).`)
  }
  db.pragma('synchronous = FULL')
}

function ensureOurs(db: Database, path: string): void {
  const applicationId = db.pragma('application_id', { simple: true }) as number
  const userVersion = db.pragma('user_version', { simple: true }) as number
  const tableCount = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n
  const isEmpty = applicationId === 0 && userVersion === 0 && tableCount === 0
  if (isEmpty) return
  if (applicationId !== APPLICATION_ID) {
    throw new AppError('DATABASE_NOT_OURS', `${path} is not a 2FA Admin database. Choose another file with --db.`)
  }
}

function translateOpenError(error: unknown, path: string): unknown {
  if (error instanceof AppError) return error
  const code = (error as { code?: unknown }).code
  if (code === 'SQLITE_NOTADB') {
    return new AppError('DATABASE_NOT_OURS', `${path} is not a 2FA Admin database (not an SQLite file). Choose another file with --db.`)
  }
  if (code === 'SQLITE_CORRUPT') {
    return new AppError('DATABASE_CORRUPT', `The database ${path} is damaged. Restore it from a backup (twofa-admin restore FILE).`)
  }
  return error
}

/** Runs fn in one write transaction taken up front, so concurrent writers queue on busy_timeout instead of failing mid-way. */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate()
}
