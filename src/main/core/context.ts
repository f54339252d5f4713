// What every feature's handlers work with: the database, the clock, the data
// key, the sessions of this process, and the few settings of the installation.
// One is made per open directory (open-core.ts) and handed to each feature.
import type { AuditEvent } from './audit/chain'
import { appendAudit } from './audit/chain'
import { writeTransaction, type Database } from '../db/connection'
import type { BackgroundTasks } from './background/runner'
import type { Clock } from './clock'
import type { ScryptParams } from './crypto/passwords'
import type { DataKey } from './data-key'
import type { JumpSignposts } from './listing/jump-signposts'
import type { PhantomThrottle } from './phantom-throttle'
import type { SessionStore } from './sessions'
import type { WriteGate } from './write-gate'

export interface CoreContext {
  readonly db: Database
  /** The database file: background tasks open their own connections to it. */
  readonly dbPath: string
  readonly clock: Clock
  readonly dataKey: DataKey
  /** The signed-in screens of this process (windows, browser tabs). */
  readonly sessions: SessionStore
  /** Failure counts for emails without an account (lockout.ts). */
  readonly phantoms: PhantomThrottle
  /** Where the Users table can jump to any row (listing/jump-signposts.ts). */
  readonly signposts: JumpSignposts
  readonly passwordKdf: ScryptParams
  /** The re-authentication window: 5 minutes, or shorter for the end-to-end tests. */
  readonly reauthWindowMs: number
  /** Shortcomings of this installation's protection, shown to administrators. */
  readonly warnings: readonly string[]
  /** Work that grows with the directory or the log, off the thread that answers the screens. */
  readonly background: BackgroundTasks
  /** Held by a background task that keeps the write lock for long: calls that may write wait for it (write-gate.ts). */
  readonly writeGate: WriteGate
  /**
   * After a background task wrote to the directory on a connection of its own: moves the audit
   * anchor to the newest entry. `logBefore`: the newest entry's id before the task (0: the log was
   * empty, so the task began it and a missing anchor is expected, not a deletion to report).
   */
  afterBackgroundWrite(logBefore: number): void
  /** Reports an unexpected error of work no caller waits for (never a payload). */
  reportUnexpected(what: string, error: unknown): void
}

/** Records an event that comes with no other write (a failed sign-in, a sign-out) in a transaction of its own. */
export function auditAlone(ctx: CoreContext, event: AuditEvent, at: number = ctx.clock.now()): void {
  writeTransaction(ctx.db, () => appendAudit(ctx.db, at, event))
}
