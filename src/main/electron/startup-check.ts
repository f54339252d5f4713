// The desktop app's integrity check: PRAGMA quick_check once the window is on
// screen, in a worker thread, so a large directory never delays the first
// screen nor freezes the window while it runs. A damaged file
// gets a clear dialog, and the core then refuses every write (see
// Core.checkIntegrity), so nothing is added to it.
import type { IntegrityReport } from '../core/maintenance/integrity'

export interface StartupCheckDeps {
  /** The open core, or null when there is none (quitting, restoring). */
  core(): { checkIntegrityInBackground(): Promise<IntegrityReport> } | null
  showDamaged(report: Extract<IntegrityReport, { ok: false }>): void
  /** Runs the check later, off the window's critical path (setTimeout in the app). */
  defer(run: () => void): void
  /** For a check that could not run at all (never the database's content). */
  log(message: string): void
}

export const DAMAGED_DIALOG_TITLE = 'The user directory is damaged'

/** The dialog text: the finding, what still works, and how to restore. */
export function damagedDialog(report: Extract<IntegrityReport, { ok: false }>): { title: string; message: string; detail: string } {
  return {
    title: DAMAGED_DIALOG_TITLE,
    message: report.message,
    detail: [
      'To protect what is left, 2FA Admin will not change anything in this database: sign-ins and changes fail until it is restored.',
      'Restore it with File > Restore from Backup…, or close the app and run: twofa-admin restore BACKUP-FILE',
      `SQLite reported: ${report.problems.slice(0, 3).join('; ')}`
    ].join('\n\n')
  }
}

/** Resolves when the check has run (or could not), for tests; the app does not wait for it. */
export function scheduleStartupIntegrityCheck(deps: StartupCheckDeps): Promise<void> {
  return new Promise((done) => {
    deps.defer(() => {
      const core = deps.core()
      if (core === null) return done()
      core.checkIntegrityInBackground().then(
        (report) => {
          if (!report.ok) deps.showDamaged(report)
          done()
        },
        (error: unknown) => {
          deps.log(`2FA Admin: the integrity check could not run: ${(error as Error)?.message ?? String(error)}`)
          done()
        }
      )
    })
  })
}
