// The lockout's rule as pure functions (NIST SP 800-63B 5.2.2): how many guesses
// an account may have evaluated, what a failure earns, how long a lock lasts.
// Shared by real accounts (lockout.ts) and emails without one (phantom-throttle.ts).
import { AppError } from '../../shared/errors'
import { UNTIL_UNLOCKED_TEXT } from '../../shared/labels'
import type { LockState } from '../db/users-repo'

export const GUESSES_PER_LOCK = 10
export const MAX_CONSECUTIVE_FAILURES = 100
export const FIRST_LOCK_MS = 10 * 60 * 1000
/** locked_until of an account that stays locked until an administrator unlocks it. */
export const UNTIL_UNLOCKED = Number.MAX_SAFE_INTEGER

/** How long the lock earned at `level` lasts: 10 minutes, then 20, 40 ... */
export function lockDurationMs(level: number): number {
  return FIRST_LOCK_MS * 2 ** Math.max(0, level - 1)
}

export function isLocked(state: Pick<LockState, 'lockedUntil'>, now: number): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now
}

/** How many failures (and guesses in flight) the account may have before its next lock. */
function allowance(state: Pick<LockState, 'lockLevel'>): number {
  return Math.min(MAX_CONSECUTIVE_FAILURES, (state.lockLevel + 1) * GUESSES_PER_LOCK)
}

/** Whether one more guess may be evaluated now: not locked, and guesses left before the next lock. */
export function mayGuess(state: LockState, now: number): boolean {
  return !isLocked(state, now) && state.failedAttempts < allowance(state)
}

/**
 * Guesses left before the next lock, after a failure was recorded (guesses still
 * in flight count as used, so attempts at once never promise more than the rule allows).
 */
export function attemptsLeft(state: LockState, now: number): number {
  return isLocked(state, now) ? 0 : Math.max(0, allowance(state) - state.failedAttempts)
}

/** From this many attempts left, a wrong password or code says how many remain. */
export const WARN_ATTEMPTS_LEFT = 3

/** The sentence a wrong secret's message ends with when few attempts remain ("3 attempts left"), or ''. */
export function attemptsLeftText(left: number | undefined): string {
  if (left === undefined || left > WARN_ATTEMPTS_LEFT || left <= 0) return ''
  return ` ${left === 1 ? '1 attempt left' : `${left} attempts left`} before sign-in is locked.`
}

/** The state after a reserved guess failed (the counter already holds it): the lock it earns, if any. */
export function afterFailure(state: LockState, now: number): LockState {
  if (state.failedAttempts >= MAX_CONSECUTIVE_FAILURES) {
    return { ...state, lockLevel: MAX_CONSECUTIVE_FAILURES / GUESSES_PER_LOCK, lockedUntil: UNTIL_UNLOCKED }
  }
  if (state.failedAttempts < (state.lockLevel + 1) * GUESSES_PER_LOCK) return state
  const lockLevel = Math.floor(state.failedAttempts / GUESSES_PER_LOCK)
  return { ...state, lockLevel, lockedUntil: now + lockDurationMs(lockLevel) }
}

/**
 * How long after the newest reservation an account whose guesses are all reserved may still be
 * waiting for them to be settled: far beyond any check (a password's scrypt, a give-back's minute
 * of retries).
 */
export const UNSETTLED_AFTER_MS = 5 * 60 * 1000

/**
 * The state with a lost settlement taken as the failure it would have recorded. When every guess
 * the allowance has is reserved, the account is not locked, and the newest reservation is older
 * than UNSETTLED_AFTER_MS, the write that settles it was lost (a fault as the 10th failure was
 * recorded): it earns the lock that failure would have earned, dated at its reservation. Without
 * this, the account would refuse every guess ("locked") until an administrator unlocks it.
 */
export function withLostSettled(state: LockState, now: number): LockState {
  if (isLocked(state, now) || state.failedAttempts < allowance(state)) return state
  if (state.lastGuessAt === null || now - state.lastGuessAt < UNSETTLED_AFTER_MS) return state
  return afterFailure(state, state.lastGuessAt)
}

/** The message for a person who is known to be this account's (after the password, or in a session). */
export function lockedMessage(lockedUntil: number | null, now: number): string {
  if (lockedUntil === UNTIL_UNLOCKED) {
    return `Too many failed attempts: this account is locked ${UNTIL_UNLOCKED_TEXT}. Ask an administrator.`
  }
  const minutes = lockedUntil === null ? 10 : Math.max(1, Math.ceil((lockedUntil - now) / 60_000))
  return `Too many failed attempts: sign-in is locked for ${minutes === 1 ? '1 more minute' : `${minutes} more minutes`}. Try again later, or ask an administrator to unlock the account.`
}

export function lockedError(lockedUntil: number | null = null, now = 0): AppError {
  return new AppError('ACCOUNT_LOCKED', lockedMessage(lockedUntil, now))
}
