// The 2FA rules of the product, as pure functions: who is enforced, what shield
// they get, and what the admin's "Enforce 2FA activation" checkbox does.
import type { Enforcement, EnforcementSource, Role, TwoFactorClass, TwoFactorStatus } from '../../../shared/domain'
import { TWO_FACTOR_CLASSES } from '../../../shared/domain'

export interface EnforcementSubject {
  role: Role
  enforcement: Enforcement
}

/** Effective enforcement = the user's override, else the global policy; administrators are always enforced. */
export function isEnforced(user: EnforcementSubject, enforcedForAll: boolean): boolean {
  const source = enforcementSource(user, enforcedForAll)
  return source !== 'none' && source !== 'exempt'
}

export function enforcementSource(user: EnforcementSubject, enforcedForAll: boolean): EnforcementSource {
  if (user.role === 'admin') return 'role'
  if (user.enforcement === 'enforced') return 'individual'
  if (user.enforcement === 'exempt') return 'exempt'
  return enforcedForAll ? 'policy' : 'none'
}

/** active: confirmed credential; pending: enforced but not active; inactive: neither. */
export function twoFactorStatus(user: EnforcementSubject, hasConfirmedCredential: boolean, enforcedForAll: boolean): TwoFactorStatus {
  if (hasConfirmedCredential) return 'active'
  return isEnforced(user, enforcedForAll) ? 'pending' : 'inactive'
}

/**
 * The override that makes a user's effective enforcement equal the checkbox.
 * Unchanged when it already does (so saving an untouched form never turns an
 * individual enforcement into an inherited one); otherwise `inherit` when the
 * policy alone gives the wanted state, else an explicit `enforced` / `exempt`.
 */
export function overrideForCheckbox(user: EnforcementSubject, enforcedForAll: boolean, enforce: boolean): Enforcement {
  if (isEnforced(user, enforcedForAll) === enforce) return user.enforcement
  if (enforcedForAll === enforce) return 'inherit'
  return enforce ? 'enforced' : 'exempt'
}

/**
 * The class of a user (see TwoFactorClass in the domain types): what the
 * database keeps per user (users.tfa_class, migration 2, which must agree with
 * this function; a unit test checks every combination) and counts per class.
 */
export function twoFactorClass(user: EnforcementSubject, hasConfirmedCredential: boolean): TwoFactorClass {
  if (hasConfirmedCredential) return 'active'
  const source = enforcementSource(user, false)
  if (source === 'role' || source === 'individual') return 'always'
  return source === 'exempt' ? 'exempt' : 'inherit'
}

/** The status of every user of a class under the global policy: twoFactorStatus() expressed per class. */
export function statusOfClass(twoFactor: TwoFactorClass, enforcedForAll: boolean): TwoFactorStatus {
  switch (twoFactor) {
    case 'active':
      return 'active'
    case 'always':
      return 'pending'
    case 'inherit':
      return enforcedForAll ? 'pending' : 'inactive'
    case 'exempt':
      return 'inactive'
  }
}

/** The classes whose users have this status under the policy: one or two. */
export function classesWithStatus(status: TwoFactorStatus, enforcedForAll: boolean): TwoFactorClass[] {
  return TWO_FACTOR_CLASSES.filter((twoFactor) => statusOfClass(twoFactor, enforcedForAll) === status)
}
