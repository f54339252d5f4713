// What the screens see of a user: the records of the repository mapped to the
// contract's UserRow and UserDetails, with the 2FA status under the policy.
import type { LockEnd, Me, UserDetails, UserRow } from '../../../shared/domain'
import { AppError } from '../../../shared/errors'
import * as groupsRepo from '../../db/groups-repo'
import * as totpRepo from '../../db/totp-repo'
import type { UserRecord } from '../../db/users-repo'
import * as usersRepo from '../../db/users-repo'
import type { CoreContext } from '../context'
import { readEnforcementPolicy } from '../enforcement/policy'
import type { EnforcementPolicy } from '../enforcement/rules'
import { isLocked, UNTIL_UNLOCKED } from '../lockout'
import { temporaryPassStatus } from '../temporary-pass/pass-check'
import { groupNamesOfSets, toUserRow } from './user-row'

export { toUserRow } from './user-row'

/** Maps records to rows under one reading of the enforcement settings (a page's), with group names. */
export function userRowMapper(ctx: CoreContext, policy: EnforcementPolicy = readEnforcementPolicy(ctx.db)): (user: UserRecord) => UserRow {
  const now = ctx.clock.now()
  const names = groupNamesOfSets(groupsRepo.groupNames(ctx.db), policy.groupsOfSet)
  return (user) => toUserRow(user, policy, now, names)
}

export function toMe(user: UserRecord): Me {
  return { id: user.id, name: user.name, email: user.email, role: user.role }
}

export function mustFindUser(ctx: CoreContext, id: number): UserRecord {
  const user = usersRepo.findUserById(ctx.db, id)
  if (!user) throw new AppError('NOT_FOUND', 'That user does not exist (any more). Reload the list.')
  return user
}

export function toUserDetails(ctx: CoreContext, user: UserRecord): UserDetails {
  const now = ctx.clock.now()
  return {
    ...userRowMapper(ctx)(user),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    enforcementChangedBy: user.enforcementBy,
    enforcementChangedAt: user.enforcementAt,
    // A lock that ran out has no failures left to show: the next attempt starts again.
    failedAttempts: user.lockedUntil !== null && user.lockedUntil <= now ? 0 : user.failedAttempts,
    lockedUntil: lockEnd(user, now),
    recoveryCodesRemaining: totpRepo.countUnusedRecoveryCodes(ctx.db, user.id),
    hasPassword: user.passwordHash !== null,
    directoryDn: user.directoryDn,
    temporaryPass: temporaryPassStatus(ctx, user.id, now)
  }
}

/** The contract's end of a lock: the stored UNTIL_UNLOCKED is a sentinel, not a date to show. */
function lockEnd(user: UserRecord, now: number): LockEnd | null {
  if (user.lockedUntil === null || !isLocked(user, now)) return null
  return user.lockedUntil === UNTIL_UNLOCKED ? 'unlock' : user.lockedUntil
}
