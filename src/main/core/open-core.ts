// Opens the user directory and wires the core for one process: the context
// every feature shares, each feature's handlers merged into the one map the
// dispatcher runs, and the local administrator's operations for the command
// line and the desktop menu. Every adapter (Electron IPC, the browser preview,
// the CLI, the RADIUS service, tests) starts here and never touches the
// database itself.
import type { ApiMethod } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import { onCommit, openDatabase, withBusyTimeout, writeRefusal, writeTransaction, type Database } from '../db/connection'
import { isAdminCaller } from './guards'
import { AnchorKeeper } from './audit/anchor-writer'
import { recordUpgradedChain } from './audit/verification'
import { chainKeyOf, keyAuditChain } from './audit/chain'
import { auditHandlers } from './audit/handlers'
import { auditLocal } from './audit/local'
import { bulkHandlers } from './bulk/handlers'
import { changesHandlers } from './changes/handlers'
import { tasksInThisThread, tasksInWorkers } from './background/runner'
import type { Caller } from './caller'
import type { Clock } from './clock'
import { systemClock } from './clock'
import type { CoreContext } from './context'
import type { KeyProvider } from './crypto/keys'
import { holdPasswordHasher, OWASP_SCRYPT, type ScryptParams } from './crypto/passwords'
import { DataKey } from './data-key'
import { demoLocal } from './demo/local'
import { createDispatch, type Dispatch } from './dispatch'
import { enforcementHandlers } from './enforcement/handlers'
import { enrollmentHandlers } from './enrollment/handlers'
import { groupsHandlers } from './groups/handlers'
import type { ChooseExportDestination } from './export/destination'
import { exportHandlers } from './export/handlers'
import { inPersonEnrollmentHandlers } from './in-person-enrollment/handlers'
import type { ServiceHandlers } from './handlers'
import { JumpSignposts } from './listing/jump-signposts'
import { PhantomThrottle } from './phantom-throttle'
import { maintenanceLocal, type IntegrityReport } from './maintenance/local'
import { myAccountHandlers } from './my-account/handlers'
import { readIdleTimeoutMinutes } from './enforcement/idle-timeout'
import { idleTimeoutMs, reauthWindow, SessionStore } from './sessions'
import { signInHandlers } from './sign-in/handlers'
import { temporaryPassHandlers } from './temporary-pass/handlers'
import { directorySyncHandlers } from './directory-sync/handlers'
import { radiusHandlers } from './radius/handlers'
import { historyHandlers } from './history/handlers'
import { startHistorySchedule } from './history/schedule'
import { radiusLocal } from './radius/local'
import { startDirectorySchedule } from './directory-sync/schedule'
import { DirectorySyncRunner } from './directory-sync/sync-runner'
import { userImportHandlers } from './user-import/handlers'
import { userImportLocal } from './user-import/local'
import { usersHandlers } from './users/handlers'
import { usersLocal } from './users/local'
import { closedError, GATE_BUSY_MESSAGE, GATE_BUSY_MESSAGE_SIGNED_OUT, GATE_WAIT_MS, mayWrite, WriteGate } from './write-gate'

export type { IntegrityReport } from './maintenance/local'

export interface CoreOptions {
  dbPath: string
  keyProvider: KeyProvider
  clock?: Clock
  /** Lower scrypt cost for tests only; the default follows OWASP. */
  passwordKdf?: ScryptParams
  /**
   * How many password checks (scrypt: 128 MiB each at the OWASP cost) run at once, each in a
   * worker thread of the process's one pool (crypto/password-pool.ts); the rest wait in turn.
   * Default 2 (1 on a single core). 0: on libuv's thread pool instead (the bench's comparison).
   * Every core of a process shares the pool the first one made.
   */
  passwordThreads?: number
  /** Path to a better-sqlite3 binding built for another ABI (Electron). */
  nativeBinding?: string
  /**
   * The bundled background worker (out/background/worker.js, or the desktop
   * app's out/main/background-worker.js): long work then runs in worker
   * threads. Without it, it runs in the calling thread (the command line).
   */
  backgroundWorker?: string
  /** Reports unexpected errors (never payloads). */
  onUnexpectedError?: (method: string, error: unknown) => void
  /** Shortens (never lengthens) the 5-minute re-authentication window. */
  reauthWindowMs?: number
  /** Shortens (never lengthens) the idle timeout set for the directory (the end-to-end tests). */
  idleTimeoutMs?: number
  /** Shortcomings of this installation's protection, shown to administrators (getAppState). */
  warnings?: readonly string[]
  /** Runs the directory sync on its schedule while this core is open (the desktop app, the preview; never the command line). */
  scheduleDirectorySync?: boolean
  /** Records the 2FA distribution of each day while this core is open (the desktop app, the preview; history/schedule.ts). */
  recordDistributionHistory?: boolean
  /** Receives every statement the core runs, with its values: for tests that check what a call costs. */
  traceStatements?: (sql: string) => void
  /**
   * Where the screens' exports go: the desktop's save dialog, the preview's downloads.
   * Without it (the command line, which has its own export) the screens cannot export.
   */
  exportDestination?: ChooseExportDestination
}

