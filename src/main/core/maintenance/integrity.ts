// Is the database file sound? PRAGMA quick_check on demand (`twofa-admin
// check`) and after the desktop window is shown; the full integrity_check for
// `check --full` and before a backup is restored. A failed check makes the core
// refuse every write, so nothing is added to a damaged file.
import { existsSync } from 'node:fs'
import { AppError } from '../../../shared/errors'
import { refuseWrites, type Database } from '../../db/connection'
import { isOurs, openExisting, readIdentity, runIntegrityPragma } from '../../db/maintenance-repo'

export const RESTORE_HINT =
  'Close 2FA Admin and restore the database from a backup with "twofa-admin restore BACKUP-FILE" (the damaged file is kept aside).'

export type IntegrityReport =
  | { ok: true; full: boolean }
  | {
      ok: false
      full: boolean
      /** SQLite's findings, at most 20. */
      problems: string[]
      /** One line for the person at the screen: what is wrong and how to restore. */
      message: string
    }

/** One line, whatever SQLite put in its message. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

export function corruptDatabaseMessage(problem: string | undefined): string {
  const detail = problem === undefined ? '' : ` (${oneLine(problem).slice(0, 200)})`
  return `The user directory database is damaged${detail}. ${RESTORE_HINT}`
}

export function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR'
}

export function checkIntegrity(db: Database, options: { full?: boolean } = {}): IntegrityReport {
  const full = options.full ?? false
  let problems: string[]
  try {
    problems = runIntegrityPragma(db, full)
  } catch (error) {
    // A page the check itself cannot read is a finding too.
    if (!isDamage(error)) throw error
    problems = [(error as Error).message]
  }
  if (problems.length === 1 && problems[0] === 'ok') return { ok: true, full }
  return { ok: false, full, problems, message: corruptDatabaseMessage(problems[0]) }
}

/** After a failed check: every write path of the core throws DATABASE_CORRUPT with the restore hint. */
export function refuseWritesToDamagedDatabase(db: Database, report: Extract<IntegrityReport, { ok: false }>): void {
  refuseWrites(
    db,
    new AppError('DATABASE_CORRUPT', `Nothing can be changed: ${report.message.charAt(0).toLowerCase()}${report.message.slice(1)}`)
  )
}

/**
 * `twofa-admin check`: opens the file without configuring or migrating it (a
 * damaged file must not be written to) and checks it.
 */
export function checkDatabaseFile(path: string, options: { full?: boolean; nativeBinding?: string } = {}): IntegrityReport {
  const full = options.full ?? false
  if (!existsSync(path)) throw new AppError('NOT_FOUND', `No database at ${path}. Pass the right --db.`)
  let db: Database
  try {
    db = openExisting(path, { nativeBinding: options.nativeBinding })
  } catch (error) {
    throw new AppError('NOT_FOUND', `Cannot open ${path}: ${(error as Error).message}.`)
  }
  try {
    try {
      if (!isOurs(readIdentity(db))) throw new AppError('DATABASE_NOT_OURS', `${path} is not a 2FA Admin database. Pass the right --db.`)
    } catch (error) {
      if (!isDamage(error)) throw error
      const problem = `${path} is not an SQLite database, or its first page is damaged`
      return { ok: false, full, problems: [problem], message: `${problem}. If it is your 2FA Admin database: ${RESTORE_HINT}` }
    }
    return checkIntegrity(db, { full })
  } finally {
    db.close()
  }
}
