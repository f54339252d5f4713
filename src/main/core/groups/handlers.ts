// Groups: local groups and their members, and 2FA enforcement by group. A
// group's enforcement is one row (groups.enforced and its deadline): members
// are never rewritten, their classes (base class and group set, migration 8)
// read it at query time, so enforcing a group of 100,000 costs what one of ten
// does and every count stays exact. Membership changes are per member (that is
// what they are) and say what they do to enforcement before they do it.
import type { GroupMembersInput, GroupMembersResult, GroupsApi } from '../../../shared/contract'
import type { EnforcementPreview, GroupSummary } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import { writeTransaction } from '../../db/connection'
import * as groupsRepo from '../../db/groups-repo'
import * as listingRepo from '../../db/listing-repo'
import { readPolicy, writeExemptGroup } from '../../db/policy-repo'
import * as usersRepo from '../../db/users-repo'
import { appendAudit } from '../audit/chain'
import type { CoreContext } from '../context'
import { mustFindGroup } from '../enforcement/handlers'
import { readEnforcementPolicy } from '../enforcement/policy'
import { previewPolicyChange, withGroup } from '../enforcement/preview'
import { deadlineAfter, effectiveEnforcement, isDue, isEnforcedBy } from '../enforcement/rules'
import { requireAdmin, requireRecentAuthentication, type Actor } from '../guards'
import type { HandlersFor } from '../handlers'
import { recordDistributionPoint } from '../history/recorder'
import { classesOfGroup, distributionOf } from '../listing/user-listing'

function nameTaken(name: string): AppError {
  return new AppError('GROUP_EXISTS', `A group named ${name} already exists. Choose another name.`, 'name')
}

export function groupSummary(ctx: CoreContext, group: groupsRepo.GroupRecord): GroupSummary {
  const now = ctx.clock.now()
  return ctx.db.transaction(() => {
    const policy = readEnforcementPolicy(ctx.db)
    const counts = listingRepo.readClassCounts(ctx.db)
    const distribution = distributionOf(ctx.db, policy, now, counts, classesOfGroup(ctx.db, counts, group.id))
    return {
      id: group.id,
      name: group.name,
      source: group.source,
      members: distribution.total,
      enforced: group.enforced,
      deadline: group.enforced ? group.deadline : null,
      enforcedBy: group.enforcedBy,
      enforcedAt: group.enforcedAt,
      exemptFromPolicy: policy.exemptGroupId === group.id,
      distribution
    }
  })()
}

/** Throws before anything is written when an email names no user: a list with a typo changes nothing. */
function usersOf(ctx: CoreContext, emails: readonly string[]): usersRepo.UserRecord[] {
  const unique = [...new Set(emails)]
  const users: usersRepo.UserRecord[] = []
  const missing: string[] = []
  for (const email of unique) {
    const user = usersRepo.findUserByEmail(ctx.db, email)
    if (user) users.push(user)
    else missing.push(email)
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ')
    throw new AppError('NOT_FOUND', `No user with the email ${shown}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}. Nothing was changed.`, 'emails')
  }
  return users
}

/** A dry run's transaction is undone by this. */
class DryRun extends Error {
  constructor(readonly result: GroupMembersResult) {
    super('dry run')
  }
}

function changeMembers(ctx: CoreContext, actor: Actor, input: GroupMembersInput, add: boolean): GroupMembersResult {
  const now = ctx.clock.now()
  try {
    const result = writeTransaction(ctx.db, () => {
      const group = mustFindGroup(ctx, input.groupId)
      // A directory group's members are the directory's: the next sync would undo a change here.
      if (group.source === 'ldap') {
        throw new AppError('GROUP_FROM_DIRECTORY', `The members of ${group.name} come from the directory: change them there; the next sync brings them here.`)
      }
      const users = usersOf(ctx, input.emails)
      const policy = readEnforcementPolicy(ctx.db)
      // Taking people out of an enforced group (or putting them into the exemption group) takes enforcement away.
      if (!add && group.enforced) requireRecentAuthentication(ctx, actor)
      if (add && policy.exemptGroupId === group.id) requireRecentAuthentication(ctx, actor)
      const effect: EnforcementPreview = { willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }
      let changed = 0
      const changedEmails: string[] = []
      for (const user of users) {
        const before = effectiveEnforcement(user, policy)
        const done = add ? groupsRepo.addMember(ctx.db, group.id, user.id) : groupsRepo.removeMember(ctx.db, group.id, user.id)
        if (!done) continue
        changed++
        if (changedEmails.length < 100) changedEmails.push(user.email)
        if (user.activeSince !== null) continue
        const after = effectiveEnforcement(usersRepo.findUserById(ctx.db, user.id)!, policy)
        if (!isEnforcedBy(before.source) && isEnforcedBy(after.source)) {
          effect.willHaveToActivate++
          if (isDue(after.deadline, now)) effect.overdueAtOnce++
        } else if (isEnforcedBy(before.source) && !isEnforcedBy(after.source)) {
          effect.wouldNoLongerHaveTo++
        } else if (isEnforcedBy(after.source) && !isDue(before.deadline, now) && isDue(after.deadline, now)) {
          effect.newlyOverdue++
        }
      }
      const outcome: GroupMembersResult = { changed, unchanged: users.length - changed, effect, group: groupSummary(ctx, group) }
      if (input.dryRun === true) throw new DryRun(outcome)
      if (changed > 0) {
        appendAudit(ctx.db, now, {
          actor: actor.label,
          action: 'group.members-changed',
          target: group.name,
          details: { [add ? 'added' : 'removed']: changed, users: changedEmails, ...effect }
        })
      }
      return outcome
    })
    return result
  } catch (error) {
    if (error instanceof DryRun) return error.result
    throw error
  }
}

