// Login with a temporary access pass typed where the password goes: the branch
// login takes when the typed secret is the user's pass. The guess was reserved
// with the lockout before the pass was looked at, like any password guess.
import type { AuthStep } from '../../../shared/domain'
import type { AppError } from '../../../shared/errors'
import type { TemporaryPassRecord } from '../../db/temporary-pass-repo'
import type { UserRecord } from '../../db/users-repo'
import type { SessionHolder } from '../caller'
import { auditAlone, type CoreContext } from '../context'
import { confirmGuessInTransaction, failGuess, writeForGuess, type Guess } from '../lockout'
import { authStep } from '../sign-in/auth-step'
import { mustFindUser } from '../users/user-views'
import { usePassInTransaction } from './pass-check'

/**
 * Opens the restricted session of a pass (stage 'temporary-pass': a first
 * password and enrollment, nothing else). A single-use pass is used up here.
 * `wrong` is login's own answer to a wrong password, so a pass that stopped
 * working meanwhile (or a disabled account) answers exactly like one.
 */
export function signInWithTemporaryPass(ctx: CoreContext, holder: SessionHolder, user: UserRecord, guess: Guess, pass: TemporaryPassRecord, wrong: () => AppError): AuthStep {
  if (user.disabled) {
    failGuess(ctx, guess, 'password')
    auditAlone(ctx, { actor: user.email, action: 'login.failure', target: user.email, details: { reason: 'disabled', temporaryPass: true } })
    throw wrong()
  }
  const used = writeForGuess(ctx, guess, () => {
    if (!usePassInTransaction(ctx, user, pass, 'login')) return false
    // Like a right password before the second factor: the run of failures goes on until enrollment completes the sign-in.
    confirmGuessInTransaction(ctx, guess, false)
    return true
  })
  if (!used) {
    failGuess(ctx, guess, 'password')
    throw wrong()
  }
  holder.sessionId = ctx.sessions.create(user.id, 'temporary-pass', ctx.clock.now(), { temporaryPass: pass.passHash }).id
  return authStep('temporary-pass', mustFindUser(ctx, user.id))
}
