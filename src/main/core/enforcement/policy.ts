// The enforcement settings as one read sees them (rules.ts EnforcementPolicy):
// the policy row, each enforced group's deadline, and the groups of each group
// set, loaded on demand. Its cost grows with groups and combinations of groups
// in use, never with users.
import * as groupsRepo from '../../db/groups-repo'
import { readPolicy } from '../../db/policy-repo'
import type { Database } from '../../db/sqlite'
import type { EnforcementPolicy } from './rules'

export function readEnforcementPolicy(db: Database): EnforcementPolicy {
  const policy = readPolicy(db)
  const enforcedGroups = new Map<number, number>()
  for (const group of groupsRepo.listGroups(db)) if (group.enforced) enforcedGroups.set(group.id, group.deadline ?? 0)
  const sets = new Map<number, readonly number[]>()
  return {
    enforcedForAll: policy.enforcedForAll,
    deadline: policy.deadline,
    exemptGroupId: policy.exemptGroupId,
    enforcedGroups,
    groupsOfSet(setId) {
      if (setId === 0) return []
      let groups = sets.get(setId)
      if (groups === undefined) sets.set(setId, (groups = groupsRepo.groupIdsOfSet(db, setId)))
      return groups
    }
  }
}
