// Enrollment at the administrator's desk. The admin's session is locked
// ('handed-over': every admin method answers HANDOVER_IN_PROGRESS) and the
// screen's holder gets a separate hand-over session of the user, so whatever
// the enrollment shows (the secret, the QR code, the recovery codes) is an
// answer to the user's session, never to the admin's. The user proves who they
// are (password or temporary access pass, one lockout), enrolls through the
// ordinary startEnrollment / confirmEnrollment, and the admin's own password or
// code gives the screen back: the person at the desk inherits nothing.
import type { InPersonEnrollmentApi } from '../../../shared/contract'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as totpRepo from '../../db/totp-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import { auditAlone, type CoreContext } from '../context'
import { hasPassword, verifyUserPassword } from '../directory-sync/directory-password'
import { requireAdmin, requireRecentAuthentication, requireScreen, requireSession } from '../guards'
import type { HandlersFor } from '../handlers'
import { assertNotLocked, confirmGuess, confirmGuessInTransaction, failGuess, releaseGuess, reserveGuess, writeForGuess } from '../lockout'
import { checkPasswordOrFail, verifyTotpOrFail, wrongSecret } from '../second-factor'
import { IN_PERSON_STAGES, type Session } from '../sessions'
import { authStep } from '../sign-in/auth-step'
import { matchingPass, usablePass, usePassInTransaction } from '../temporary-pass/pass-check'
import { mustFindUser } from '../users/user-views'

const WRONG_SECRET_MESSAGE = 'That password or temporary access pass is not correct. Check it and try again.'
const ADMIN_GONE_MESSAGE = "The administrator's session ended meanwhile (signed out, locked or timed out). Log in again."

/** Who may enroll at the desk: someone else, who can sign in here and can prove who they are. */
function assertMayEnrollInPerson(ctx: CoreContext, user: UserRecord, adminId: number | null): void {
  if (user.id === adminId) throw new AppError('FORBIDDEN', 'Activate your own 2FA from My account.')
  if (user.demo) throw new AppError('FORBIDDEN', `${user.email} is a demo user: demo users never sign in.`)
  if (user.disabled) throw new AppError('FORBIDDEN', `${user.email} is disabled. Enable the account first.`)
  assertNotLocked(ctx, user.id)
  if (!hasPassword(user) && usablePass(ctx, user.id) === null) {
    throw new AppError('FORBIDDEN', `${user.email} has no password and no temporary access pass to prove who they are. Issue a temporary access pass first.`)
  }
}

/** Inside the transaction that ends the hand-over: an enrollment left unfinished is discarded (its QR code works no more). */
function discardUnfinished(ctx: CoreContext, session: Session, user: UserRecord, actor: string): void {
  if (session.stage === 'in-person-done') return
  totpRepo.deleteEnrollment(ctx.db, user.id)
  appendAudit(ctx.db, ctx.clock.now(), { actor, action: 'enrollment.in-person-cancelled', target: user.email, details: { stage: session.stage } })
}

