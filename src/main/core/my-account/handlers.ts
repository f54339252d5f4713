// My account: what any signed-in person may do to their own account. An
// enforced person cannot deactivate their 2FA; every change needs a current code
// or the current password.
import type { MyAccountApi } from '../../../shared/contract'
import type { MyAccount } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import * as totpRepo from '../../db/totp-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { hashPassword, requireAcceptablePassword } from '../crypto/passwords'
import { readEnforcementPolicy } from '../enforcement/policy'
import { effectiveEnforcement, isEnforced, isEnforcedBy } from '../enforcement/rules'
import { requireSession } from '../guards'
import type { HandlersFor } from '../handlers'
import { confirmGuess } from '../lockout'
import { checkPasswordOrFail, newRecoveryCodes, verifyTotpOrFail, wrongSecret } from '../second-factor'
import { mustFindUser, toMe } from '../users/user-views'

const ENFORCED_BY_ADMIN_MESSAGE = '2FA is enforced for your account, so you cannot deactivate it.'

function myAccount(ctx: CoreContext, user: UserRecord): MyAccount {
  const effective = effectiveEnforcement(user, readEnforcementPolicy(ctx.db))
  const enforced = isEnforcedBy(effective.source)
  const active = user.activeSince !== null
  return {
    me: toMe(user),
    status: active ? 'active' : enforced ? 'pending' : 'inactive',
    enforced,
    enforcementSource: effective.source,
    deadline: enforced ? effective.deadline : null,
    canDeactivate: active && !enforced,
    activeSince: user.activeSince,
    recoveryCodesRemaining: active ? totpRepo.countUnusedRecoveryCodes(ctx.db, user.id) : 0
  }
}

export function myAccountHandlers(ctx: CoreContext) {
  return {
    async getMyAccount(caller) {
      const { user } = requireSession(ctx, caller, ['signed-in'])
      return myAccount(ctx, user)
    },

    async deactivateMyTwoFactor(caller, input) {
      const { user } = requireSession(ctx, caller, ['signed-in'])
      if (user.activeSince === null) throw new AppError('NOT_ACTIVE', '2FA is not active for your account.')
      if (isEnforced(user, readEnforcementPolicy(ctx.db))) throw new AppError('ENFORCED_BY_ADMIN', ENFORCED_BY_ADMIN_MESSAGE)
      verifyTotpOrFail(ctx, user, input.code, 'confirm', () => {
        // Checked again in the transaction: an admin may have enforced 2FA meanwhile.
        const fresh = mustFindUser(ctx, user.id)
        if (isEnforced(fresh, readEnforcementPolicy(ctx.db))) throw new AppError('ENFORCED_BY_ADMIN', ENFORCED_BY_ADMIN_MESSAGE)
        totpRepo.deleteCredential(ctx.db, user.id)
        totpRepo.deleteRecoveryCodes(ctx.db, user.id)
        appendAudit(ctx.db, ctx.clock.now(), { actor: user.email, action: '2fa.deactivated', target: user.email })
      })
      return myAccount(ctx, mustFindUser(ctx, user.id))
    },

    async regenerateRecoveryCodes(caller, input) {
      const { user } = requireSession(ctx, caller, ['signed-in'])
      if (user.activeSince === null) throw new AppError('NOT_ACTIVE', 'Activate 2FA first: recovery codes belong to an active authenticator.')
      const recovery = newRecoveryCodes(ctx.dataKey.get(), user.id)
      verifyTotpOrFail(ctx, user, input.code, 'confirm', () => {
        totpRepo.replaceRecoveryCodes(ctx.db, user.id, recovery.hashes)
        appendAudit(ctx.db, ctx.clock.now(), { actor: user.email, action: '2fa.recovery-codes-regenerated', target: user.email })
      })
      return { recoveryCodes: recovery.codes }
    },

    async changePassword(caller, input) {
      const { session, user } = requireSession(ctx, caller, ['signed-in'])
      // Judged before the current password is checked: a refusal costs no guess.
      await requireAcceptablePassword(input.newPassword, user, 'newPassword')
      if (user.source === 'ldap') {
        throw new AppError('FORBIDDEN', 'You sign in with your directory password: change it in the directory (for example with Ctrl+Alt+Del on Windows).', 'currentPassword')
      }
      // Hashed before the guess is reserved: a fault hashing (the password pool full) leaves no guess in flight.
      const hash = await hashPassword(input.newPassword, ctx.passwordKdf)
      const guess = await checkPasswordOrFail(ctx, user, input.currentPassword, 'password', (left) =>
        wrongSecret('INVALID_CREDENTIALS', 'The current password is not correct.', left, 'currentPassword')
      )
      const now = ctx.clock.now()
      confirmGuess(ctx, guess, true, () => {
        usersRepo.updatePasswordHash(ctx.db, user.id, hash, now)
        appendAudit(ctx.db, now, { actor: user.email, action: 'user.password-changed', target: user.email })
      })
      // Whoever signed in elsewhere with the old password is signed out.
      ctx.sessions.deleteForUser(user.id, session.id)
      return null
    }
  } satisfies HandlersFor<MyAccountApi>
}
