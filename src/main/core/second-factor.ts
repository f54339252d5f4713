// The second factor: a TOTP code from the person's authenticator app, or one of
// their recovery codes. Every path that takes a code (sign-in, re-authentication,
// deactivation, regenerating recovery codes) checks it here, with the lockout
// and the one-use-per-time-step rule.
import { AppError } from '../../shared/errors'
import { writeTransaction } from '../db/connection'
import * as totpRepo from '../db/totp-repo'
import * as usersRepo from '../db/users-repo'
import type { UserRecord } from '../db/users-repo'
import { appendAudit } from './audit/chain'
import { auditAlone, type CoreContext } from './context'
import { decryptSecret, hashRecoveryCode, newRecoveryCode, RECOVERY_CODE_COUNT } from './crypto/secrets'
import { checkTotp } from './crypto/totp'
import { assertNotLocked, failAttempt } from './lockout'

export const INVALID_CODE_MESSAGE = 'That code is not correct. Enter the current code from your authenticator app.'
const REPLAYED_MESSAGE = 'That code was already used. Wait for the next code in your authenticator app and enter it.'

/** Why a code is checked: a sign-in writes login.success; the reauth kinds are counted as such. */
export type CodePurpose = 'login' | 'confirm' | 'reauth'

/**
 * Verifies a TOTP code of the user's active authenticator; on success runs
 * `onSuccess` in the same transaction that records the used time step, so a
 * code can be accepted only once even by two processes at the same moment.
 */
export function verifyTotpOrFail(ctx: CoreContext, user: UserRecord, code: string, purpose: CodePurpose, onSuccess: () => void): void {
  const now = ctx.clock.now()
  assertNotLocked(user, now)
  const credential = totpRepo.findCredential(ctx.db, user.id)
  if (!credential) throw new AppError('NOT_ACTIVE', '2FA is not active for this account.')
  const secret = decryptSecret(ctx.dataKey.get(), user.id, credential.secretEnc)
  const check = checkTotp(secret, code, now, credential, credential.lastUsedStep)
  secret.fill(0)
  let outcome: 'ok' | 'replay' | 'invalid' = check.valid ? 'ok' : check.replay ? 'replay' : 'invalid'
  if (check.valid) {
    outcome = writeTransaction(ctx.db, () => {
      if (!totpRepo.advanceLastUsedStep(ctx.db, user.id, check.step)) return 'replay'
      onSuccess()
      if (purpose === 'login') {
        appendAudit(ctx.db, now, { actor: user.email, action: 'login.success', target: user.email, details: { secondFactor: true } })
      }
      return 'ok'
    })
  }
  if (outcome === 'ok') return
  if (outcome === 'replay') {
    auditAlone(
      ctx,
      { actor: user.email, action: 'login.replay-rejected', target: user.email, details: purpose === 'reauth' ? { reauthentication: true } : {} },
      now
    )
    failAttempt(ctx, user, now, purpose === 'reauth' ? 'reauth-totp-replay' : 'totp-replay', false)
    throw new AppError('CODE_REPLAYED', REPLAYED_MESSAGE)
  }
  failAttempt(ctx, user, now, purpose === 'reauth' ? 'reauth-totp' : 'totp')
  throw new AppError('INVALID_CODE', INVALID_CODE_MESSAGE)
}

/** Uses up one of the user's recovery codes, as the second factor of a sign-in. */
export function useRecoveryCodeOrFail(ctx: CoreContext, user: UserRecord, code: string): void {
  const now = ctx.clock.now()
  assertNotLocked(user, now)
  const hash = hashRecoveryCode(ctx.dataKey.get(), user.id, code)
  const used = writeTransaction(ctx.db, () => {
    if (!totpRepo.consumeRecoveryCode(ctx.db, user.id, hash, now)) return false
    usersRepo.recordSecondFactorLogin(ctx.db, user.id, now)
    appendAudit(ctx.db, now, {
      actor: user.email,
      action: 'login.recovery-code-used',
      target: user.email,
      details: { remaining: totpRepo.countUnusedRecoveryCodes(ctx.db, user.id) }
    })
    return true
  })
  if (!used) {
    failAttempt(ctx, user, now, 'recovery-code')
    throw new AppError('INVALID_CODE', 'That recovery code is not valid or was already used. Each code works once.')
  }
}

/** Ten fresh recovery codes: the plain codes to show once, and their keyed hashes to store. */
export function newRecoveryCodes(dataKey: Buffer, userId: number): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode())
  return { codes, hashes: codes.map((code) => hashRecoveryCode(dataKey, userId, code)) }
}
