// The long maintenance work as background tasks (a worker thread in the
// desktop app and the preview, this thread on the command line): the
// integrity check of the directory, and the check of a backup to restore.
import type { BackgroundTasks, TaskProgress } from '../background/runner'
import { corruptDatabaseMessage, isDamage, type IntegrityReport } from './integrity'
import { commitRestore, preparedRestore, type CommitRestoreOptions, type PreparedRestore, type PrepareRestoreOptions, type RestoreResult } from './restore'

/**
 * The same check as checkIntegrity, as a background task on its own read-only
 * connection (a worker thread in the desktop app): what the app runs after its
 * window is shown, so a large directory never blocks it.
 */
export async function checkIntegrityInBackground(background: BackgroundTasks, options: { full?: boolean } = {}): Promise<IntegrityReport> {
  const full = options.full ?? false
  let problems: string[]
  try {
    problems = (await background.run('integrityCheck', { full })).problems
  } catch (error) {
    if (!isDamage(error)) throw error
    problems = [(error as Error).message]
  }
  if (problems.length === 1 && problems[0] === 'ok') return { ok: true, full }
  return { ok: false, full, problems, message: corruptDatabaseMessage(problems[0]) }
}

/** prepareRestore as a background task: the full integrity check and the chain walk of a large backup take seconds. */
export async function prepareRestoreInBackground(
  background: BackgroundTasks,
  backupFile: string,
  livePath: string,
  options: PrepareRestoreOptions = {},
  onProgress?: (progress: TaskProgress) => void
): Promise<PreparedRestore> {
  return preparedRestore(await background.run('checkBackup', { backupFile, livePath, keyCheck: options.keyCheck ?? null, chainKey: options.chainKey?.toString('base64') ?? null }, onProgress))
}

/** Both steps at once, for the command line: the check as a background task (in this thread there). */
export async function restoreDatabase(
  background: BackgroundTasks,
  backupFile: string,
  livePath: string,
  options: CommitRestoreOptions & PrepareRestoreOptions
): Promise<RestoreResult> {
  const prepared = await prepareRestoreInBackground(background, backupFile, livePath, options)
  try {
    return commitRestore(prepared, livePath, options)
  } catch (error) {
    prepared.discard()
    throw error
  }
}
