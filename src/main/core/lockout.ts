// The lockout: every path that checks a password or a code (sign-in, second
// factor, recovery code, enrollment confirmation, re-authentication, and the
// RADIUS service later) goes through here, against one counter per account.
//
// A guess is reserved before it is evaluated: the counter goes up in a write
// transaction first, and a guess is refused when the counter (failures plus
// guesses still being evaluated, in any process) has used up the allowance. So
// however many attempts arrive at once, at most GUESSES_PER_LOCK are ever
// evaluated before the lock. A guess that turns out right is re-checked against
// the lock inside the transaction that records its success: one that finishes
// after the lock was set is refused even with the right secret.
//
// NIST SP 800-63B 5.2.2: consecutive failures keep counting across lock periods;
// each lock lasts twice as long as the one before; after MAX_CONSECUTIVE_FAILURES
// the account stays locked until an administrator unlocks it. Only a completed
// sign-in (both factors) or a re-authentication resets the count.
//
// Each reset begins a new run of failures (the account's generation). A guess is
// settled against the run it was reserved in: given back only to its own run, and
// a failure reserved before a reset is counted in the new one (the reset cleared
// its reservation). A run whose guesses are all reserved and whose newest is long
// unsettled (the write of a failure faulted) earns the lock that failure would have
// earned (withLostSettled), instead of refusing the account for ever.
import { AppError } from '../../shared/errors'
import { withBusyTimeout, writeTransaction } from '../db/connection'
import * as usersRepo from '../db/users-repo'
import type { LockState, UserRecord } from '../db/users-repo'
import { afterFailure, attemptsLeft, isLocked, lockedError, mayGuess, UNTIL_UNLOCKED, withLostSettled } from './lockout-rule'
import { appendAudit } from './audit/chain'
import type { CoreContext } from './context'

/** What a failed attempt was, in the audit details; the reauth- kinds happened in a signed-in session. */
export type FailureKind =
  | 'password'
  | 'totp'
  | 'totp-replay'
  | 'recovery-code'
  | 'enrollment-code'
  | 'reauth-password'
  | 'reauth-totp'
  | 'reauth-totp-replay'

export { afterFailure, attemptsLeft, attemptsLeftText, FIRST_LOCK_MS, lockedError, lockedMessage, GUESSES_PER_LOCK, isLocked, lockDurationMs, MAX_CONSECUTIVE_FAILURES, mayGuess, UNSETTLED_AFTER_MS, UNTIL_UNLOCKED } from './lockout-rule'

// ------------------------------------------------------------- the counter

/** A guess reserved for one account: settle it with failGuess or confirmGuess. */
export interface Guess {
  userId: number
  email: string
  /** Who the audit log names as acting: the user, or the RADIUS client asking for them (radius:NAME). */
  actor: string
  /** The run of failures it was counted in (LockState.generation when it was reserved). */
  generation: number
  /** When it was reserved (LockState.lastGuessAt it wrote), and the newest reservation's time before it. */
  reservedAt: number
  previousGuessAt: number | null
}

/**
 * Reserves one guess for the account before it is evaluated, or throws
 * ACCOUNT_LOCKED (recording the refusal) when it is locked or its guesses are
 * all in flight.
 */
export function reserveGuess(ctx: CoreContext, user: Pick<UserRecord, 'id' | 'email'>, actor: string = user.email): Guess {
  const now = ctx.clock.now()
  const outcome = writeTransaction(ctx.db, () => {
    const read = usersRepo.readLockState(ctx.db, user.id)
    if (read === null) throw new AppError('NOT_FOUND', 'That user does not exist (any more).')
    const state = withLostSettled(read, now)
    const lostLock = state !== read
    if (lostLock) {
      usersRepo.writeLockState(ctx.db, user.id, state)
      appendAudit(ctx.db, now, { actor, action: 'account.locked', target: user.email, details: lockDetails(state, 'a failed attempt whose record was lost') })
    }
    if (!mayGuess(state, now)) {
      appendAudit(ctx.db, now, { actor, action: 'login.locked', target: user.email })
      return { refusal: state, lostLock }
    }
    usersRepo.writeLockState(ctx.db, user.id, { ...state, failedAttempts: state.failedAttempts + 1, lastGuessAt: now })
    return { generation: state.generation, previousGuessAt: state.lastGuessAt, lostLock }
  })
  // The lock a lost failure earned ends the account's sessions, as failGuess's lock does (a guessed re-authentication keeps none).
  if (outcome.lostLock) ctx.sessions.deleteForUser(user.id)
  if (outcome.refusal !== undefined) throw lockedError(outcome.refusal.lockedUntil, now)
  return { userId: user.id, email: user.email, actor, generation: outcome.generation, reservedAt: now, previousGuessAt: outcome.previousGuessAt }
}

