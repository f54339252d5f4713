// The lockout: every path that checks a password or a code counts its failures
// here, against the same counter, and a locked account is refused by each of
// them. Unknown emails get a counter of their own (phantom-throttle.ts) so
// that a lock message cannot tell who has an account.
import { AppError } from '../../shared/errors'
import { writeTransaction } from '../db/connection'
import * as usersRepo from '../db/users-repo'
import type { UserRecord } from '../db/users-repo'
import { appendAudit } from './audit/chain'
import type { CoreContext } from './context'

export const LOCK_THRESHOLD = 10
export const LOCK_DURATION_MS = 10 * 60 * 1000

export const LOCKED_MESSAGE =
  'Too many failed attempts: sign-in is locked for 10 minutes. Try again later, or ask an administrator to unlock the account.'

/** What a failed attempt was, in the audit details; the reauth- kinds happened in a signed-in session. */
export type FailureKind = 'password' | 'totp' | 'totp-replay' | 'recovery-code' | 'reauth-password' | 'reauth-totp' | 'reauth-totp-replay'

export function lockedError(): AppError {
  return new AppError('ACCOUNT_LOCKED', LOCKED_MESSAGE)
}

export function isLocked(user: Pick<UserRecord, 'lockedUntil'>, now: number): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now
}

export function assertNotLocked(user: UserRecord, now: number): void {
  if (isLocked(user, now)) throw lockedError()
}

/** After a lock runs out the count starts again, rather than relocking on the next typo. */
export function expireLock(ctx: CoreContext, user: UserRecord, now: number): UserRecord {
  if (user.lockedUntil === null || user.lockedUntil > now) return user
  writeTransaction(ctx.db, () => usersRepo.clearFailedAttempts(ctx.db, user.id))
  return { ...user, lockedUntil: null, failedAttempts: 0 }
}

/**
 * Counts a failed attempt; throws ACCOUNT_LOCKED (and ends the user's
 * sessions) when this one locks the account. `audit` false: the caller
 * recorded the failure itself (a replayed code).
 */
export function failAttempt(ctx: CoreContext, user: UserRecord, now: number, kind: FailureKind, audit = true): void {
  const result = writeTransaction(ctx.db, () => {
    const counted = usersRepo.recordFailedAttempt(ctx.db, user.id, LOCK_THRESHOLD, now + LOCK_DURATION_MS)
    if (audit) {
      appendAudit(ctx.db, now, {
        actor: user.email,
        action: kind === 'password' || kind === 'reauth-password' ? 'login.failure' : 'login.second-factor-failure',
        target: user.email,
        details: { kind, failedAttempts: counted.failedAttempts }
      })
    }
    if (counted.locked) {
      appendAudit(ctx.db, now, { actor: user.email, action: 'account.locked', target: user.email, details: { until: now + LOCK_DURATION_MS } })
    }
    return counted
  })
  if (result.locked) {
    ctx.sessions.deleteForUser(user.id)
    throw lockedError()
  }
}