/** What the local administrator (the command line, the desktop menu) may do beyond the contract. */
export type LocalAdmin = ReturnType<typeof usersLocal> &
  ReturnType<typeof userImportLocal> &
  ReturnType<typeof radiusLocal> &
  ReturnType<typeof demoLocal> &
  ReturnType<typeof auditLocal> &
  ReturnType<typeof maintenanceLocal> & {
    /** Creates (or checks) the secrets key now rather than at the first enrollment: `twofa-admin init`. */
    ensureDataKey(): void
  }

export interface Core {
  readonly dbPath: string
  readonly dispatch: Dispatch
  readonly local: LocalAdmin
  /** PRAGMA quick_check (or the full check); when it fails, every write of this core throws DATABASE_CORRUPT. */
  checkIntegrity(options?: { full?: boolean }): IntegrityReport
  /** The same check as a background task (a worker thread when the host ships one); a failure refuses writes the same way. */
  checkIntegrityInBackground(options?: { full?: boolean }): Promise<IntegrityReport>
  /** How many background tasks are under way, each with a connection of its own to the file (a restore waits for none). */
  backgroundTasksRunning(): number
  close(): void
}

/** How long the records waiting at close wait for a task's write lock. */
const CLOSE_BUSY_MS = 250

// What is behind each core, for tests and the benchmark only (databaseOf,
// contextOf): adapters go through dispatch and local, never the database.
const contexts = new WeakMap<Core, CoreContext>()

/** The core's context: for tests and the benchmark, which look inside on purpose. Lint keeps adapters from importing it. */
export function contextOf(core: Core): CoreContext {
  const ctx = contexts.get(core)
  if (ctx === undefined) throw new Error('Not a core made by openCore.')
  return ctx
}

/** The core's own connection: for tests and the benchmark, which inspect or damage the file on purpose. */
export function databaseOf(core: Core): Database {
  return contextOf(core).db
}