/** The details of an account.locked entry: until when, after how many failures (and why, when not a failure just recorded). */
function lockDetails(state: LockState, cause?: string): Record<string, unknown> {
  const until = state.lockedUntil === UNTIL_UNLOCKED ? 'an administrator unlocks it' : state.lockedUntil
  return { until, failedAttempts: state.failedAttempts, ...(cause === undefined ? {} : { cause }) }
}

/**
 * The count with this guess's reservation given back, or as it is when the guess belongs to an
 * earlier run (a reset cleared it). A reservation given back leaves no trace: when it is still the
 * newest, the newest reservation's time goes back to the one before it. (Another guess reserved in
 * the same millisecond then dates from the earlier time: its loss would be settled sooner, a lock
 * earlier, never a guess more.)
 */
function givenBack(state: LockState, guess: Guess): LockState {
  if (state.generation !== guess.generation) return state
  const lastGuessAt = state.lastGuessAt === guess.reservedAt ? guess.previousGuessAt : state.lastGuessAt
  return { ...state, failedAttempts: Math.max(0, state.failedAttempts - 1), lastGuessAt }
}

/**
 * The reserved guess was wrong. It is already counted; this records it, and
 * the lock it earns. Throws ACCOUNT_LOCKED (and ends the account's sessions)
 * when the account is locked now; returns otherwise the attempts left before
 * the lock, for the caller to throw its own error with them. `audit` false:
 * the caller recorded the failure itself.
 */
export function failGuess(ctx: CoreContext, guess: Guess, kind: FailureKind, audit = true): number {
  judgedWrong(guess)
  const now = ctx.clock.now()
  const state = writeTransaction(ctx.db, () => {
    const read = usersRepo.readLockState(ctx.db, guess.userId)
    if (read === null) return null
    // Reserved before a reset: the reset cleared its reservation, so the failure counts in the new run.
    const before = read.generation === guess.generation ? read : { ...read, failedAttempts: read.failedAttempts + 1 }
    const after = afterFailure(before, now)
    if (after !== read) usersRepo.writeLockState(ctx.db, guess.userId, after)
    if (audit) {
      appendAudit(ctx.db, now, {
        actor: guess.actor,
        action: kind === 'password' || kind === 'reauth-password' ? 'login.failure' : 'login.second-factor-failure',
        target: guess.email,
        details: { kind, failedAttempts: after.failedAttempts }
      })
    }
    if (after.lockedUntil !== before.lockedUntil && isLocked(after, now)) {
      appendAudit(ctx.db, now, { actor: guess.actor, action: 'account.locked', target: guess.email, details: lockDetails(after) })
    }
    return after
  })
  if (state !== null && isLocked(state, now)) {
    ctx.sessions.deleteForUser(guess.userId)
    throw lockedError(state.lockedUntil, now)
  }
  return state === null ? 0 : attemptsLeft(state, now)
}

/**
 * The reserved guess was right. Call inside the write transaction that records
 * its success, so the lock is checked at the moment the outcome is written:
 * throws ACCOUNT_LOCKED when another attempt locked the account meanwhile.
 * `completes` a sign-in (both factors, or a re-authentication): the run of
 * failures is over. Otherwise (a right password before the second factor) only
 * this guess's reservation is given back, so the code still has to be right
 * before the count starts again.
 */
export function confirmGuessInTransaction(ctx: CoreContext, guess: Guess, completes: boolean): void {
  const now = ctx.clock.now()
  const state = usersRepo.readLockState(ctx.db, guess.userId)
  if (state === null) throw new AppError('NOT_FOUND', 'That user does not exist (any more).')
  if (isLocked(state, now)) throw lockedError(state.lockedUntil, now)
  if (completes) usersRepo.clearFailedAttempts(ctx.db, guess.userId)
  else {
    const back = givenBack(state, guess)
    if (back !== state) usersRepo.writeLockState(ctx.db, guess.userId, back)
  }
}

