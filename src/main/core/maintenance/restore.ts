// Restores of the user directory from a backup, for the CLI (`twofa-admin
// restore`) and the desktop app's File menu alike. The chosen file is checked
// first (ours, not from a newer app, integrity_check ok, audit chain intact,
// made with the key already beside the database), as a background task; then
// the live file is replaced only when no other process has it open, and the
// previous file is kept aside as `<db>.before-restore-<time>`. Nothing is ever deleted.
import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { Database } from '../../db/connection'
import { resetVerification } from '../../db/audit-repo'
import { checkpointTruncate, endExclusiveTransaction, isOurs, openExisting, readIdentity, readKeyCheck, takeExclusiveLock } from '../../db/maintenance-repo'
import { LATEST_VERSION } from '../../db/migrations'
import { assertOurSchema } from '../../db/schema-check'
import { anchorPath } from '../audit/anchor'
import { chainKeyingOf, KEYED_CHAIN_SCHEMA } from '../audit/chain'
import { auditEntryCount, walkWholeChain } from '../audit/walk'
import { checkIntegrity } from './integrity'
import { removeWithSideFiles, SIDE_FILES, sqliteCode, temporaryBeside } from './files'

/** How long a restore waits for the database to be free before it gives up. */
const RESTORE_LOCK_TIMEOUT_MS = 250

export interface BackupInfo {
  schemaVersion: number
  auditEntries: number
  /** The entries written with the secrets key could not be checked, for want of it: the first look after the key is imported does. */
  auditKeyedUnchecked: boolean
  /** The key check value of the secrets key the backup was made with; null if it holds no secret. */
  keyCheck: string | null
}

/** What the check of a backup found, in words, for the CLI and the desktop's Restore dialog alike. */
export function backupCheckSummary(info: BackupInfo): string {
  return info.auditKeyedUnchecked
    ? `integrity ok; audit chain verified as far as it can be without the backup's secrets key (${info.auditEntries} entries): the entries sealed with it are checked once that key is imported`
    : `integrity ok, audit chain verified (${info.auditEntries} entries)`
}

/** A checked copy of a backup, staged beside the live database, waiting to replace it. */
export interface PreparedRestore {
  readonly backupFile: string
  readonly stagedPath: string
  readonly info: BackupInfo
  /** Removes the staged copy (after a failed or abandoned restore). */
  discard(): void
}

export interface PrepareRestoreOptions {
  /** The key check value of the key beside the live database, if there is one: a backup made with another key is refused. */
  keyCheck?: string | null
  /** The audit chain key of that key, to check the backup's keyed entries (chainKeyOf in audit/chain.ts). */
  chainKey?: Buffer | null
}

function describeBackupFailure(error: unknown, file: string): unknown {
  if (error instanceof AppError) return error
  const code = sqliteCode(error)
  if (code === 'SQLITE_NOTADB') return new AppError('DATABASE_NOT_OURS', `${file} is not a 2FA Admin backup (not an SQLite file). Nothing was changed.`)
  if (code === 'SQLITE_CORRUPT') return new AppError('DATABASE_CORRUPT', `The backup ${file} is damaged. Choose another backup; nothing was changed.`)
  return error
}

/**
 * Copies the backup beside the live database and checks the copy, leaving the
 * live database untouched; the chosen file is only read, never opened by SQLite.
 */
/** How far a check got: `done` of `total` steps (the copy, the integrity check, then the audit entries walked). */
export type ProgressReport = (done: number, total: number) => void

export function prepareRestore(backupFile: string, livePath: string, options: PrepareRestoreOptions = {}, onProgress: ProgressReport = () => {}): PreparedRestore {
  const source = resolve(backupFile)
  const live = resolve(livePath)
  if (!existsSync(source)) throw new AppError('NOT_FOUND', `There is no backup file ${source}.`)
  if (source === live) throw new AppError('VALIDATION', 'A database cannot be restored from itself. Choose a backup file.')
  if (existsSync(`${source}-wal`)) {
    throw new AppError(
      'VALIDATION',
      `${source} has a write-ahead log beside it: it is open in a program or was copied while in use. Use a file made by "twofa-admin backup" or the app's Backup command.`
    )
  }
  mkdirSync(dirname(live), { recursive: true })
  const staged = temporaryBeside(live, 'restore')
  let info: BackupInfo
  try {
    copyFileSync(source, staged, constants.COPYFILE_EXCL)
    chmodSync(staged, 0o600)
    onProgress(1, 0)
    info = checkBackupCopy(staged, source, options, onProgress)
  } catch (error) {
    removeWithSideFiles(staged)
    throw describeBackupFailure(error, source)
  }
  return preparedRestore({ backupFile: source, stagedPath: staged, info })
}

/** What a background check of a backup hands back: where the checked copy is staged, and what it holds. */
export type CheckedBackup = Omit<PreparedRestore, 'discard'>

export function preparedRestore(checked: CheckedBackup): PreparedRestore {
  return { ...checked, discard: () => removeWithSideFiles(checked.stagedPath) }
}


