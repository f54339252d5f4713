// (Over 300 lines: the gate, its turns and its refusals are one mechanism.)
// A background task that holds the directory's one write lock for long (a bulk
// change of many users, which reads what it decides on and writes it in one
// transaction, seconds at 100,000 users; a CSV import's one transaction of
// every row; a directory sync's) would make every write of the thread that
// answers the screens wait on SQLite's busy timeout: a blocked event loop
// (every window and tab frozen) and, past 5 s, DATABASE_BUSY. So the writers
// of this process take turns at this gate:
// - a background task takes it right before its write transaction
//   (TaskEnv.beforeWriting, background/runner.ts: after any long read, of a CSV
//   or of LDAP), once no other task holds it and no call that may write is
//   under way, and holds it until it ends;
// - a call that may write (the dispatcher: mayWrite) begins only while no task
//   holds the gate or waits for it, waiting without blocking, and counts as
//   under way until it has answered: a login that awaits its password hash and
//   then writes is never caught by a task that began meanwhile. A call that
//   awaits a background task of its own steps out while it waits
//   (stepOut), or its task could never begin;
// - the screens' reads (READ_METHODS) never wait: they read WAL snapshots.
// Turns are taken in the order asked. Writers of other processes still queue
// on the busy timeout.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { ApiMethod } from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { Caller } from './caller'

/** The longest a call waits for its turn; after it, the call is refused as busy, without touching SQLite. */
export const GATE_WAIT_MS = 120_000

export const GATE_BUSY_MESSAGE = 'The directory is busy with a long change (a bulk change, an import or a directory sync). Try again when it has finished.'

/** For a caller who is not a signed-in administrator (a sign-in page, My account): that a long change runs is the administrators' business. */
export const GATE_BUSY_MESSAGE_SIGNED_OUT = 'The directory is busy. Try again in a minute.'

/** The message of a refusal as busy, or how to word it when it happens (who asks may have changed meanwhile). */
export type BusyMessage = string | (() => string)

/** The words of a refusal; when they cannot be worked out (the directory unreadable), the ones that tell least. */
function wordingOf(message: BusyMessage): string {
  if (typeof message === 'string') return message
  try {
    return message()
  } catch {
    return GATE_BUSY_MESSAGE_SIGNED_OUT
  }
}

/** A call or task still waiting for its turn when the core closed: it never began. */
export const CLOSED_BEFORE_MESSAGE = '2FA Admin closed before this request could be carried out: nothing was changed. Open it again and retry.'

/** A call under way when the core closed, which then met the closed connection: part of it may have taken effect. */
export const CLOSED_DURING_MESSAGE = '2FA Admin closed while this request ran. Open it again, check whether it took effect, then retry.'

/** What a call or task gets once the core has closed, rather than a closed connection's error. */
export function closedError(during = false): AppError {
  return new AppError('CLOSED', during ? CLOSED_DURING_MESSAGE : CLOSED_BEFORE_MESSAGE)
}

/**
 * Calls that read: they do not wait for the gate. Any other call waits. A read writes only to
 * record that its caller's session timed out (mayWrite foresees it; one that times out after that
 * look is recorded by writeSoon), or what it may leave for later while the gate is held (today's 2FA
 * distribution, the audit log's verification mark).
 */
export const READ_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'getAppState',
  'getMyAccount',
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

/**
 * Whether a call may write, and so waits while the gate is held: any call outside READ_METHODS but
 * logout, and a read whose session has timed out (its look-up records the expiry in the audit log).
 */
export function mayWrite(method: ApiMethod, caller: Caller, timesOut: (sessionId: string | null) => boolean): boolean {
  // A sign-out never waits: the session ends at once, its record is written by writeSoon.
  if (method === 'logout') return false
  if (!READ_METHODS.has(method)) return true
  return caller.kind === 'session' && timesOut(caller.holder.sessionId)
}

/** A call under way that may write, as the gate counts it. */
interface CallTurn {
  /** Its tasks it is awaiting now (stepOut): while any, it is not counted. */
  out: number
  /** It has answered: no longer counted, and never again. */
  ended: boolean
}

interface Waiter {
  kind: 'call' | 'task'
  grant: () => void
  /** The core closes while it waits: a call or a task is refused (CLOSED); a record (writeSoon) is handed to close(), to write before the connection closes. */
  atClose: { refuse: () => void } | { record: () => void }
}

export class WriteGate {
  private taskHolds = false
  private closed = false
  private calls = 0
  private readonly queue: Waiter[] = []
  private readonly turn = new AsyncLocalStorage<CallTurn>()

  /** Whether a background task holds the gate (and so, soon or now, the write lock). */
  get held(): boolean {
    return this.taskHolds
  }

  /**
   * Runs `work`, a call that may write, in its turn: once no task holds the gate or waits for
   * it (at most `maxWaitMs`, then DATABASE_BUSY), counted as under way until it settles.
   */
  async duringCall<T>(work: () => Promise<T>, maxWaitMs = GATE_WAIT_MS, busyMessage: BusyMessage = GATE_BUSY_MESSAGE): Promise<T> {
    await this.enter(maxWaitMs, busyMessage)
    const turn: CallTurn = { out: 0, ended: false }
    try {
      return await this.turn.run(turn, work)
    } finally {
      turn.ended = true
      if (turn.out === 0) this.leave()
    }
  }

  /** Runs `write` (synchronous) in a turn of its own (within a call under way: in the call's): a record written after background work. */
  async write<T>(write: () => T, maxWaitMs = GATE_WAIT_MS): Promise<T> {
    const turn = this.turn.getStore()
    if (turn !== undefined && !turn.ended && turn.out === 0) return write()
    await this.enter(maxWaitMs)
    try {
      return write()
    } finally {
      this.leave()
    }
  }

