// Opens the SQLite user directory with the settings every process must share,
// refuses files that are not ours or come from a newer app, and migrates.
import { closeSync, existsSync, openSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { AppError } from '../../shared/errors'
import { assertNotNewer, LATEST_VERSION, migrate, schemaVersion } from './migrations'
import { assertOurSchema } from './schema-check'
import { assertNotSymlink } from './file-safety'
import { APPLICATION_ID, type Database } from './sqlite'

export type { Database } from './sqlite'
export { APPLICATION_ID } from './sqlite'

export interface OpenOptions {
  /** A better-sqlite3 binding built for another ABI (the Electron main process). */
  nativeBinding?: string
  /** Milliseconds to wait for another process's write lock before failing. */
  busyTimeoutMs?: number
  /** Receives every statement run, with its values: for tests that check what opening costs. */
  verbose?: (sql: string) => void
}

export function openDatabase(path: string, options: OpenOptions = {}): Database {
  // Password hashes and encrypted secrets: readable by the owner only. The file
  // is created 0600 before SQLite opens it, because SQLite gives the -wal and
  // -shm files it creates the same permissions as the database file.
  if (path !== ':memory:') {
    assertNotSymlink(path, 'The database')
    if (!existsSync(path)) createPrivateFile(path)
  }
  let db: Database
  try {
    db = new BetterSqlite3(path, {
      nativeBinding: options.nativeBinding,
      verbose: options.verbose === undefined ? undefined : (message?: unknown) => options.verbose?.(String(message))
    })
  } catch (error) {
    throw new AppError('DATABASE_NOT_OURS', `Cannot open the database ${path}: ${(error as Error).message}. Check the path and its permissions.`)
  }
  try {
    // Nothing is written (not even the WAL switch) before the file is known to be ours and not from a newer app.
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    ensureOurs(db, path)
    assertNotNewer(db)
    configure(db)
    // An older database is checked at its own version before it is migrated: a trigger added to it
    // must not be carried into the new schema (nor run by the migration).
    const version = schemaVersion(db)
    if (version > 0 && version < LATEST_VERSION) assertOurSchema(db, version, path)
    migrate(db)
    assertOurSchema(db, LATEST_VERSION, path)
    return db
  } catch (error) {
    db.close()
    throw translateOpenError(error, path)
  }
}

function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (error) {
    // Another process created it meanwhile: open that one.
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error
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

/** Connections that must not write any more (a failed integrity check), with the error every write gets. */
const writeRefusals = new WeakMap<Database, AppError>()

/**
 * From now on every writeTransaction on this connection throws `reason`, and
 * SQLite itself refuses writes (query_only) as a backstop. Reads still work.
 */
export function refuseWrites(db: Database, reason: AppError): void {
  writeRefusals.set(db, reason)
  db.pragma('query_only = ON')
}

export function writeRefusal(db: Database): AppError | null {
  return writeRefusals.get(db) ?? null
}

/** What runs after each commit of the outermost write transaction on a connection (the audit anchor). */
const commitListeners = new WeakMap<Database, () => void>()

/** Registers the one listener told after every commit of writeTransaction on this connection. */
export function onCommit(db: Database, listener: () => void): void {
  commitListeners.set(db, listener)
}

/** Runs fn in one write transaction taken up front, so concurrent writers queue on busy_timeout instead of failing mid-way. */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  const refusal = writeRefusals.get(db)
  if (refusal) throw refusal
  const result = db.transaction(fn).immediate()
  // Only once the outermost transaction committed: a savepoint's work may still be rolled back.
  if (!db.inTransaction) commitListeners.get(db)?.()
  return result
}

/** Runs fn with the connection's busy timeout set to `ms`, then puts the one it had back. */
export function withBusyTimeout<T>(db: Database, ms: number, fn: () => T): T {
  const before = db.pragma('busy_timeout', { simple: true }) as number
  db.pragma(`busy_timeout = ${Math.trunc(ms)}`)
  try {
    return fn()
  } finally {
    db.pragma(`busy_timeout = ${before}`)
  }
}

/**
 * Runs fn with a page cache big enough to hold every index page a change of
 * a million rows touches (a bulk load, a bulk change of 100,000 users), so
 * the transaction is not spilled to the WAL page by page; then gives the
 * memory back. 256 MiB at most: SQLite allocates pages only as it reads them.
 */
export function withBulkCache<T>(db: Database, fn: () => T): T {
  const previous = db.pragma('cache_size', { simple: true }) as number
  db.pragma('cache_size = -262144')
  try {
    return fn()
  } finally {
    db.pragma(`cache_size = ${Math.trunc(previous)}`)
  }
}
