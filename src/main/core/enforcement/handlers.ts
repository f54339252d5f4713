// Enforcement: the "Enforce 2FA activation" checkbox of one user, the per-user
// override behind it, "Enforce 2FA for all users" / "Revoke enforcement", the
// exemption group of the policy, and the previews their confirmations show.
// Administrators are always enforced; statuses are derived from the override,
// the role, the user's groups and the one policy row (rules.ts), so enforcing
// for everyone costs one write at any directory size. Every enforcement can
// carry a grace period; its deadline lives on what enforces (the policy row,
// the group, the user's override), so changing it applies to everyone it
// covers at once, including those who already chose "Later".
import type { EnforcementApi } from '../../../shared/contract'
import type { Enforcement, SecurityOverview, UserDetails } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as groupsRepo from '../../db/groups-repo'
import { readPolicy, writeExemptGroup, writePolicy, writePolicyDeadline } from '../../db/policy-repo'
import type { UserRecord } from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { requireAdmin, requireRecentAuthentication, type Actor } from '../guards'
import { recordDistributionIfChanged, recordDistributionPoint } from '../history/recorder'
import type { HandlersFor } from '../handlers'
import { twoFactorDistribution } from '../listing/user-listing'
import { mustFindUser, toUserDetails } from '../users/user-views'
import { setIdleTimeout } from './idle-timeout'
import { readEnforcementPolicy } from './policy'
import { previewPolicyChange, withExemptGroup, withGroup, withPolicy } from './preview'
import { deadlineAfter, effectiveEnforcement, givesMoreTime, isEnforced, overrideForCheckbox, type EnforcementPolicy } from './rules'
import { writeUserOverride } from './user-override'

function adminAlwaysEnforced(user: UserRecord): AppError {
  return new AppError('ADMIN_ALWAYS_ENFORCED', `2FA is always enforced for administrators. To exempt ${user.email}, change their role to user first.`)
}

export function mustFindGroup(ctx: CoreContext, groupId: number): groupsRepo.GroupRecord {
  const group = groupsRepo.findGroupById(ctx.db, groupId)
  if (!group) throw new AppError('NOT_FOUND', 'That group does not exist (any more). Reload the list.')
  return group
}

export function securityOverview(ctx: CoreContext): SecurityOverview {
  const now = ctx.clock.now()
  return ctx.db.transaction(() => {
    const row = readPolicy(ctx.db)
    const policy = readEnforcementPolicy(ctx.db)
    const exempt = row.exemptGroupId === null ? null : groupsRepo.findGroupById(ctx.db, row.exemptGroupId)
    // What the buttons would do now, exactly: enforcing at once, or revoking.
    const change = previewPolicyChange(ctx.db, policy, withPolicy(policy, !row.enforcedForAll, now), now)
    return {
      distribution: twoFactorDistribution(ctx.db, policy, now),
      enforcedForAll: row.enforcedForAll,
      enforcedSince: row.enforcedForAll ? row.changedAt : null,
      enforcedBy: row.enforcedForAll ? row.changedBy : null,
      deadline: row.enforcedForAll ? row.deadline : null,
      exemptionGroup: exempt === null ? null : { id: exempt.id, name: exempt.name },
      wouldBecomePending: row.enforcedForAll ? 0 : change.willHaveToActivate,
      wouldBecomeInactive: row.enforcedForAll ? change.wouldNoLongerHaveTo : 0
    }
  })()
}

function setPolicy(ctx: CoreContext, actor: Actor, enforce: boolean, graceDays?: number): SecurityOverview {
  const now = ctx.clock.now()
  const deadline = enforce ? deadlineAfter(now, graceDays) : null
  writeTransaction(ctx.db, () => {
    const current = readPolicy(ctx.db)
    if (current.enforcedForAll === enforce) {
      // Enforced already: a new grace period moves the deadline, for everyone it covers at once.
      if (!enforce || deadline === null || graceDays === undefined || current.deadline === deadline) return
      writePolicyDeadline(ctx.db, deadline)
      appendAudit(ctx.db, now, { actor: actor.label, action: 'enforcement.deadline-changed', details: { of: 'all users', graceDays, deadline, was: current.deadline } })
      return
    }
    // One row: the click costs the same at 10 users as at a million. Statuses are derived.
    writePolicy(ctx.db, enforce, actor.label, now, deadline)
    appendAudit(ctx.db, now, {
      actor: actor.label,
      action: enforce ? 'enforcement.all-enforced' : 'enforcement.all-revoked',
      ...(enforce ? { details: { graceDays: graceDays ?? 0, deadline } } : {})
    })
  })
  recordDistributionPoint(ctx, now)
  return securityOverview(ctx)
}