function checkBackupCopy(staged: string, source: string, options: PrepareRestoreOptions, onProgress: ProgressReport): BackupInfo {
  const db = openExisting(staged)
  try {
    const identity = readIdentity(db)
    if (!isOurs(identity)) throw new AppError('DATABASE_NOT_OURS', `${source} is not a 2FA Admin backup. Nothing was changed.`)
    if (identity.userVersion > LATEST_VERSION) {
      throw new AppError(
        'DATABASE_TOO_NEW',
        `The backup ${source} was made by a newer version of 2FA Admin (schema ${identity.userVersion}; this app knows up to ${LATEST_VERSION}). Update the app first; nothing was changed.`
      )
    }
    // A trigger or index added to a backup would come back with it: the schema must be exactly ours, at its version.
    assertOurSchema(db, identity.userVersion, `The backup ${source}`)
    const integrity = checkIntegrity(db, { full: true })
    if (!integrity.ok) {
      throw new AppError('DATABASE_CORRUPT', `The backup ${source} is damaged (${integrity.problems[0] ?? 'integrity check failed'}). Choose another backup; nothing was changed.`)
    }
    // The copy and the integrity check count as one step each; then every audit entry is one.
    const entries = auditEntryCount(db)
    onProgress(2, entries + 2)
    // Without the key (a backup restored before its key is imported) the keyed entries are checked at the next look.
    const keying = chainKeyingOf(db, options.chainKey ?? null, identity.userVersion < KEYED_CHAIN_SCHEMA)
    if (keying.problem !== null) {
      throw new AppError('DATABASE_CORRUPT', `The audit log in the backup ${source} does not verify (${keying.problem.reason}). Choose another backup; nothing was changed.`)
    }
    const chain = walkWholeChain(db, keying, (checked) => onProgress(2 + checked, entries + 2))
    if (!chain.valid) {
      throw new AppError(
        'DATABASE_CORRUPT',
        `The audit log in the backup ${source} does not verify (${chain.reason}): it was edited after it was written. Choose another backup; nothing was changed.`
      )
    }
    // The backup's own mark says how far its source had checked, perhaps with a key this
    // check did not have: the restored log is verified as far as this check got, and the
    // first look after the key is imported checks the rest.
    resetVerification(db, chain.last.id, chain.last.hash)
    const keyCheck = readKeyCheck(db)
    if (options.keyCheck && keyCheck !== null && keyCheck !== options.keyCheck) {
      throw new AppError(
        'KEY_UNAVAILABLE',
        `The backup ${source} was made with another secrets key than the one beside this database. Move that key file aside and import the backup's key (twofa-admin key import), then restore again; nothing was changed.`
      )
    }
    // Without the key, neither the keyed links nor the seal of where they begin could be checked.
    const keyedUnchecked = options.chainKey == null && (keying.keyedFrom !== null || (identity.userVersion >= KEYED_CHAIN_SCHEMA && entries > 0))
    return { schemaVersion: identity.userVersion, auditEntries: entries, auditKeyedUnchecked: keyedUnchecked, keyCheck }
  } finally {
    db.close()
  }
}

export interface CommitRestoreOptions {
  /** Epoch ms, for the name of the file kept aside. */
  now: number
  nativeBinding?: string
}

export interface RestoreResult {
  /** Where the database that was replaced now is; null when there was none. */
  asidePath: string | null
  info: BackupInfo
}

/** `<db>.before-restore-2026-11-27T09-00-00Z`, with a counter if that name is taken. */
export function asidePathFor(livePath: string, now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/:/g, '-') + 'Z'
  const base = `${livePath}.before-restore-${stamp}`
  let candidate = base
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}`
  return candidate
}

/**
 * Makes sure no other process has the live database open, then moves it (and
 * its -wal and -shm files) aside and puts the staged backup in its place.
 */
export function commitRestore(prepared: PreparedRestore, livePath: string, options: CommitRestoreOptions): RestoreResult {
  const live = resolve(livePath)
  if (!existsSync(prepared.stagedPath)) throw new AppError('INTERNAL', 'The checked copy of the backup is gone. Restore again.')
  let asidePath: string | null = null
  if (existsSync(live)) {
    releaseForReplacement(live, options.nativeBinding)
    asidePath = asidePathFor(live, options.now)
    renameSync(live, asidePath)
    for (const suffix of SIDE_FILES) {
      if (existsSync(`${live}${suffix}`)) renameSync(`${live}${suffix}`, `${asidePath}${suffix}`)
    }
    // The audit anchor belongs to the database it anchored: it goes aside with it. The restored log
    // gets a new anchor at its next look, and the log records that (audit.anchor-created).
    if (existsSync(anchorPath(live))) renameSync(anchorPath(live), anchorPath(asidePath))
  }
  renameSync(prepared.stagedPath, live)
  return { asidePath, info: prepared.info }
}

/**
 * Takes the live database for this process alone and folds its WAL into the
 * file, so the copy kept aside is complete. A database another process holds
 * open is refused: that process would go on writing to the file kept aside.
 */
function releaseForReplacement(live: string, nativeBinding: string | undefined): void {
  let db: Database
  try {
    db = openExisting(live, { busyTimeoutMs: RESTORE_LOCK_TIMEOUT_MS, nativeBinding })
  } catch (error) {
    throw new AppError('NOT_FOUND', `Cannot open ${live}: ${(error as Error).message}. Nothing was changed.`)
  }
  try {
    takeExclusiveLock(db)
    const identity = readIdentity(db)
    const isEmpty = identity.applicationId === 0 && identity.userVersion === 0 && identity.tableCount === 0
    if (!isEmpty && !isOurs(identity)) {
      throw new AppError('DATABASE_NOT_OURS', `${live} is not a 2FA Admin database, so it was not replaced. Check --db; nothing was changed.`)
    }
    endExclusiveTransaction(db)
    checkpointTruncate(db)
  } catch (error) {
    const code = sqliteCode(error)
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      db.close()
      throw new AppError(
        'DATABASE_BUSY',
        `${basename(live)} is open in another program (the 2FA Admin app, the browser preview or another twofa-admin command). Close it, then restore again; nothing was changed.`
      )
    }
    // A damaged file cannot be read, but it can be moved aside: that is what the restore is for.
    if (code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') {
      db.close()
      throw error
    }
  }
  db.close()
}