export function groupsHandlers(ctx: CoreContext) {
  return {
    async listGroups(caller) {
      requireAdmin(ctx, caller)
      return groupsRepo.listGroups(ctx.db).map((group) => groupSummary(ctx, group))
    },

    async getGroup(caller, input) {
      requireAdmin(ctx, caller)
      return groupSummary(ctx, mustFindGroup(ctx, input.groupId))
    },

    async createGroup(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      const id = writeTransaction(ctx.db, () => {
        if (groupsRepo.findGroupByName(ctx.db, input.name)) throw nameTaken(input.name)
        const groupId = groupsRepo.insertGroup(ctx.db, { name: input.name, now })
        appendAudit(ctx.db, now, { actor: actor.label, action: 'group.created', target: input.name })
        return groupId
      })
      return groupSummary(ctx, mustFindGroup(ctx, id))
    },

    async deleteGroup(caller, input) {
      const actor = requireAdmin(ctx, caller)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const group = mustFindGroup(ctx, input.groupId)
        // Deleting an enforced group (or the exemption group) changes who must activate: a sensitive change.
        if (group.enforced || readPolicy(ctx.db).exemptGroupId === group.id) requireRecentAuthentication(ctx, actor)
        const members = groupSummary(ctx, group).members
        if (readPolicy(ctx.db).exemptGroupId === group.id) writeExemptGroup(ctx.db, null)
        groupsRepo.deleteGroup(ctx.db, group.id)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'group.deleted', target: group.name, details: { members, enforced: group.enforced } })
      })
      recordDistributionPoint(ctx, now)
      return null
    },

    async addGroupMembers(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeMembers(ctx, actor, input, true)
    },

    async removeGroupMembers(caller, input) {
      const actor = requireAdmin(ctx, caller)
      return changeMembers(ctx, actor, input, false)
    },

    async enforceGroup(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      const deadline = deadlineAfter(now, input.graceDays)
      writeTransaction(ctx.db, () => {
        const group = mustFindGroup(ctx, input.groupId)
        if (group.enforced && (input.graceDays === undefined || group.deadline === deadline)) return
        const policy = readEnforcementPolicy(ctx.db)
        const effect = previewPolicyChange(ctx.db, policy, withGroup(policy, group.id, deadline), now)
        // One row, at any size: the members' statuses follow from it.
        groupsRepo.setGroupEnforcement(ctx.db, group.id, { deadline, by: actor.label, now: group.enforced ? (group.enforcedAt ?? now) : now })
        appendAudit(ctx.db, now, {
          actor: actor.label,
          action: group.enforced ? 'enforcement.deadline-changed' : 'enforcement.group-enforced',
          target: group.name,
          details: { graceDays: input.graceDays ?? 0, deadline, was: group.deadline, ...effect }
        })
      })
      recordDistributionPoint(ctx, now)
      return groupSummary(ctx, mustFindGroup(ctx, input.groupId))
    },

    async revokeGroupEnforcement(caller, input) {
      const actor = requireAdmin(ctx, caller)
      requireRecentAuthentication(ctx, actor)
      const now = ctx.clock.now()
      writeTransaction(ctx.db, () => {
        const group = mustFindGroup(ctx, input.groupId)
        if (!group.enforced) return
        const policy = readEnforcementPolicy(ctx.db)
        const effect = previewPolicyChange(ctx.db, policy, withGroup(policy, group.id, null), now)
        groupsRepo.setGroupEnforcement(ctx.db, group.id, null)
        appendAudit(ctx.db, now, { actor: actor.label, action: 'enforcement.group-revoked', target: group.name, details: { noLongerHaveToActivate: effect.wouldNoLongerHaveTo } })
      })
      recordDistributionPoint(ctx, now)
      return groupSummary(ctx, mustFindGroup(ctx, input.groupId))
    }
  } satisfies HandlersFor<GroupsApi>
}