/**
 * Writes the success of a right guess: `write` runs in the transaction that confirms it (as
 * confirmGuessInTransaction). A fault of ours writing it (the disk full, the database busy past
 * the timeout) gives the reservation back: a right secret never counts against the person.
 */
export function confirmGuess<T>(ctx: CoreContext, guess: Guess, completes: boolean, write: () => T): T {
  return writeForGuess(ctx, guess, () => {
    confirmGuessInTransaction(ctx, guess, completes)
    return write()
  })
}

/**
 * Runs `write` in a write transaction for a guess whose secret looked right (a temporary pass that
 * matched, then used up in `write`): a fault of ours writing it gives the reservation back.
 */
export function writeForGuess<T>(ctx: CoreContext, guess: Guess, write: () => T): T {
  try {
    return writeTransaction(ctx.db, write)
  } catch (error) {
    if (isFault(error)) releaseGuess(ctx, guess)
    throw error
  }
}

/** Guesses found wrong: they stay counted, whatever fails after (see releaseGuess). */
const wrongGuesses = new WeakSet<Guess>()

/**
 * The guess was found wrong (failGuess says so itself; a caller that writes something of its own
 * first says so before). From here on a fault writing the failure does not give it back.
 */
export function judgedWrong(guess: Guess): void {
  wrongGuesses.add(guess)
}

/** How often, and how long apart, a reservation that could not be given back is tried again. */
export const RELEASE_RETRIES = 30
export const RELEASE_RETRY_MS = 2_000
/** How long each try waits for another program's write lock: briefly, on the thread that answers. */
const RELEASE_BUSY_MS = 50

/**
 * Gives a reservation back when the guess could not be evaluated at all (a fault of ours, not a
 * wrong secret). Never throws: the fault that stopped the guess (another program holding the
 * write lock for a long change, most often) may stop this write too. Each try waits 50 ms at most
 * for the lock (never the busy timeout: the thread answers the screens and the RADIUS clients),
 * and a failed one is tried again every 2 s for a minute, each in its turn at the write gate (after
 * a background task of this process that writes), so that a fault never counts against the person.
 * A guess found wrong is never given back (judgedWrong).
 * A give-back that lands after the count was reset (a sign-in completed, an administrator's unlock)
 * changes nothing: the reset cleared that reservation, and the count is of failures since.
 */
export function releaseGuess(ctx: CoreContext, guess: Guess): void {
  // A wrong secret whose failure could not be written (a full disk takes a success's small entry
  // and not a failure's) stays counted: otherwise the fault would be an answer with no limit.
  if (wrongGuesses.has(guess)) return
  const giveBack = (): void =>
    writeTransaction(ctx.db, () => {
      const state = usersRepo.readLockState(ctx.db, guess.userId)
      if (state === null) return
      const back = givenBack(state, guess)
      if (back !== state) usersRepo.writeLockState(ctx.db, guess.userId, back)
    })
  const report = (error: unknown): void => ctx.reportUnexpected('giving back a guess that could not be checked', error)
  const attempt = (retriesLeft: number): void => {
    if (!ctx.db.open) return
    try {
      withBusyTimeout(ctx.db, RELEASE_BUSY_MS, giveBack)
    } catch (error) {
      if (retriesLeft <= 0) return report(error)
      setTimeout(() => ctx.writeGate.writeSoon(() => attempt(retriesLeft - 1), report), RELEASE_RETRY_MS).unref()
    }
  }
  attempt(RELEASE_RETRIES)
}

/** A fault of ours (the database busy, full, damaged; the key unreadable; a bug), not an answer about the secret. */
export function isFault(error: unknown): boolean {
  if (!(error instanceof AppError)) return true
  return error.code === 'DATABASE_BUSY' || error.code === 'DISK_FULL' || error.code === 'DATABASE_CORRUPT' || error.code === 'KEY_UNAVAILABLE' || error.code === 'INTERNAL'
}

/** Refuses a step that checks no secret (starting an enrollment) while the account is locked. */
export function assertNotLocked(ctx: CoreContext, userId: number): void {
  const now = ctx.clock.now()
  const state = usersRepo.readLockState(ctx.db, userId)
  if (state !== null && isLocked(state, now)) throw lockedError(state.lockedUntil, now)
}
