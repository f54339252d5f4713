// Opens the user directory and wires the service for one process. Every
// adapter (Electron IPC, the browser preview, the CLI, tests) starts here.
import { openDatabase, type Database } from '../db/connection'
import type { Clock } from './clock'
import { systemClock } from './clock'
import { createDispatch, type Dispatch } from './dispatch'
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
}

export interface Core {
  readonly dbPath: string
  readonly service: AdminService
  readonly dispatch: Dispatch
  readonly db: Database
  close(): void
}

export function openCore(options: CoreOptions): Core {
  const db = openDatabase(options.dbPath, options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding })
  const serviceOptions: ServiceOptions = {
    db,
    keyProvider: options.keyProvider,
    clock: options.clock ?? systemClock,
    ...(options.passwordKdf ? { passwordKdf: options.passwordKdf } : {})
  }
  const service = new AdminService(serviceOptions)
  const dispatch = createDispatch(service.handlers(), options.onUnexpectedError ? { onUnexpectedError: options.onUnexpectedError } : {})
  return {
    dbPath: options.dbPath,
    service,
    dispatch,
    db,
    close: () => {
      service.dispose()
      db.close()
    }
  }
}
