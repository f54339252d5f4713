// The 2FA rules of the product, as pure functions: who is enforced, by what,
// until when they may still sign in without 2FA, what shield they get, and
// what the admin's "Enforce 2FA activation" checkbox does.
//
// Effective enforcement, in this order (issue 12):
//   1. administrators: always enforced, due at once;
//   2. the user's own override: enforced (with its deadline) or exempt;
//   3. any enforced group of the user, and the global policy unless the user is in
//      its exemption group: enforced, due by the earliest deadline of all of them
//      (a group's grace period never postpones a deadline the policy already set).
// A user's own override (2) is the administrator's explicit choice for them, made
// with a recent re-authentication when it postpones (handlers.ts).
import type { BaseTwoFactorClass, Enforcement, EnforcementSource, Role, TwoFactorClass, TwoFactorStatus } from '../../../shared/domain'
import { DAY_MS } from '../../../shared/domain'

/** The enforcement settings as one read saw them: the policy row and the enforced groups. */
export interface EnforcementPolicy {
  enforcedForAll: boolean
  /** While enforced for all users: activation due by (epoch ms; the moment of enforcing when there was no grace period). */
  deadline: number | null
  /** The group the global policy leaves out, or null. */
  exemptGroupId: number | null
  /** Each enforced group's deadline, by group id. */
  enforcedGroups: ReadonlyMap<number, number>
  /** The groups of a group set (0: none). */
  groupsOfSet(setId: number): readonly number[]
}

/** A policy with no groups: enforced for all or not, due at `deadline`. */
export function plainPolicy(enforcedForAll: boolean, deadline: number | null = enforcedForAll ? 0 : null): EnforcementPolicy {
  return { enforcedForAll, deadline, exemptGroupId: null, enforcedGroups: new Map(), groupsOfSet: () => [] }
}

export interface EnforcementSubject {
  role: Role
  enforcement: Enforcement
  /** The deadline of an individual enforcement (null: none set, due at once). */
  enforcementDeadline?: number | null
  /** The user's group set (migration 8); 0 or absent: in no group. */
  groupSet?: number
}

export interface EffectiveEnforcement {
  source: EnforcementSource
  /** While enforced: when activation is due (epoch ms); null for administrators (due at once) and when not enforced. */
  deadline: number | null
}

/** Enforcement by groups and policy for a user who follows them (no override, not an administrator). */
function inheritedEnforcement(groupSet: number, policy: EnforcementPolicy): EffectiveEnforcement {
  const groups = groupSet === 0 ? [] : policy.groupsOfSet(groupSet)
  let groupDeadline: number | null = null
  for (const id of groups) {
    const deadline = policy.enforcedGroups.get(id)
    if (deadline !== undefined && (groupDeadline === null || deadline < groupDeadline)) groupDeadline = deadline
  }
  const policyDeadline = policy.enforcedForAll && (policy.exemptGroupId === null || !groups.includes(policy.exemptGroupId)) ? (policy.deadline ?? 0) : null
  if (groupDeadline !== null && (policyDeadline === null || groupDeadline <= policyDeadline)) return { source: 'group', deadline: groupDeadline }
  if (policyDeadline !== null) return { source: 'policy', deadline: policyDeadline }
  return { source: 'none', deadline: null }
}

export function effectiveEnforcement(user: EnforcementSubject, policy: EnforcementPolicy): EffectiveEnforcement {
  if (user.role === 'admin') return { source: 'role', deadline: null }
  if (user.enforcement === 'enforced') return { source: 'individual', deadline: user.enforcementDeadline ?? 0 }
  if (user.enforcement === 'exempt') return { source: 'exempt', deadline: null }
  return inheritedEnforcement(user.groupSet ?? 0, policy)
}

export function enforcementSource(user: EnforcementSubject, policy: EnforcementPolicy): EnforcementSource {
  return effectiveEnforcement(user, policy).source
}

export function isEnforcedBy(source: EnforcementSource): boolean {
  return source !== 'none' && source !== 'exempt'
}

export function isEnforced(user: EnforcementSubject, policy: EnforcementPolicy): boolean {
  return isEnforcedBy(enforcementSource(user, policy))
}

/** active: confirmed credential; pending: enforced but not active; inactive: neither. */
export function twoFactorStatus(user: EnforcementSubject, hasConfirmedCredential: boolean, policy: EnforcementPolicy): TwoFactorStatus {
  if (hasConfirmedCredential) return 'active'
  return isEnforced(user, policy) ? 'pending' : 'inactive'
}

/**
 * Whether a change of enforcement gives this user more time without 2FA: it is
 * no longer enforced, or it is due later than before (an administrator is due
 * at once: null is the earliest). Such a change needs a recent re-authentication.
 */
