// Sign-in: the first administrator, password, second factor, sign-out and
// "Confirm it's you". The session's stage (sessions.ts) says how far a sign-in
// got; the guards refuse every other method until it is signed in.
import type { SignInApi } from '../../../shared/contract'
import type { AppState, AuthStep } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit, type AuditEvent } from '../audit/chain'
import { unauthenticatedEmail } from '../audit/untrusted'
import { auditAlone, type CoreContext } from '../context'
import { hashPassword, needsRehash, requireAcceptablePassword, verifyPassword } from '../crypto/passwords'
import { readEnforcementPolicy } from '../enforcement/policy'
import { activationDemand } from '../enforcement/rules'
import { deferredEvent, endSession, recordExpiry, requireScreen, requireSession } from '../guards'
import type { HandlersFor } from '../handlers'
import { assertNotLocked, confirmGuess, failGuess, isLocked, lockedError, releaseGuess, reserveGuess } from '../lockout'
import { hasPassword, verifyUserPassword } from '../directory-sync/directory-password'
import { checkPasswordOrFail, useRecoveryCodeOrFail, verifyTotpOrFail, wrongSecret } from '../second-factor'
import { readIdleTimeoutMinutes } from '../enforcement/idle-timeout'
import type { SessionStage } from '../sessions'
import { matchingPass, usablePass } from '../temporary-pass/pass-check'
import { signInWithTemporaryPass } from '../temporary-pass/pass-sign-in'
import { mustFindUser, toMe } from '../users/user-views'
import { authStep } from './auth-step'

const INVALID_CREDENTIALS_MESSAGE = 'The email or password is not correct. Check both and try again.'

function alreadySetUp(): AppError {
  return new AppError('ALREADY_SET_UP', 'The first administrator already exists. Log in instead.')
}

/** The grace period a signed-in user without 2FA is in, for the reminder; undefined when none runs. */
function graceOf(ctx: CoreContext, user: UserRecord): { deadline: number; daysLeft: number } | undefined {
  const demand = activationDemand(user, user.activeSince !== null, readEnforcementPolicy(ctx.db), ctx.clock.now())
  return demand.kind === 'grace' ? { deadline: demand.deadline, daysLeft: demand.daysLeft } : undefined
}

