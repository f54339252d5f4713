// A background task that holds the directory's one write lock for long (a bulk
// change of many users, which reads what it decides on and writes it in one
// transaction, seconds at 100,000 users; a CSV import's one transaction of
// every row; a directory sync's) would make every write of the thread that
// answers the screens wait on SQLite's busy timeout: a blocked event loop
// (every window and tab frozen) and, past 5 s, DATABASE_BUSY. So such a task
// takes this gate right before its write transaction (TaskEnv.beforeWriting,
// background/runner.ts: after any long read, of a CSV or of LDAP) until it
// ends, and the dispatcher lets a call that may write begin only once the gate
// is open: it waits without blocking, and the screens' reads (READ_METHODS) go
// on meanwhile, from WAL snapshots. Writers of other processes still queue on
// the busy timeout.
import type { ApiMethod } from '../../shared/contract'

/** The longest a call waits for the gate; after it, the call runs and waits on the busy timeout as before. */
export const GATE_WAIT_MS = 120_000

/** Calls that never write to the directory: they do not wait for the gate. Any other call waits. */
export const READ_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'listAudit',
  'getAuditChainStatus',
  'previewBulkChange',
  'bulkInstructions',
  'getChangeStamp',
  'getDirectoryConnection',
  'getDirectorySyncProgress',
  'getSecurityOverview',
  'previewEnforcement',
  'getExport',
  'listGroups',
  'getGroup',
  'getTwoFactorHistory',
  'listRadiusClients',
  'getImportProgress',
  'listUsers',
  'countUsers',
  'getUser'
])

export class WriteGate {
  private holders = 0
  private waiters: (() => void)[] = []

  /** Holds the gate until the returned release is called (once; later calls do nothing). */
  take(): () => void {
    this.holders++
    let released = false
    return () => {
      if (released) return
      released = true
      this.holders--
      if (this.holders === 0) for (const wake of this.waiters.splice(0)) wake()
    }
  }

  get held(): boolean {
    return this.holders > 0
  }

  /**
   * Resolves once the gate is open (at once when it is), or after `maxWaitMs`.
   * Checked again after every wake: the caller runs in the same turn, before
   * another task can take the gate.
   */
  async whenOpen(maxWaitMs = GATE_WAIT_MS): Promise<void> {
    if (this.holders === 0) return
    const until = Date.now() + maxWaitMs
    while (this.holders > 0) {
      const left = until - Date.now()
      if (left <= 0) return
      let timer: NodeJS.Timeout | undefined
      await new Promise<void>((wake) => {
        this.waiters.push(wake)
        timer = setTimeout(wake, left)
      })
      clearTimeout(timer)
    }
  }
}
