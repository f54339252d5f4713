// The 2FA rules of the product, as pure functions: who is enforced, what shield
// they get, and what the admin's "Enforce 2FA activation" checkbox does.
import type { Enforcement, EnforcementSource, Role, TwoFactorStatus } from '../../shared/domain'

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