export function givesMoreTime(before: EffectiveEnforcement, after: EffectiveEnforcement): boolean {
  if (!isEnforcedBy(before.source)) return false
  if (!isEnforcedBy(after.source)) return true
  if (after.deadline === null) return false
  return before.deadline === null || after.deadline > before.deadline
}

/** Whether an enforcement due at `deadline` is due now (null: due at once). */
export function isDue(deadline: number | null, now: number): boolean {
  return deadline === null || deadline <= now
}

/**
 * Where a user without 2FA stands at a sign-in: free (not enforced), in the
 * grace period (may sign in without 2FA, reminded), or required now.
 */
export type ActivationDemand = { kind: 'none' } | { kind: 'grace'; deadline: number; daysLeft: number } | { kind: 'required' }

export function activationDemand(user: EnforcementSubject, hasConfirmedCredential: boolean, policy: EnforcementPolicy, now: number): ActivationDemand {
  if (hasConfirmedCredential) return { kind: 'none' }
  const { source, deadline } = effectiveEnforcement(user, policy)
  if (!isEnforcedBy(source)) return { kind: 'none' }
  if (isDue(deadline, now) || deadline === null) return { kind: 'required' }
  return { kind: 'grace', deadline, daysLeft: daysLeft(deadline, now) }
}

/** Whole days left until a deadline, rounded up: a deadline later today is "1 day left". */
export function daysLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / DAY_MS))
}

/** The deadline of an enforcement that gives `graceDays` days from `now` (0: due at once). */
export function deadlineAfter(now: number, graceDays: number | undefined): number {
  return now + (graceDays ?? 0) * DAY_MS
}

/**
 * The override that makes a user's effective enforcement equal the checkbox.
 * Unchanged when it already does (so saving an untouched form never turns an
 * individual enforcement into an inherited one); otherwise `inherit` when the
 * groups and the policy alone give the wanted state, else an explicit `enforced` / `exempt`.
 */
export function overrideForCheckbox(user: EnforcementSubject, policy: EnforcementPolicy, enforce: boolean): Enforcement {
  if (isEnforced(user, policy) === enforce) return user.enforcement
  if (isEnforced({ ...user, enforcement: 'inherit' }, policy) === enforce) return 'inherit'
  return enforce ? 'enforced' : 'exempt'
}

// ---- Classes: what the database keeps per user and counts ----

/**
 * The base class of a user (see TwoFactorClass in the domain types): the CASE
 * of users.tfa_class in migration 8, which must agree with this function (a
 * unit test checks every combination).
 */
export function baseTwoFactorClass(user: EnforcementSubject, hasConfirmedCredential: boolean): BaseTwoFactorClass {
  if (hasConfirmedCredential) return 'active'
  if (user.role === 'admin' || user.enforcement === 'enforced') return 'always'
  return user.enforcement === 'exempt' ? 'exempt' : 'inherit'
}

export function twoFactorClass(user: EnforcementSubject, hasConfirmedCredential: boolean): TwoFactorClass {
  const base = baseTwoFactorClass(user, hasConfirmedCredential)
  const set = user.groupSet ?? 0
  return set === 0 ? base : `${base}@${set}`
}

export function parseClass(twoFactor: TwoFactorClass): { base: BaseTwoFactorClass; groupSet: number } {
  const at = twoFactor.indexOf('@')
  if (at < 0) return { base: twoFactor as BaseTwoFactorClass, groupSet: 0 }
  return { base: twoFactor.slice(0, at) as BaseTwoFactorClass, groupSet: Number(twoFactor.slice(at + 1)) }
}

/**
 * What every user of a class has in common under the enforcement settings:
 * their status, and their deadline, which for `always` (administrators and
 * individual enforcement) is each user's own.
 */
export interface ClassStanding {
  status: TwoFactorStatus
  deadline: number | null | 'per-user'
}

export function classStanding(twoFactor: TwoFactorClass, policy: EnforcementPolicy): ClassStanding {
  const { base, groupSet } = parseClass(twoFactor)
  switch (base) {
    case 'active':
      return { status: 'active', deadline: null }
    case 'always':
      return { status: 'pending', deadline: 'per-user' }
    case 'exempt':
      return { status: 'inactive', deadline: null }
    case 'inherit': {
      const inherited = inheritedEnforcement(groupSet, policy)
      return isEnforcedBy(inherited.source) ? { status: 'pending', deadline: inherited.deadline } : { status: 'inactive', deadline: null }
    }
  }
}

export function statusOfClass(twoFactor: TwoFactorClass, policy: EnforcementPolicy): TwoFactorStatus {
  return classStanding(twoFactor, policy).status
}