export function signInHandlers(ctx: CoreContext) {
  let dummyHash: Promise<string> | null = null
  /** A hash to check unknown emails against, so timing does not reveal which emails exist. */
  const timingDummyHash = (): Promise<string> => (dummyHash ??= hashPassword('not a real password', ctx.passwordKdf))

  return {
    async getAppState(caller) {
      const needsSetup = !usersRepo.hasAnyUser(ctx.db)
      let session: AuthStep | null = null
      let isAdmin = false
      if (caller.kind === 'session') {
        const found = ctx.sessions.lookup(caller.holder.sessionId, ctx.clock.now())
        if (found.kind === 'ok') {
          const user = usersRepo.findUserById(ctx.db, found.session.userId)
          if (found.session.stage === 'handed-over') {
            // An administrator's session locked during an enrollment at the desk shows nothing, and is kept for the unlock.
          } else if (user && !user.disabled) {
            session = authStep(found.session.stage, user, found.session, graceOf(ctx, user))
            isAdmin = session.step === 'signed-in' && found.session.stage === 'signed-in' && user.role === 'admin'
          } else endSession(ctx, caller)
        } else {
          if (found.kind === 'expired') recordExpiry(ctx, found.userId)
          caller.holder.sessionId = null
        }
      }
      const state: AppState = { needsSetup, session, idleTimeoutMinutes: readIdleTimeoutMinutes(ctx.db), idleTimeoutMs: ctx.sessions.idleTimeout() }
      // How the installation is protected is the administrators' business, not every visitor's.
      if (isAdmin && ctx.warnings.length > 0) state.warnings = [...ctx.warnings]
      return state
    },

    async setupFirstAdmin(caller, input) {
      const holder = requireScreen(caller)
      if (usersRepo.hasAnyUser(ctx.db)) throw alreadySetUp()
      await requireAcceptablePassword(input.password, input)
      const passwordHash = await hashPassword(input.password, ctx.passwordKdf)
      const now = ctx.clock.now()
      const userId = writeTransaction(ctx.db, () => {
        // Checked again inside the transaction: two first-run forms may race.
        if (usersRepo.hasAnyUser(ctx.db)) throw alreadySetUp()
        const id = usersRepo.insertUser(ctx.db, { name: input.name, email: input.email, role: 'admin', passwordHash, now })
        appendAudit(ctx.db, now, { actor: input.email, action: 'setup.first-admin', target: input.email })
        return id
      })
      const user = mustFindUser(ctx, userId)
      holder.sessionId = ctx.sessions.create(userId, 'enrollment', now).id
      return authStep('enrollment', user)
    },

    async login(caller, input) {
      const holder = requireScreen(caller)
      endSession(ctx, caller)
      const email = input.email
      const user = usersRepo.findUserByEmail(ctx.db, email)

      // An account without a password signs in with a temporary access pass, if it has one.
      if (!user || (!hasPassword(user) && usablePass(ctx, user.id) === null)) {
        // No account (or one that cannot sign in): the same reservation, the same
        // time spent on a password check, the same answers as a real account.
        const refusal = ctx.phantoms.reserve(email, ctx.clock.now())
        await verifyPassword(input.password, await timingDummyHash())
        const now = ctx.clock.now()
        const recorded = unauthenticatedEmail(ctx, email)
        if (refusal !== null) {
          auditAlone(ctx, { actor: recorded, action: 'login.locked', target: recorded }, now)
          throw lockedError(refusal.lockedUntil, now)
        }
        const state = ctx.phantoms.fail(email, now)
        auditAlone(ctx, { actor: recorded, action: 'login.failure', target: recorded, details: { reason: 'invalid-credentials' } }, now)
        throw isLocked(state, now) ? lockedError(state.lockedUntil, now) : new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE)
      }

      let guess
      try {
        guess = reserveGuess(ctx, user)
      } catch (error) {
        // Locked: spend the time a password check takes, so a lock answers like an unknown email.
        await verifyPassword(input.password, await timingDummyHash())
        throw error
      }
      // A temporary access pass is typed where the password goes: its own branch (temporary-pass/), the same guess.
      let pass
      let passwordOk = false
      try {
        pass = matchingPass(ctx, user, input.password)
        if (pass === null) {
          // An account with a pass and no password yet spends a password check's time too.
          if (!hasPassword(user)) await verifyPassword(input.password, await timingDummyHash())
          passwordOk = await verifyUserPassword(ctx, user, input.password)
        }
      } catch (error) {
        // The directory could not be asked, the password pool was full, the pass could not be read: no guess was made, none is counted.
        releaseGuess(ctx, guess)
        throw error
      }
      if (pass !== null) return signInWithTemporaryPass(ctx, holder, user, guess, pass, () => new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE))
      // A disabled account answers as a wrong password would, right or not: nothing confirms the password.
      if (!passwordOk || user.disabled) {
        failGuess(ctx, guess, 'password')
        if (passwordOk) auditAlone(ctx, { actor: email, action: 'login.failure', target: email, details: { reason: 'disabled' } })
        throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE)
      }
      const now = ctx.clock.now()
      const passwordHash = user.passwordHash
      // Enforced without 2FA: during the grace period the password still signs in (with a reminder); after it, enrollment first.
      const demand = activationDemand(user, user.activeSince !== null, readEnforcementPolicy(ctx.db), now)
      let stage: SessionStage
      if (user.activeSince !== null) stage = 'second-factor'
      else if (demand.kind === 'required') stage = 'enrollment'
      else stage = 'signed-in'

      // Without 2FA the password completes the sign-in and ends the run of
      // failures; with 2FA the count keeps running until the second factor
      // succeeds, so re-entering the password cannot buy unlimited code guesses.
      // Either way the lock is checked again as the outcome is written.
      // A fault of ours writing it (another program holding the write lock past the busy timeout): the right password is not counted against them.
      confirmGuess(ctx, guess, stage === 'signed-in', () => {
        if (stage === 'signed-in') {
          const grace = demand.kind === 'grace' ? { gracePeriod: true, deadline: demand.deadline } : {}
          appendAudit(ctx.db, now, { actor: email, action: 'login.success', target: email, details: { secondFactor: false, ...grace } })
        }
      })
      if (passwordHash !== null && needsRehash(passwordHash, ctx.passwordKdf)) {
        const upgraded = await hashPassword(input.password, ctx.passwordKdf)
        writeTransaction(ctx.db, () => usersRepo.updatePasswordHash(ctx.db, user.id, upgraded, now))
      }
      holder.sessionId = ctx.sessions.create(user.id, stage, now).id
      return authStep(stage, user, undefined, demand.kind === 'grace' ? { deadline: demand.deadline, daysLeft: demand.daysLeft } : undefined)
    },

    async verifyCode(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['second-factor'])
      verifyTotpOrFail(ctx, user, input.code, 'login', () => usersRepo.recordSecondFactorLogin(ctx.db, user.id, ctx.clock.now()))
      ctx.sessions.completeSecondFactor(session.id, ctx.clock.now())
      return authStep('signed-in', mustFindUser(ctx, user.id))
    },

    async verifyRecoveryCode(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['second-factor'])
      const recoveryCodesLeft = useRecoveryCodeOrFail(ctx, user, input.code)
      ctx.sessions.completeSecondFactor(session.id, ctx.clock.now())
      // A user with 2FA active is never in a grace period: this step is always plain 'signed-in'.
      return { step: 'signed-in', me: toMe(mustFindUser(ctx, user.id)), recoveryCodesLeft }
    },

    async logout(caller, input) {
      if (caller.kind !== 'session') return null
      const now = ctx.clock.now()
      const found = ctx.sessions.lookup(caller.holder.sessionId, now)
      // Ended first: a sign-out holds even when its record cannot be written (a damaged or busy directory).
      endSession(ctx, caller)
      if (found.kind === 'ok') {
        const user = usersRepo.findUserById(ctx.db, found.session.userId)
        if (user) {
          // The screen's idle timer signs out at the same moment the session expires here: both are an expiry.
          const event: AuditEvent =
            input.reason === 'idle'
              ? { actor: user.email, action: 'session.expired', target: user.email, details: { reason: 'idle' } }
              : { actor: user.email, action: 'logout', target: user.email }
          // A sign-out does not wait for a background task's write (mayWrite): its record does, if one is under way.
          ctx.writeGate.writeSoon(
            (deferred) => auditAlone(ctx, deferredEvent(event, now, deferred), deferred ? ctx.clock.now() : now),
            (error) => ctx.reportUnexpected('record of a sign-out', error)
          )
        }
      } else if (found.kind === 'expired') {
        recordExpiry(ctx, found.userId, { reason: input.reason ?? 'timeout' })
      }
      return null
    },

    /**
     * Confirms the signed-in person's identity again, with their password or a
     * TOTP code, for the sensitive admin actions. Failures count toward the same
     * lockout as sign-in, a used time step is refused as at sign-in, and both
     * outcomes are audited.
     */
    async reauthenticate(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['signed-in'])
      const method = input.password !== undefined ? 'password' : 'totp'
      // A locked account cannot re-authenticate, and this session ends, as a lock here would end it.
      try {
        assertNotLocked(ctx, user.id)
      } catch (error) {
        endSession(ctx, caller)
        throw error
      }
      const succeeded = (): void => {
        appendAudit(ctx.db, ctx.clock.now(), { actor: user.email, action: 'session.reauthenticated', target: user.email, details: { method } })
      }
      if (input.password !== undefined) {
        const guess = await checkPasswordOrFail(ctx, user, input.password, 'reauth-password', (left) =>
          wrongSecret('INVALID_CREDENTIALS', 'That password is not correct.', left, 'password')
        )
        // The session already passed both factors: success ends a run of typos, as a completed sign-in does.
        confirmGuess(ctx, guess, true, succeeded)
      } else {
        verifyTotpOrFail(ctx, user, input.code ?? '', 'reauth', succeeded)
      }
      ctx.sessions.markAuthenticated(session.id, ctx.clock.now())
      return null
    }
  } satisfies HandlersFor<SignInApi>
}
