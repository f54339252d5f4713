// Exact counts of what an enforcement change does, from the class counters:
// every class's standing under the settings before and after (rules.ts),
// weighted by its users. No user row is read, so a preview of enforcing a
// group of 100,000 costs what one of ten does.
import type { EnforcementPreview } from '../../../shared/domain'
import * as listingRepo from '../../db/listing-repo'
import type { Database } from '../../db/sqlite'
import { classStanding, isDue, type EnforcementPolicy } from './rules'

export const NO_CHANGE: EnforcementPreview = { willHaveToActivate: 0, overdueAtOnce: 0, wouldNoLongerHaveTo: 0, newlyOverdue: 0 }

export function previewPolicyChange(db: Database, before: EnforcementPolicy, after: EnforcementPolicy, now: number): EnforcementPreview {
  const preview = { ...NO_CHANGE }
  for (const [twoFactor, users] of listingRepo.readClassCounts(db)) {
    const was = classStanding(twoFactor, before)
    const will = classStanding(twoFactor, after)
    if (was.status !== 'pending' && will.status === 'pending') {
      preview.willHaveToActivate += users
      // Only `always` classes have per-user deadlines, and their status never changes with the settings.
      if (will.deadline !== 'per-user' && isDue(will.deadline, now)) preview.overdueAtOnce += users
    } else if (was.status === 'pending' && will.status === 'inactive') {
      preview.wouldNoLongerHaveTo += users
    } else if (was.status === 'pending' && will.status === 'pending' && was.deadline !== 'per-user' && will.deadline !== 'per-user') {
      if (!isDue(was.deadline, now) && isDue(will.deadline, now)) preview.newlyOverdue += users
    }
  }
  return preview
}

/** The settings with the policy for all users enforced (due by `deadline`) or revoked. */
export function withPolicy(policy: EnforcementPolicy, enforcedForAll: boolean, deadline: number | null): EnforcementPolicy {
  return { ...policy, enforcedForAll, deadline: enforcedForAll ? deadline : null }
}

/** The settings with one group enforced (due by `deadline`) or revoked (deadline null). */
export function withGroup(policy: EnforcementPolicy, groupId: number, deadline: number | null): EnforcementPolicy {
  const enforcedGroups = new Map(policy.enforcedGroups)
  if (deadline === null) enforcedGroups.delete(groupId)
  else enforcedGroups.set(groupId, deadline)
  return { ...policy, enforcedGroups }
}

export function withExemptGroup(policy: EnforcementPolicy, groupId: number | null): EnforcementPolicy {
  return { ...policy, exemptGroupId: groupId }
}