/** Sets one user's override to what `decide` says, in one transaction with its audit entry (nothing when unchanged). */
function changeEnforcement(
  ctx: CoreContext,
  actor: Actor,
  userId: number,
  graceDays: number | undefined,
  decide: (user: UserRecord, policy: EnforcementPolicy) => Enforcement
): UserDetails {
  const now = ctx.clock.now()
  const user = writeTransaction(ctx.db, () => {
    const target = mustFindUser(ctx, userId)
    const policy = readEnforcementPolicy(ctx.db)
    const next = decide(target, policy)
    const deadline = next === 'enforced' ? deadlineAfter(now, graceDays) : null
    // An unchanged override is left alone, unless a new grace period was given for an individual enforcement.
    if (next === target.enforcement && !(next === 'enforced' && graceDays !== undefined && deadline !== target.enforcementDeadline)) return target
    const after = { ...target, enforcement: next, enforcementDeadline: deadline }
    const enforcedAfter = isEnforced(after, policy)
    // Taking enforcement away from someone, or giving them more time, is a sensitive change: it needs a recent password or code.
    if (target.activeSince === null && givesMoreTime(effectiveEnforcement(target, policy), effectiveEnforcement(after, policy))) requireRecentAuthentication(ctx, actor)
    else if (isEnforced(target, policy) && !enforcedAfter) requireRecentAuthentication(ctx, actor)
    // Only the override changes: credentials and recovery codes are never touched here.
    writeUserOverride(ctx, actor.label, target, policy, { next, deadline, ...(graceDays === undefined ? {} : { graceDays }) }, now)
    return mustFindUser(ctx, target.id)
  })
  recordDistributionPoint(ctx, now)
  return toUserDetails(ctx, user)
}

export function enforcementHandlers(ctx: CoreContext) {
  return {
    async setEnforceTwoFactorActivation(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeEnforcement(ctx, actor, input.userId, input.graceDays, (user, policy) => {
        if (user.role === 'admin' && !input.enforce) throw adminAlwaysEnforced(user)
        // A grace period asked for with the box ticked makes the enforcement the user's own, with that deadline.
        if (input.enforce && input.graceDays !== undefined && user.role !== 'admin') return 'enforced'
        return overrideForCheckbox(user, policy, input.enforce)
      })
    },

    async setEnforcement(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeEnforcement(ctx, actor, input.userId, input.graceDays, (user) => {
        if (user.role === 'admin' && input.enforcement === 'exempt') throw adminAlwaysEnforced(user)
        return input.enforcement
      })
    },

    async getSecurityOverview(caller) {
      requireAdmin(ctx, caller)
      // The trend on Account > Security gets today's point even where no host stays open.
      recordDistributionIfChanged(ctx)
      return securityOverview(ctx)
    },

    async enforceForAllUsers(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      return setPolicy(ctx, actor, true, input.graceDays)
    },

    async revokeEnforcement(caller) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      return setPolicy(ctx, actor, false)
    },

    async previewEnforcement(caller, input) {
      requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      const deadline = input.revoke === true ? null : deadlineAfter(now, input.graceDays)
      return ctx.db.transaction(() => {
        const policy = readEnforcementPolicy(ctx.db)
        if (input.target.kind === 'all') return previewPolicyChange(ctx.db, policy, withPolicy(policy, deadline !== null, deadline), now)
        if (input.target.kind === 'exemption') {
          if (input.target.groupId !== null) mustFindGroup(ctx, input.target.groupId)
          return previewPolicyChange(ctx.db, policy, withExemptGroup(policy, input.target.groupId), now)
        }
        mustFindGroup(ctx, input.target.groupId)
        return previewPolicyChange(ctx.db, policy, withGroup(policy, input.target.groupId, deadline), now)
      })()
    },

    async setPolicyExemptionGroup(caller, input) {
      const actor = requireAdmin(ctx, caller)
      // Who the policy leaves out is as sensitive as revoking it for them.
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const group = input.groupId === null ? null : mustFindGroup(ctx, input.groupId)
        const current = readPolicy(ctx.db).exemptGroupId
        if (current === input.groupId) return
        const policy = readEnforcementPolicy(ctx.db)
        const effect = previewPolicyChange(ctx.db, policy, withExemptGroup(policy, input.groupId), now)
        writeExemptGroup(ctx.db, input.groupId)
        appendAudit(ctx.db, now, {
          actor: actor.label,
          action: 'enforcement.exemption-group-changed',
          target: group?.name ?? null,
          details: { group: group?.name ?? null, noLongerHaveToActivate: effect.wouldNoLongerHaveTo, willHaveToActivate: effect.willHaveToActivate }
        })
      })
      recordDistributionPoint(ctx, now)
      return securityOverview(ctx)
    },

    async setIdleTimeout(caller, input) {
      return setIdleTimeout(ctx, caller, input.minutes)
    }
  } satisfies HandlersFor<EnforcementApi>
}
