// Temporary access passes (like Microsoft Entra's TAP): an administrator issues
// one for a user who lost their phone or never had a password; it is shown once
// (this answer only), stored hashed, lasts 1 hour to 30 days, is used up by its
// sign-in unless it is multi-use, and can be revoked. The pass's rules shared
// with login, the guards and the enrollment are in pass-check.ts.
import type { TemporaryPassApi } from '../../../shared/contract'
import { TEMPORARY_PASS_DEFAULT_HOURS } from '../../../shared/contract/temporary-pass'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as passRepo from '../../db/temporary-pass-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { hashPassword, requireAcceptablePassword } from '../crypto/passwords'
import { requireAdmin, requireRecentAuthentication, requireSession, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import { authStep } from '../sign-in/auth-step'
import { mustFindUser, toUserDetails } from '../users/user-views'
import { hashTemporaryPass, newTemporaryPass } from './pass-secret'

const HOUR_MS = 60 * 60 * 1000

/** Who can be given a pass: a person who can sign in here, not the administrator giving it. */
function assertMayHavePass(user: UserRecord, actor: Actor): void {
  if (actor.userId === user.id) throw new AppError('FORBIDDEN', 'You cannot issue a temporary access pass for yourself. Ask another administrator.')
  if (user.demo) throw new AppError('FORBIDDEN', `${user.email} is a demo user: demo users never sign in.`)
  if (user.disabled) throw new AppError('FORBIDDEN', `${user.email} is disabled. Enable the account first, then issue a temporary access pass.`)
}

export function temporaryPassHandlers(ctx: CoreContext) {
  return {
    async issueTemporaryPass(caller, input) {
      const actor = requireAdmin(ctx, caller)
      // Whoever holds a pass signs in as that user and sets their 2FA: confirm it is the administrator.
      requireRecentAuthentication(ctx, actor)
      const hours = input.hours ?? TEMPORARY_PASS_DEFAULT_HOURS
      const singleUse = input.singleUse ?? true
      const pass = newTemporaryPass()
      const now = ctx.clock.now()
      const user = writeTransaction(ctx.db, () => {
        const target = mustFindUser(ctx, input.userId)
        assertMayHavePass(target, actor)
        // One pass per user: the new one revokes the old (and ends the sessions it opened).
        const previous = passRepo.findTemporaryPass(ctx.db, target.id)
        if (previous !== null && previous.expiresAt > now) {
          appendAudit(ctx.db, now, { actor: actor.label, action: 'temporary-pass.revoked', target: target.email, details: { reason: 'replaced', singleUse: previous.singleUse, used: previous.usedAt !== null } })
        }
        passRepo.replaceTemporaryPass(ctx.db, {
          userId: target.id,
          passHash: hashTemporaryPass(target.id, pass),
          singleUse,
          issuedAt: now,
          issuedBy: actor.label,
          expiresAt: now + hours * HOUR_MS,
          usedAt: null
        })
        appendAudit(ctx.db, now, { actor: actor.label, action: 'temporary-pass.issued', target: target.email, details: { hours, singleUse, expiresAt: now + hours * HOUR_MS } })
        return target
      })
      const details = toUserDetails(ctx, mustFindUser(ctx, user.id))
      if (details.temporaryPass === null) throw new AppError('INTERNAL', 'The temporary access pass was not stored.')
      return { pass, status: details.temporaryPass, user: details }
    },

    async revokeTemporaryPass(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const target = mustFindUser(ctx, input.userId)
        const pass = passRepo.findTemporaryPass(ctx.db, target.id)
        if (pass === null || pass.expiresAt <= now) throw new AppError('NOT_FOUND', `${target.email} has no temporary access pass that is still valid.`)
        passRepo.deleteTemporaryPass(ctx.db, target.id)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'temporary-pass.revoked', target: target.email, details: { reason: 'administrator', singleUse: pass.singleUse, used: pass.usedAt !== null } })
      })
      return toUserDetails(ctx, mustFindUser(ctx, input.userId))
    },

    async setFirstPassword(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['temporary-pass'])
      if (user.source === 'ldap') {
        throw new AppError('FORBIDDEN', 'You sign in with your directory password: this app never sets one for you. Activate 2FA to continue.', 'password')
      }
      if (user.passwordHash !== null) throw new AppError('FORBIDDEN', 'You have a password already: change it in My account once you are signed in.', 'password')
      await requireAcceptablePassword(input.password, user)
      const passwordHash = await hashPassword(input.password, ctx.passwordKdf)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        // Checked again: an administrator may have set one meanwhile.
        if (mustFindUser(ctx, user.id).passwordHash !== null) throw new AppError('FORBIDDEN', 'You have a password already: an administrator set it meanwhile.', 'password')
        usersRepo.updatePasswordHash(ctx.db, user.id, passwordHash, now)
        appendAudit(ctx.db, now, { actor: user.email, action: 'user.password-changed', target: user.email, details: { by: 'temporary-pass', first: true } })
      })
      return authStep(session.stage, mustFindUser(ctx, user.id), session)
    }
  } satisfies HandlersFor<TemporaryPassApi>
}
