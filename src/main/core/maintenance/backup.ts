// Backups of the user directory, for the CLI (`twofa-admin backup`) and the
// desktop app's File menu alike: SQLite's online backup of the live database,
// consistent while the app or another command writes, made and checked as a
// background task on a connection of its own.
//
// The secrets key is not part of a backup (it never lives in the database); see
// key-export.ts for carrying it to another machine.
import { chmodSync, existsSync, renameSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../../../shared/errors'
import type { Database } from '../../db/connection'
import { backupInto, isOurs, openExisting, readIdentity, useRollbackJournal } from '../../db/maintenance-repo'
import { checkIntegrity } from './integrity'
import { removeWithSideFiles, temporaryBeside } from './files'

export interface BackupResult {
  path: string
  bytes: number
}

/**
 * Writes a consistent copy of the open database to `destination`, checks the
 * copy, and only then gives it its name: a failed or interrupted backup never
 * leaves a file that looks complete. Refuses an existing file unless
 * `overwrite` (the desktop's save dialog has already asked).
 */
export async function backupDatabase(
  db: Database,
  destination: string,
  options: { overwrite?: boolean } = {},
  onProgress: (done: number, total: number) => void = () => {}
): Promise<BackupResult> {
  const target = resolve(destination)
  if (existsSync(target) && !options.overwrite) {
    throw new AppError('VALIDATION', `${target} already exists. Choose a new file name: a backup never overwrites a file.`)
  }
  if (!existsSync(dirname(target))) throw new AppError('NOT_FOUND', `The folder ${dirname(target)} does not exist.`)
  if (!isOurs(readIdentity(db))) throw new AppError('DATABASE_NOT_OURS', 'This is not a 2FA Admin database; there is nothing to back up.')
  const partial = temporaryBeside(target, 'partial')
  try {
    // Copied in one step: a step-wise copy starts again whenever another process writes, and may never finish.
    onProgress(0, 2)
    await backupInto(db, partial)
    onProgress(1, 2)
    const copy = openExisting(partial)
    try {
      useRollbackJournal(copy)
      const report = checkIntegrity(copy)
      if (!report.ok) {
        throw new AppError('DATABASE_CORRUPT', `The backup was not written: its copy failed the integrity check. ${report.message}`)
      }
    } finally {
      copy.close()
    }
    // Password hashes and encrypted secrets: owner only, like the database itself.
    chmodSync(partial, 0o600)
    renameSync(partial, target)
    onProgress(2, 2)
    return { path: target, bytes: statSync(target).size }
  } catch (error) {
    removeWithSideFiles(partial)
    throw error
  }
}

