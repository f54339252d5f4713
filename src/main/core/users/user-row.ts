// A user as the Users list shows them (the contract's UserRow), with the 2FA
// status under the policy. A file of its own, free of the core's context, so
// the background tasks (the screens' exports) map rows exactly as listUsers does.
import type { UserRow } from '../../../shared/domain'
import type { UserRecord } from '../../db/users-repo'
import { enforcementSource, isEnforced, twoFactorStatus } from '../enforcement/rules'
import { isLocked } from '../lockout-rule'

export function toUserRow(user: UserRecord, enforcedForAll: boolean, now: number): UserRow {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    disabled: user.disabled,
    status: twoFactorStatus(user, user.activeSince !== null, enforcedForAll),
    enforcement: user.enforcement,
    enforced: isEnforced(user, enforcedForAll),
    enforcementSource: enforcementSource(user, enforcedForAll),
    locked: isLocked(user, now),
    activeSince: user.activeSince,
    lastTwoFactorLoginAt: user.lastTwoFactorLoginAt,
    source: user.source
  }
}