export function openCore(options: CoreOptions): Core {
  const db = openDatabase(options.dbPath, { nativeBinding: options.nativeBinding, verbose: options.traceStatements })
  const database = { path: options.dbPath, nativeBinding: options.nativeBinding }
  const writeGate = new WriteGate()
  const sessions = new SessionStore(() => idleTimeoutMs(readIdleTimeoutMinutes(db), options.idleTimeoutMs))
  const signposts = new JumpSignposts()
  const onUnexpected = options.onUnexpectedError ?? (() => {})
  // Work that meets the close (an audit walk's record, a scheduled sync's) was ended by it: nothing unexpected.
  const reportUnexpected = (method: string, error: unknown): void => {
    if (!(error instanceof AppError && error.code === 'CLOSED')) onUnexpected(method, error)
  }
  const ctx: CoreContext = {
    db,
    dbPath: options.dbPath,
    clock: options.clock ?? systemClock,
    dataKey: new DataKey(db, options.keyProvider),
    sessions,
    phantoms: new PhantomThrottle(),
    signposts,
    passwordKdf: options.passwordKdf ?? OWASP_SCRYPT,
    reauthWindowMs: reauthWindow(options.reauthWindowMs),
    warnings: [...(options.warnings ?? [])],
    background: options.backgroundWorker === undefined ? tasksInThisThread(database, writeGate) : tasksInWorkers(options.backgroundWorker, database, writeGate),
    writeGate,
    afterBackgroundWrite: (logBefore) => {
      // A task that committed after the core closed has moved the anchor itself (followAnchor); a missing one waits for the next open.
      if (!db.open) return
      try {
        anchors.followOtherWrites(logBefore)
      } catch (error) {
        reportUnexpected('audit anchor', error)
      }
    },
    reportUnexpected
  }
  // The audit chain is keyed, and its newest link anchored outside the database after each commit that appended.
  const anchors = new AnchorKeeper(ctx)
  keyAuditChain(db, { key: () => chainKeyOf(ctx.dataKey.get()), appended: (action, began) => anchors.appended(action, began) })
  onCommit(db, () => {
    try {
      anchors.committed()
    } catch (error) {
      // The log itself is committed; a later commit moves the anchor. Nothing the caller must know.
      reportUnexpected('audit anchor', error)
    }
  })
  recordUpgradedChain(ctx)
  const directorySync = new DirectorySyncRunner(ctx)
  const stopSchedule = options.scheduleDirectorySync ? startDirectorySchedule(ctx, directorySync) : () => {}
  const stopHistory = options.recordDistributionHistory ? startHistorySchedule(ctx) : () => {}
  // One map for the one dispatcher; ServiceHandlers fails to compile if a method has no handler.
  const handlers: ServiceHandlers = {
    ...signInHandlers(ctx),
    ...enrollmentHandlers(ctx),
    ...myAccountHandlers(ctx),
    ...usersHandlers(ctx),
    ...enforcementHandlers(ctx),
    ...groupsHandlers(ctx),
    ...auditHandlers(ctx),
    ...changesHandlers(ctx),
    ...userImportHandlers(ctx),
    ...exportHandlers(ctx, options.exportDestination),
    ...directorySyncHandlers(ctx, directorySync),
    ...radiusHandlers(ctx),
    ...historyHandlers(ctx),
    ...temporaryPassHandlers(ctx),
    ...inPersonEnrollmentHandlers(ctx),
    ...bulkHandlers(ctx)
  }
  const maintenance = maintenanceLocal(ctx)
  const local: LocalAdmin = {
    ...usersLocal(ctx),
    ...demoLocal(ctx),
    ...auditLocal(ctx),
    ...userImportLocal(ctx),
    ...radiusLocal(ctx),
    ...maintenance,
    ensureDataKey: () => void ctx.dataKey.get()
  }
  // Taken last, so a core that failed to open holds no pool.
  const releasePasswordHasher = options.passwordThreads === 0 ? () => {} : holdPasswordHasher({ threads: options.passwordThreads })
  let closed = false
  /**
   * That a long task runs, and which kinds there are, is told to the administrators signed in (and the command line):
   * not to a sign-in page, nor to a user at My account. Asked only when a call is refused.
   */
  const busyMessageFor = (caller: Caller) => (): string => (isAdminCaller(ctx, caller) ? GATE_BUSY_MESSAGE : GATE_BUSY_MESSAGE_SIGNED_OUT)
  const aroundHandler = async <T>(method: ApiMethod, caller: Caller, handle: () => Promise<T>): Promise<T> => {
    if (closed) throw closedError()
    try {
      return await (mayWrite(method, caller, (id) => sessions.timesOut(id, ctx.clock.now())) ? writeGate.duringCall(handle, GATE_WAIT_MS, busyMessageFor(caller)) : handle())
    } catch (error) {
      // The connection closed under the call (quit, a restore): that, not a closed handle's TypeError. Any other error is itself.
      throw error instanceof TypeError && !db.open ? closedError(true) : error
    }
  }
  /**
   * In one transaction, so the lock is waited for once. A task that still holds the gate (its
   * worker may be inside its transaction: it ends with the process, or commits) is waited for
   * 250 ms at most, not the 5 s busy timeout each: a quit must not stall. Lost, they are reported.
   */
  const writeRecordsAtClose = (records: ReadonlyArray<() => void>, taskHolds: boolean): void => {
    if (records.length === 0 || !db.open) return
    // A directory that refuses writes (damaged): each record meets the refusal itself, as it would have in its turn.
    if (writeRefusal(db) !== null) return records.forEach((write) => write())
    const writeAll = (): void =>
      writeTransaction(db, () => {
        for (const write of records) {
          write()
          // SQLite rolled the whole transaction back (I/O error, memory, a full disk): the rest would each commit alone.
          if (!db.inTransaction) throw new Error('SQLite rolled back the records waiting at close.')
        }
      })
    try {
      if (taskHolds) withBusyTimeout(db, CLOSE_BUSY_MS, writeAll)
      else writeAll()
    } catch (error) {
      try {
        reportUnexpected(`${records.length} record(s) waiting at close`, error)
      } catch {
        // The host's reporter failed too: the close goes on.
      }
    }
  }
  const core: Core = {
    dbPath: options.dbPath,
    dispatch: createDispatch(handlers, { onUnexpectedError: reportUnexpected, aroundHandler }),
    local,
    checkIntegrity: (checkOptions) => maintenance.checkIntegrity(checkOptions),
    checkIntegrityInBackground: (checkOptions) => maintenance.checkIntegrityInBackground(checkOptions),
    backgroundTasksRunning: () => ctx.background.running(),
    close: () => {
      closed = true
      // Calls and tasks waiting for their turn are refused; records waiting are written while the connection is open.
      writeRecordsAtClose(writeGate.close(), writeGate.held)
      stopSchedule()
      stopHistory()
      sessions.clear()
      signposts.clear()
      releasePasswordHasher()
      ctx.background.close?.()
      db.close()
    }
  }
  contexts.set(core, ctx)
  return core
}