  /**
   * Runs `write` (synchronous and small: one record) at once when that waits for no one (within a
   * call's turn, or while no task holds the gate or waits for it), otherwise in a turn of its own
   * once the tasks are done, however long they take (a record must not be dropped for a long
   * import), or when the core closes, whichever comes first. `write` learns whether it was
   * deferred: its entry is then written at a later time than what it records (and after the task's
   * entries), so it says when that happened. A failure either way goes to `onError`, not to the
   * caller: a sign-out or an expiry has happened whether or not its record could be written. A read
   * finds its caller's session timed out after mayWrite looked (the clock moved between the two):
   * the record of it never waits inside a task's write lock, and the read answers at once.
   */
  writeSoon(write: (deferred: boolean) => void, onError: (error: unknown) => void): void {
    // Never throws: it may run inside another's release of the gate, or inside close().
    const attempt = (deferred: boolean): void => {
      try {
        write(deferred)
      } catch (error) {
        failed(error)
      }
    }
    const failed = (error: unknown): void => {
      try {
        onError(error)
      } catch {
        // Reporting failed too: nothing more to do for one record.
      }
    }
    if (this.closed) return failed(new Error('The core had closed: the record was not written.'))
    const turn = this.turn.getStore()
    const inTurn = turn !== undefined && !turn.ended && turn.out === 0
    if (!this.taskHolds && (inTurn || this.queue.length === 0)) return attempt(false)
    // Its own turn even within a call's: a task that holds the gate now (a cancelled one whose thread is still stopping) may hold the write lock.
    this.queue.push({
      kind: 'call',
      grant: () => {
        try {
          attempt(true)
        } finally {
          this.leave()
        }
      },
      atClose: { record: () => attempt(true) }
    })
  }

  /** Awaits `waiting` (a person's answer in a dialog, not a write) with the call under way stepped out meanwhile. */
  async aside<T>(waiting: () => Promise<T>): Promise<T> {
    const back = this.stepOut()
    try {
      return await waiting()
    } finally {
      await back?.(false)
    }
  }

  /**
   * For the background runner: the call under way (if any) stops counting while it awaits a task.
   * Returns how to count it again, given whether the task holds the gate at that moment
   * (then at once, before the task lets go; otherwise in its turn).
   */
  stepOut(): ((taskHolds: boolean) => Promise<void> | undefined) | null {
    const turn = this.turn.getStore()
    if (turn === undefined || turn.ended) return null
    turn.out++
    if (turn.out === 1) this.leave()
    let back = false
    return (taskHolds) => {
      if (back) return undefined
      back = true
      if (turn.out > 1 || turn.ended) {
        turn.out--
        return undefined
      }
      if (taskHolds || (!this.taskHolds && this.queue.length === 0)) {
        turn.out--
        this.calls++
        return undefined
      }
      // In its turn, as long as any call waits at most; refused, the call stays stepped out (uncounted).
      return this.enter(GATE_WAIT_MS).then(() => {
        turn.out--
        // Ended meanwhile, or stepped out again for another task: not under way now.
        if (turn.ended || turn.out > 0) this.leave()
      })
    }
  }

  /** Takes the gate for a background task once no one holds it and no call is under way; resolves with its release. */
  acquire(): Promise<() => void> {
    if (this.closed) return Promise.reject(closedError())
    return new Promise((taken, refused) => {
      this.queue.push({
        kind: 'task',
        atClose: { refuse: () => refused(closedError()) },
        grant: () => {
          let released = false
          taken(() => {
            if (released) return
            released = true
            this.taskHolds = false
            this.pump()
          })
        }
      })
      this.pump()
    })
  }

  /**
   * The core closes: every call and task still waiting is refused with CLOSED, and the records
   * waiting (writeSoon) are returned, for the core to write while its connection is open (in one
   * transaction: a task under way may still hold the write lock). Each record reports its own
   * failure and never throws. Nothing waits for its turn after this.
   */
  close(): Array<() => void> {
    this.closed = true
    const records: Array<() => void> = []
    for (const waiter of this.queue.splice(0)) {
      if ('record' in waiter.atClose) records.push(waiter.atClose.record)
      else waiter.atClose.refuse()
    }
    return records
  }

  private enter(maxWaitMs: number, busyMessage: BusyMessage = GATE_BUSY_MESSAGE): Promise<void> {
    if (this.closed) return Promise.reject(closedError())
    if (!this.taskHolds && this.queue.length === 0) {
      this.calls++
      return Promise.resolve()
    }
    return new Promise((entered, refused) => {
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(waiter)
        if (at >= 0) this.queue.splice(at, 1)
        refused(new AppError('DATABASE_BUSY', wordingOf(busyMessage)))
        this.pump()
      }, maxWaitMs)
      const waiter: Waiter = {
        kind: 'call',
        grant: () => {
          clearTimeout(timer)
          entered()
        },
        atClose: {
          refuse: () => {
            clearTimeout(timer)
            refused(closedError())
          }
        }
      }
      this.queue.push(waiter)
    })
  }

  private leave(): void {
    this.calls--
    this.pump()
  }

  /** Grants the turns that may begin now, in the order asked: calls while no task holds the gate, a task once nothing else runs. */
  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!
      if (this.taskHolds) return
      if (next.kind === 'task') {
        if (this.calls > 0) return
        this.taskHolds = true
      } else this.calls++
      this.queue.shift()
      next.grant()
    }
  }
}
