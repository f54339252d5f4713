// The local administrator's care of the open directory, for the desktop app's
// File menu and the startup check: integrity checks, backups and the check of
// a backup to restore, each as a background task. The command line does the
// same on files without opening the directory (src/cli/commands/maintenance.ts).
import type { TaskProgress } from '../background/runner'
import { chainKeying } from '../audit/verification'
import type { CoreContext } from '../context'
import type { BackupResult } from './backup'
import type { PreparedRestore } from './restore'
import { checkIntegrityInBackground, prepareRestoreInBackground } from './in-background'
import { checkIntegrity, refuseWritesToDamagedDatabase, type IntegrityReport } from './integrity'

export type { IntegrityReport } from './integrity'

export function maintenanceLocal(ctx: CoreContext) {
  const refuseWritesIfDamaged = (report: IntegrityReport): IntegrityReport => {
    // The core may have been closed (quit, restore) while a background check ran.
    if (!report.ok && ctx.db.open) refuseWritesToDamagedDatabase(ctx.db, report)
    return report
  }
  return {
    /** PRAGMA quick_check (or the full check) here; a failure makes every later write throw DATABASE_CORRUPT. */
    checkIntegrity(options: { full?: boolean } = {}): IntegrityReport {
      return refuseWritesIfDamaged(checkIntegrity(ctx.db, options))
    },

    /** The same check off this thread (a worker when the host ships one). */
    async checkIntegrityInBackground(options: { full?: boolean } = {}): Promise<IntegrityReport> {
      return refuseWritesIfDamaged(await checkIntegrityInBackground(ctx.background, options))
    },

    /** A consistent, checked copy of the directory at `destination`, also while others write. */
    backup(destination: string, options: { overwrite?: boolean } = {}, onProgress?: (progress: TaskProgress) => void): Promise<BackupResult> {
      return ctx.background.run('backup', { destination, overwrite: options.overwrite ?? false }, onProgress)
    },

    /** Checks a backup and stages a copy beside this directory, off this thread; commitRestore (restore.ts) then swaps it in. */
    prepareRestore(backupFile: string, options: { keyCheck?: string | null } = {}, onProgress?: (progress: TaskProgress) => void): Promise<PreparedRestore> {
      // The key beside this directory is the one the restored one will use: its chain key checks the backup's keyed entries.
      return prepareRestoreInBackground(ctx.background, backupFile, ctx.dbPath, { ...options, chainKey: chainKeying(ctx).key }, onProgress)
    }
  }
}