export function inPersonEnrollmentHandlers(ctx: CoreContext) {
  return {
    async startInPersonEnrollment(caller, input) {
      const holder = requireScreen(caller)
      const actor = requireAdmin(ctx, caller)
      // The admin hands their screen to someone who will hold 2FA for this account: confirm it is the administrator.
      requireRecentAuthentication(ctx, actor)
      if (actor.session === null) throw new AppError('FORBIDDEN', 'The command line has no desk to hand over.')
      const user = mustFindUser(ctx, input.userId)
      assertMayEnrollInPerson(ctx, user, actor.userId)
      auditAlone(ctx, { actor: actor.label, action: 'enrollment.in-person-started', target: user.email })
      const handover = ctx.sessions.handOver(actor.session.id, actor.label, user.id, ctx.clock.now())
      holder.sessionId = handover.id
      return authStep(handover.stage, user, handover)
    },

    async identifyInPerson(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['in-person-identify'])
      const wrong = () => new AppError('INVALID_CREDENTIALS', WRONG_SECRET_MESSAGE, 'secret')
      // One guess, reserved before anything is checked, on the account's one counter: a pass or a password.
      const guess = reserveGuess(ctx, user)
      let pass
      try {
        pass = matchingPass(ctx, user, input.secret)
      } catch (error) {
        // The passes could not be read: no guess was made.
        releaseGuess(ctx, guess)
        throw error
      }
      const identified = (method: 'password' | 'temporary-pass') =>
        appendAudit(ctx.db, ctx.clock.now(), { actor: user.email, action: 'enrollment.in-person-identified', target: user.email, details: { method, admin: session.handoverOf?.admin ?? null } })
      if (pass !== null) {
        const used = writeForGuess(ctx, guess, () => {
          if (!usePassInTransaction(ctx, user, pass, 'in-person')) return false
          confirmGuessInTransaction(ctx, guess, false)
          identified('temporary-pass')
          return true
        })
        if (!used) {
          failGuess(ctx, guess, 'password')
          throw wrong()
        }
      } else {
        let ok: boolean
        try {
          ok = await verifyUserPassword(ctx, user, input.secret)
        } catch (error) {
          // The directory could not be asked: no guess was made.
          releaseGuess(ctx, guess)
          throw error
        }
        if (!ok) {
          failGuess(ctx, guess, 'password')
          throw wrong()
        }
        // The count runs on until the enrollment's first code is right, as after a password at sign-in.
        confirmGuess(ctx, guess, false, () => identified('password'))
      }
      ctx.sessions.setStage(session.id, 'in-person-enroll')
      return authStep('in-person-enroll', mustFindUser(ctx, user.id), session)
    },

    async cancelInPersonEnrollment(caller) {
      const { session, user } = requireSession(ctx, caller, IN_PERSON_STAGES)
      writeTransaction(ctx.db, () => discardUnfinished(ctx, session, user, user.email))
      ctx.sessions.setStage(session.id, 'in-person-done')
      return authStep('in-person-done', user, session)
    },

    async endInPersonEnrollment(caller, input) {
      const holder = requireScreen(caller)
      const { session, user } = requireSession(ctx, caller, IN_PERSON_STAGES)
      const now = ctx.clock.now()
      const adminSession = session.handoverOf === undefined ? null : ctx.sessions.lookup(session.handoverOf.sessionId, now)
      const admin = adminSession?.kind === 'ok' && adminSession.session.stage === 'handed-over' ? usersRepo.findUserById(ctx.db, adminSession.session.userId) : null
      const leaveDesk = () => {
        // Nobody's session stays on the screen: the window goes to Log in.
        ctx.sessions.delete(session.id)
        holder.sessionId = null
      }
      if (admin === null || admin.disabled || admin.role !== 'admin') {
        leaveDesk()
        throw new AppError('SESSION_EXPIRED', ADMIN_GONE_MESSAGE)
      }
      const method = input.password !== undefined ? 'password' : 'totp'
      const ended = () => {
        discardUnfinished(ctx, session, user, admin.email)
        appendAudit(ctx.db, ctx.clock.now(), { actor: admin.email, action: 'enrollment.in-person-ended', target: user.email, details: { method, stage: session.stage } })
      }
      try {
        // The administrator's own secret, on the administrator's own lockout, as "Confirm it's you".
        if (input.password !== undefined) {
          const guess = await checkPasswordOrFail(ctx, admin, input.password, 'reauth-password', (left) =>
            wrongSecret('INVALID_CREDENTIALS', `That is not the password of ${admin.email}.`, left, 'password')
          )
          confirmGuess(ctx, guess, true, ended)
        } else {
          verifyTotpOrFail(ctx, admin, input.code ?? '', 'reauth', ended)
        }
      } catch (error) {
        // Locked by wrong tries: the administrator's sessions are gone, and the desk's with them.
        if (error instanceof AppError && error.code === 'ACCOUNT_LOCKED') leaveDesk()
        throw error
      }
      const back = ctx.sessions.handBack(session.id, ctx.clock.now())
      if (back === null) {
        holder.sessionId = null
        throw new AppError('SESSION_EXPIRED', ADMIN_GONE_MESSAGE)
      }
      holder.sessionId = back.id
      return authStep('signed-in', mustFindUser(ctx, admin.id))
    }
  } satisfies HandlersFor<InPersonEnrollmentApi>
}
