// Words that both the screens and the command line print, written once. They
// follow the vendor help page ("Manage 2FA") to the letter: change them there
// first. Pure TypeScript, like the rest of src/shared.
import type { EnforcementSource, LockEnd, TwoFactorStatus } from './domain'

/** A user's 2FA status: the shield's accessible name and tooltip, the legend, `twofa-admin user list/show`. */
export const STATUS_LABEL: Readonly<Record<TwoFactorStatus, string>> = {
  active: '2FA active',
  pending: '2FA enforced, activation pending',
  inactive: '2FA not active'
}

/** The enforcement controls, named as on the help page (the screens' buttons, the CLI's help and status). */
export const ENFORCEMENT_LABEL = {
  /** User details > Security: the checkbox. */
  forUser: 'Enforce 2FA activation',
  /** Account > Security: the button while enforcement for all users is off; `twofa-admin enforce-all`. */
  forAll: 'Enforce 2FA for all users',
  /** The same button while it is on; `twofa-admin revoke-all`. */
  revoke: 'Revoke enforcement'
} as const

/**
 * Why 2FA is enforced for a user, or not: one wording per fact, on every screen
 * (User details, the shield's tooltip, My account) and in `twofa-admin user show`.
 * tests/unit/architecture/enforcement-wording.test.ts keeps the old variants out.
 */
export const ENFORCEMENT_SOURCE_LABEL: Readonly<Record<EnforcementSource, string>> = {
  role: 'Always enforced for administrators',
  individual: 'Enforced individually',
  group: 'Enforced by a group',
  policy: 'Enforced for all users',
  exempt: 'Exempt from enforcement',
  none: 'Not enforced'
}

/** A lock that only an administrator ends: the sign-in message, User details > Security, `twofa-admin user show`. */
export const UNTIL_UNLOCKED_TEXT = 'until an administrator unlocks it'

/** How long a lock lasts, after "locked": "until <date>", or until an administrator unlocks it (never a date far in the future). */
export function lockEndText(lockedUntil: LockEnd, formatDate: (epochMs: number) => string): string {
  return lockedUntil === 'unlock' ? UNTIL_UNLOCKED_TEXT : `until ${formatDate(lockedUntil)}`
}

/** The Users table's filter by why 2FA is enforced (the screens' select, the command line). */
export const ENFORCEMENT_SOURCE_FILTER_LABEL = {
  admin: 'Administrator',
  individual: 'Enforced individually',
  policy: 'Policy or group',
  exempt: 'Exempt'
} as const

/** Where users come from, as the Users table's filter names it. */
export const USER_SOURCE_FILTER_LABEL = {
  local: 'Added here',
  csv: 'CSV import',
  ldap: 'Directory (LDAP)'
} as const

/** The filter of users with 2FA active and few unused recovery codes (FEW_RECOVERY_CODES or fewer). */
export const FEW_RECOVERY_CODES_LABEL = 'Few recovery codes left'
