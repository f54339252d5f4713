// Opens the user directory and wires the service for one process. Every
// adapter (Electron IPC, the browser preview, the CLI, tests) starts here.
import { openDatabase, type Database } from '../db/connection'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { createDispatch, type Dispatch } from './dispatch'
import { checkIntegrity, checkIntegrityInWorker, refuseWritesToDamagedDatabase, type IntegrityReport } from './integrity'
import type { KeyProvider } from './keys'
import { AdminService, type ServiceOptions } from './service'
import type { ScryptParams } from './passwords'

export interface CoreOptions {
  dbPath: string
  keyProvider: KeyProvider
  clock?: Clock
  /** Lower scrypt cost for tests only; the default follows OWASP. */
  passwordKdf?: ScryptParams
  /** Path to a better-sqlite3 binding built for another ABI (Electron). */
  nativeBinding?: string
  /** Reports unexpected errors (never payloads). */
  onUnexpectedError?: (method: string, error: unknown) => void
  /** Shortens (never lengthens) the 5-minute re-authentication window. */
  reauthWindowMs?: number
  /** Shortcomings of this installation's protection, shown to administrators (getAppState). */
  warnings?: readonly string[]
}

export interface Core {
  readonly dbPath: string
  readonly service: AdminService
  readonly dispatch: Dispatch
  readonly db: Database
  /** PRAGMA quick_check (or the full check); when it fails, every write of this core throws DATABASE_CORRUPT. */
  checkIntegrity(options?: { full?: boolean }): IntegrityReport
  /**
   * The same check in a worker thread on its own read-only connection, so a
   * large directory never blocks this process; a failure refuses writes the same way.
   * `sqliteModule` is better-sqlite3's resolved entry (require.resolve in the host).
   */
  checkIntegrityInBackground(options: { sqliteModule: string; full?: boolean }): Promise<IntegrityReport>
  close(): void
}

export function openCore(options: CoreOptions): Core {
  const db = openDatabase(options.dbPath, options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
  const serviceOptions: ServiceOptions = {
    db,
    keyProvider: options.keyProvider,
    clock: options.clock ?? systemClock,
    ...(options.passwordKdf ? { passwordKdf: options.passwordKdf } : {}),
    ...(options.reauthWindowMs === undefined ? {} : { reauthWindowMs: options.reauthWindowMs }),
    ...(options.warnings === undefined ? {} : { warnings: options.warnings })
  }
  const service = new AdminService(serviceOptions)
  const dispatch = createDispatch(service.handlers(), options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {})
  return {
    dbPath: options.dbPath,
    service,
    dispatch,
    db,
    checkIntegrity: (checkOptions) => {
      const report = checkIntegrity(db, checkOptions)
      if (!report.ok) refuseWritesToDamagedDatabase(db, report)
      return report
    },
    checkIntegrityInBackground: async (checkOptions) => {
      const report = await checkIntegrityInWorker({
        path: options.dbPath,
        full: checkOptions.full ?? false,
        sqliteModule: checkOptions.sqliteModule,
        ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
      })
      // The core may have been closed (quit, restore) while the worker ran.
      if (!report.ok && db.open) refuseWritesToDamagedDatabase(db, report)
      return report
    },
    close: () => {
      service.dispose()
      db.close()
    }
  }
}
