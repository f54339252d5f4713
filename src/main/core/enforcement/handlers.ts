// Enforcement: the "Enforce 2FA activation" checkbox of one user, the per-user
// override behind it, and "Enforce 2FA for all users" / "Revoke enforcement".
// Administrators are always enforced; statuses are derived from the override,
// the role and the one policy row (rules.ts), so enforcing for everyone costs
// one write at any directory size.
import type { EnforcementApi } from '../../../shared/contract'
import type { Enforcement, SecurityOverview, UserDetails } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import { readPolicy, writePolicy } from '../../db/policy-repo'
import * as usersRepo from '../../db/users-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import { twoFactorDistribution } from '../listing/user-listing'
import { mustFindUser, toUserDetails } from '../users/user-views'
import { isEnforced, overrideForCheckbox } from './rules'

function adminAlwaysEnforced(user: UserRecord): AppError {
  return new AppError('ADMIN_ALWAYS_ENFORCED', `2FA is always enforced for administrators. To exempt ${user.email}, change their role to user first.`)
}

export function securityOverview(ctx: CoreContext): SecurityOverview {
  const policy = readPolicy(ctx.db)
  const { distribution, followingPolicy } = twoFactorDistribution(ctx.db, policy.enforcedForAll)
  // Only users who follow the policy without an active credential change status with it.
  return {
    distribution,
    enforcedForAll: policy.enforcedForAll,
    enforcedSince: policy.enforcedForAll ? policy.changedAt : null,
    enforcedBy: policy.enforcedForAll ? policy.changedBy : null,
    wouldBecomePending: policy.enforcedForAll ? 0 : followingPolicy,
    wouldBecomeInactive: policy.enforcedForAll ? followingPolicy : 0
  }
}

function setPolicy(ctx: CoreContext, actor: Actor, enforce: boolean): SecurityOverview {
  const now = ctx.clock.now()
  writeTransaction(ctx.db, () => {
    if (readPolicy(ctx.db).enforcedForAll === enforce) return
    // One row: the click costs the same at 10 users as at a million. Statuses are derived.
    writePolicy(ctx.db, enforce, actor.label, now)
    appendAudit(ctx.db, now, { actor: actor.label, action: enforce ? 'enforcement.all-enforced' : 'enforcement.all-revoked' })
  })
  return securityOverview(ctx)
}

/** Sets one user's override to what `decide` says, in one transaction with its audit entry (nothing when unchanged). */
function changeEnforcement(
  ctx: CoreContext,
  actor: Actor,
  userId: number,
  decide: (user: UserRecord, enforcedForAll: boolean) => Enforcement
): UserDetails {
  const now = ctx.clock.now()
  const user = writeTransaction(ctx.db, () => {
    const target = mustFindUser(ctx, userId)
    const enforcedForAll = readPolicy(ctx.db).enforcedForAll
    const next = decide(target, enforcedForAll)
    if (next === target.enforcement) return target
    const enforcedBefore = isEnforced(target, enforcedForAll)
    const enforcedAfter = isEnforced({ role: target.role, enforcement: next }, enforcedForAll)
    // Taking enforcement away from someone is a sensitive change: it needs a recent password or code.
    if (enforcedBefore && !enforcedAfter) requireRecentAuthentication(ctx, actor)
    // Only the override changes: credentials and recovery codes are never touched here.
    usersRepo.setEnforcementOverride(ctx.db, target.id, next, actor.label, now)
    appendAudit(ctx.db, now, {
      actor: actor.label,
      action: 'enforcement.user-changed',
      target: target.email,
      details: { from: target.enforcement, to: next, enforced: enforcedAfter }
    })
    return mustFindUser(ctx, target.id)
  })
  return toUserDetails(ctx, user)
}

export function enforcementHandlers(ctx: CoreContext) {
  return {
    async setEnforceTwoFactorActivation(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeEnforcement(ctx, actor, input.userId, (user, enforcedForAll) => {
        if (user.role === 'admin' && !input.enforce) throw adminAlwaysEnforced(user)
        return overrideForCheckbox(user, enforcedForAll, input.enforce)
      })
    },

    async setEnforcement(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeEnforcement(ctx, actor, input.userId, (user) => {
        if (user.role === 'admin' && input.enforcement === 'exempt') throw adminAlwaysEnforced(user)
        return input.enforcement
      })
    },

    async getSecurityOverview(caller) {
      requireAdmin(ctx, caller)
      return securityOverview(ctx)
    },

    async enforceForAllUsers(caller) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      return setPolicy(ctx, actor, true)
    },

    async revokeEnforcement(caller) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      return setPolicy(ctx, actor, false)
    }
  } satisfies HandlersFor<EnforcementApi>
}
