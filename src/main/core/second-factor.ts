// The second factor: a TOTP code from the person's authenticator app, or one of
// their recovery codes. Every path that takes a code (sign-in, re-authentication,
// deactivation, regenerating recovery codes, confirming an enrollment) checks
// it here: a guess is reserved with the lockout first, a time step is accepted
// once, and the success is written in one transaction with the lock re-checked.
import { AppError } from '../../shared/errors'
import { writeTransaction } from '../db/connection'
import * as totpRepo from '../db/totp-repo'
import * as usersRepo from '../db/users-repo'
import type { UserRecord } from '../db/users-repo'
import { appendAudit } from './audit/chain'
import { auditAlone, type CoreContext } from './context'
import { verifyUserPassword } from './directory-sync/directory-password'
import { decryptSecret, hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from './crypto/secrets'
import { checkTotp, type TotpConfig } from './crypto/totp'
import { attemptsLeftText, confirmGuessInTransaction, failGuess, isFault, judgedWrong, releaseGuess, reserveGuess, type FailureKind, type Guess } from './lockout'

export const INVALID_CODE_MESSAGE = 'That code is not correct. Enter the current code from your authenticator app.'
const REPLAYED_MESSAGE = 'That code was already used. Wait for the next code in your authenticator app and enter it.'

/**
 * A wrong code of a person known to be the account's: the error carries the
 * attempts left before the lock, and its message says them when few remain.
 */
export function wrongSecret(code: 'INVALID_CODE' | 'CODE_REPLAYED' | 'INVALID_CREDENTIALS', message: string, left: number, field?: string): AppError {
  return new AppError(code, `${message}${attemptsLeftText(left)}`, field, { attemptsLeft: left })
}

/** Why a code is checked: a sign-in writes login.success; the reauth kinds are counted as such. */
export type CodePurpose = 'login' | 'confirm' | 'reauth'

/**
 * Runs `evaluate` for a reserved guess. A verdict settles it; an error that is
 * not a verdict (a missing key, a damaged row) gives the reservation back, so
 * a fault of ours never locks anyone out. A fault after the secret was found
 * wrong (writing the failure) gives nothing back (judgedWrong).
 */
export function withGuess<T>(ctx: CoreContext, user: Pick<UserRecord, 'id' | 'email'>, evaluate: (guess: Guess) => T, actor: string = user.email): T {
  const guess = reserveGuess(ctx, user, actor)
  try {
    return evaluate(guess)
  } catch (error) {
    if (isFault(error)) releaseGuess(ctx, guess)
    throw error
  }
}

/**
 * Verifies a TOTP code of the user's active authenticator; on success runs
 * `onSuccess` in the same transaction that records the used time step and
 * re-checks the lock, so a code can be accepted only once even by two
 * processes at the same moment, and never after a lock.
 */
export function verifyTotpOrFail(ctx: CoreContext, user: UserRecord, code: string, purpose: CodePurpose, onSuccess: () => void, actor: string = user.email): void {
  const credential = totpRepo.findCredential(ctx.db, user.id)
  if (!credential) throw new AppError('NOT_ACTIVE', '2FA is not active for this account.')
  withGuess(ctx, user, (guess) => {
    const now = ctx.clock.now()
    const secret = decryptSecret(ctx.dataKey.get(), user.id, credential.secretEnc)
    const check = checkTotp(secret, code, now, credential, credential.lastUsedStep)
    secret.fill(0)
    let outcome: 'ok' | 'replay' | 'invalid' = check.valid ? 'ok' : check.replay ? 'replay' : 'invalid'
    if (check.valid) {
      outcome = writeTransaction(ctx.db, () => {
        if (!totpRepo.advanceLastUsedStep(ctx.db, user.id, check.step)) return 'replay'
        confirmGuessInTransaction(ctx, guess, true)
        onSuccess()
        if (purpose === 'login') {
          appendAudit(ctx.db, now, { actor, action: 'login.success', target: user.email, details: { secondFactor: true } })
        }
        return 'ok'
      })
    }
    if (outcome === 'ok') return
    if (outcome === 'replay') {
      judgedWrong(guess)
      auditAlone(ctx, { actor, action: 'login.replay-rejected', target: user.email, details: purpose === 'reauth' ? { reauthentication: true } : {} }, now)
      const left = failGuess(ctx, guess, purpose === 'reauth' ? 'reauth-totp-replay' : 'totp-replay', false)
      throw wrongSecret('CODE_REPLAYED', REPLAYED_MESSAGE, left)
    }
    const left = failGuess(ctx, guess, purpose === 'reauth' ? 'reauth-totp' : 'totp')
    throw wrongSecret('INVALID_CODE', INVALID_CODE_MESSAGE, left)
  }, actor)
}

/**
 * Checks the first code of a new authenticator against the pending secret, as
 * a guess like any other; on success runs `onSuccess` (which activates 2FA) in
 * the transaction that re-checks the lock. Returns the time step the code used.
 */
export function confirmEnrollmentCodeOrFail(
  ctx: CoreContext,
  user: UserRecord,
  sealed: Buffer,
  config: TotpConfig,
  code: string,
  onSuccess: (step: number) => void
): void {
  withGuess(ctx, user, (guess) => {
    const now = ctx.clock.now()
    const secret = decryptSecret(ctx.dataKey.get(), user.id, sealed)
    const check = checkTotp(secret, code, now, config, null)
    secret.fill(0)
    if (!check.valid) {
      const left = failGuess(ctx, guess, 'enrollment-code')
      throw wrongSecret('INVALID_CODE', INVALID_CODE_MESSAGE, left)
    }
    writeTransaction(ctx.db, () => {
      confirmGuessInTransaction(ctx, guess, true)
      onSuccess(check.step)
    })
  })
}

/**
 * Uses up one of the user's recovery codes, as the second factor of a sign-in.
 * Returns how many unused codes are left, counted in the transaction that used this one.
 */
export function useRecoveryCodeOrFail(ctx: CoreContext, user: UserRecord, code: string, actor: string = user.email): number {
  return withGuess(ctx, user, (guess) => {
    const now = ctx.clock.now()
    const hash = hashRecoveryCode(ctx.dataKey.get(), user.id, code)
    const remaining = writeTransaction(ctx.db, () => {
      if (!totpRepo.consumeRecoveryCode(ctx.db, user.id, hash, now)) return null
      confirmGuessInTransaction(ctx, guess, true)
      usersRepo.recordSecondFactorLogin(ctx.db, user.id, now)
      const left = totpRepo.countUnusedRecoveryCodes(ctx.db, user.id)
      appendAudit(ctx.db, now, { actor, action: 'login.recovery-code-used', target: user.email, details: { remaining: left } })
      return left
    })
    if (remaining === null) {
      const left = failGuess(ctx, guess, 'recovery-code')
      throw wrongSecret('INVALID_CODE', 'That recovery code is not valid or was already used. Each code works once.', left)
    }
    return remaining
  }, actor)
}

/** A password check as a guess (the directory's for a directory user): `kind` names it in the audit log when it fails. */
export async function checkPasswordOrFail(
  ctx: CoreContext,
  user: UserRecord,
  password: string,
  kind: Extract<FailureKind, 'password' | 'reauth-password'>,
  /** The error of a wrong password; `left`: the attempts left before the lock. */
  wrong: (left: number) => AppError,
  actor: string = user.email
): Promise<Guess> {
  const guess = reserveGuess(ctx, user, actor)
  let ok: boolean
  try {
    ok = await verifyUserPassword(ctx, user, password)
  } catch (error) {
    releaseGuess(ctx, guess)
    throw error
  }
  if (!ok) throw wrong(failGuess(ctx, guess, kind))
  return guess
}

/** Ten fresh recovery codes: the plain codes to show once, and their keyed hashes to store. */
export function newRecoveryCodes(dataKey: Buffer, userId: number): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode())
  return { codes, hashes: codes.map((code) => hashRecoveryCode(dataKey, userId, code)) }
}
