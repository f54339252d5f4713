// A user as the Users list shows them (the contract's UserRow), with the 2FA
// status under the enforcement settings. A file of its own, free of the core's
// context, so the background tasks (the screens' exports) map rows exactly as
// listUsers does.
import type { LockEnd, UserRow } from '../../../shared/domain'
import type { UserRecord } from '../../db/users-repo'
import { effectiveEnforcement, isDue, isEnforcedBy, type EnforcementPolicy } from '../enforcement/rules'
import { isLocked, UNTIL_UNLOCKED } from '../lockout-rule'

/** Names of the groups of a group set, in name order. */
export type GroupNamesOfSet = (setId: number) => string[]

export function toUserRow(user: UserRecord, policy: EnforcementPolicy, now: number, groupNames: GroupNamesOfSet = () => []): UserRow {
  const effective = effectiveEnforcement(user, policy)
  const enforced = isEnforcedBy(effective.source)
  const active = user.activeSince !== null
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    status: active ? 'active' : enforced ? 'pending' : 'inactive',
    enforcement: user.enforcement,
    enforced,
    enforcementSource: effective.source,
    deadline: enforced ? effective.deadline : null,
    overdue: enforced && !active && isDue(effective.deadline, now),
    groups: user.groupSet === 0 ? [] : groupNames(user.groupSet),
    locked: isLocked(user, now),
    activeSince: user.activeSince,
    lastTwoFactorLoginAt: user.lastTwoFactorLoginAt,
    source: user.source,
    enforcedSince: user.enforcement === 'enforced' ? user.enforcementAt : null,
    lockedUntil: lockEndOf(user, now)
  }
}

/** The contract's end of a lock: the stored UNTIL_UNLOCKED is a sentinel, not a date to show. */
export function lockEndOf(user: Pick<UserRecord, 'lockedUntil'>, now: number): LockEnd | null {
  if (user.lockedUntil === null || !isLocked(user, now)) return null
  return user.lockedUntil === UNTIL_UNLOCKED ? 'unlock' : user.lockedUntil
}

/** Group names of sets, from one map of every group's name (groups are few), cached per set. */
export function groupNamesOfSets(names: ReadonlyMap<number, string>, groupsOfSet: (setId: number) => readonly number[]): GroupNamesOfSet {
  const cache = new Map<number, string[]>()
  return (setId) => {
    let found = cache.get(setId)
    if (found === undefined) {
      found = groupsOfSet(setId)
        .flatMap((id) => {
          const name = names.get(id)
          return name === undefined ? [] : [name]
        })
        .sort((a, b) => a.localeCompare(b))
      cache.set(setId, found)
    }
    return found
  }
}
